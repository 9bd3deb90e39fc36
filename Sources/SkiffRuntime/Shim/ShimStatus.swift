/// A line skiff-shim writes on its status descriptor.
enum ShimStatus: Equatable {
    /// The process exec'd: its pid (host view) and the shim's pid.
    case started(pid: Int32, shimPID: Int32)
    case failed(errno: Int32, stage: String, message: String)
    /// An exec'd process ended (exec mode only).
    case exited(code: Int32, signal: Int32)

    init?(line: Substring) {
        let words = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
        switch words.first {
        case "ok" where words.count == 3:
            guard let pid = Int32(words[1]), let shim = Int32(words[2]) else { return nil }
            self = .started(pid: pid, shimPID: shim)
        case "error" where words.count >= 3:
            guard let number = Int32(words[1]) else { return nil }
            self = .failed(errno: number, stage: String(words[2]), message: words.count == 4 ? String(words[3]) : "")
        case "exit" where words.count == 3:
            guard let code = Int32(words[1]), let signal = Int32(words[2]) else { return nil }
            self = .exited(code: code, signal: signal)
        default:
            return nil
        }
    }
}
