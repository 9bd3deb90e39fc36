import Foundation
import SkiffProcess

/// Runs a host program to its end and collects its output. The lab commands are
/// plain command-line programs with no server in-process, so waiting is fine.
/// (SkiffProcess spawns it: Foundation's Process crashes now and then, #5472.)
public enum HostProgram {
    public struct Outcome: Sendable {
        public var status: Int32
        public var output: String
    }

    /// Standard output, then standard error.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String]) throws -> Outcome {
        let outcome = try ChildProgram.run([executable] + arguments)
        return Outcome(status: outcome.status, output: outcome.outputText + outcome.errorText)
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
