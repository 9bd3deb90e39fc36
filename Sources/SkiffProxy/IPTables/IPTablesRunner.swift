import Foundation
import SkiffProcess
import Synchronization

/// Where the iptables backend's commands go: the real `iptables-save` and
/// `iptables-restore` (``IPTablesCommands``) or, in unit tests, a recorder.
public protocol IPTablesRunner: Sendable {
    /// What `iptables-save -t table` prints.
    func save(table: String) async throws(ProxyError) -> String
    /// Feeds `input` to `iptables-restore --noflush`, which applies each table's
    /// section atomically and leaves chains it does not name alone.
    func restore(_ input: String) async throws(ProxyError)
}

/// The `iptables-save` and `iptables-restore` on PATH (Debian's are iptables-nft),
/// or their ip6tables twins for IPv6, optionally inside another network namespace
/// through `nsenter --net=PATH --`.
public struct IPTablesCommands: IPTablesRunner {
    public let namespacePath: String?
    public let family: IPFamily

    public init(namespacePath: String? = nil, family: IPFamily = .ipv4) {
        self.namespacePath = namespacePath
        self.family = family
    }

    /// `iptables` or `ip6tables`.
    private static func program(_ family: IPFamily) -> String { family == .ipv4 ? "iptables" : "ip6tables" }

    /// What is missing of the family's save and restore programs; nil when both are installed.
    public static func missingProgram(family: IPFamily) -> ProxyError? {
        for suffix in ["-save", "-restore"] where ChildProgram.find(program(family) + suffix) == nil {
            return ProxyError("\(program(family) + suffix) is not installed (not on PATH, /usr/sbin or /sbin); --proxy-mode iptables needs it")
        }
        return nil
    }

    public func save(table: String) async throws(ProxyError) -> String {
        try await run(Self.program(family) + "-save", ["-t", table], input: nil)
    }

    public func restore(_ input: String) async throws(ProxyError) {
        // -w: wait for the xtables lock (iptables-legacy) rather than fail when another tool holds it.
        _ = try await run(Self.program(family) + "-restore", ["-w", "5", "--noflush"], input: Array(input.utf8))
    }

    private func run(_ program: String, _ arguments: [String], input: [UInt8]?) async throws(ProxyError) -> String {
        guard let executable = ChildProgram.find(program) else {
            throw ProxyError("\(program) is not installed (not on PATH, /usr/sbin or /sbin); --proxy-mode iptables needs it")
        }
        var command = [executable] + arguments
        if let namespacePath {
            guard let nsenter = ChildProgram.find("nsenter") else { throw ProxyError("nsenter is not installed") }
            command = [nsenter, "--net=\(namespacePath)", "--"] + command
        }
        let ended: ProgramOutcome
        do {
            ended = try await ChildProgram.run(command, input: input)
        } catch {
            throw ProxyError("\(error)")
        }
        guard ended.succeeded else {
            let said = ended.errorText.trimmingCharacters(in: .whitespacesAndNewlines)
            throw ProxyError("\(program) \(arguments.joined(separator: " ")) exited \(ended.status): \(said.prefix(2000))")
        }
        return ended.outputText
    }
}

/// Keeps every restore input instead of running it, and answers saves with
/// canned text: the unit tests' side of the seam.
public final class RecordingIPTablesRunner: IPTablesRunner {
    private struct State {
        var restores: [String] = []
        var saves: [String] = []
        var saved: [String: String] = [:]
        var failure: ProxyError?
    }
    private let state = Mutex(State())

    public init() {}

    /// Each restore's input, in order.
    public var restores: [String] { state.withLock { $0.restores } }
    /// The tables saved, in order.
    public var saves: [String] { state.withLock { $0.saves } }

    /// What `save(table:)` answers for `table` from now on (empty until set).
    public func setSaved(_ text: String, table: String) { state.withLock { $0.saved[table] = text } }

    /// Makes the next restore fail with `error` (once).
    public func failNext(_ error: ProxyError) { state.withLock { $0.failure = error } }

    public func save(table: String) async throws(ProxyError) -> String {
        state.withLock { state in
            state.saves.append(table)
            return state.saved[table] ?? ""
        }
    }

    public func restore(_ input: String) async throws(ProxyError) {
        let failure = state.withLock { state -> ProxyError? in
            defer { state.failure = nil }
            if state.failure == nil { state.restores.append(input) }
            return state.failure
        }
        if let failure { throw failure }
    }
}
