import Foundation

/// A program this benchmark started, its output in a log file; stopped by its pid.
final class ChildProcess {
    private let process = Process()

    init(executable: String, arguments: [String], log: String) throws {
        _ = FileManager.default.createFile(atPath: log, contents: nil)   // FileHandle below reports a failure
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: log)
        process.standardError = process.standardOutput
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    func memory() throws -> (resident: Int, peak: Int) { try processMemory(pid: pid) }

    /// SIGTERM, then SIGKILL if it has not ended within 10 s.
    func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// Resident and peak resident memory of a process in bytes, from /proc/<pid>/status.
func processMemory(pid: Int32) throws -> (resident: Int, peak: Int) {
    let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
    func kilobytes(_ field: String) -> Int {
        let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") }
        return line.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
    }
    return (kilobytes("VmRSS") * 1024, kilobytes("VmHWM") * 1024)
}
