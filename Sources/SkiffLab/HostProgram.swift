import Foundation

/// Runs a host program to its end and collects its output. The lab commands are
/// plain command-line programs with no server in-process, so waiting is fine.
public enum HostProgram {
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
    }

    /// Standard output and error together.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> Outcome {
        let process = Foundation.Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Like ``run(_:_:)``, but a failure is an error that shows the command and its output.
    @discardableResult
    public static func check(_ executable: String, _ arguments: [String]) throws -> String {
        let outcome = try run(executable, arguments)
        guard outcome.status == 0 else {
            throw LabError("\(executable) \(arguments.joined(separator: " ")) exited \(outcome.status): \(outcome.output)")
        }
        return outcome.output
    }

    public static let ip = "/usr/sbin/ip"
    public static let nsenter = "/usr/bin/nsenter"
}
