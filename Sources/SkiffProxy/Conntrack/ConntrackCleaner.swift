import SkiffProcess

/// Where the proxy sends the deletions of stale UDP conntrack entries: the
/// `conntrack` program (``ConntrackCommands``), or whatever a test puts there.
public protocol ConntrackCleaner: Sendable {
    /// Deletes the entries; a failure is the cleaner's to report (the rules are
    /// right either way, and the entries time out by themselves).
    func delete(_ flows: [StaleUDPFlow]) async
}

/// `conntrack -D …` from conntrack-tools, optionally in another network namespace
/// through `nsenter --net=PATH --`.
public struct ConntrackCommands: ConntrackCleaner {
    public let namespacePath: String?
    private let report: @Sendable (String) -> Void

    public init(namespacePath: String? = nil, report: @escaping @Sendable (String) -> Void = { _ in }) {
        self.namespacePath = namespacePath
        self.report = report
    }

    public func delete(_ flows: [StaleUDPFlow]) async {
        guard !flows.isEmpty else { return }
        guard let conntrack = ChildProgram.find("conntrack") else {
            report("conntrack is not installed: \(flows.count) stale UDP entries stay until they time out")
            return
        }
        var prefix: [String] = []
        if let namespacePath {
            guard let nsenter = ChildProgram.find("nsenter") else { return report("nsenter is not installed") }
            prefix = [nsenter, "--net=\(namespacePath)", "--"]
        }
        for flow in flows {
            do {
                let outcome = try await ChildProgram.run(prefix + [conntrack] + flow.deleteArguments)
                // 1 with "0 flow entries have been deleted": there were none, as often.
                if outcome.status != 0 && !outcome.errorText.contains("0 flow entries") {
                    report("conntrack \(flow) exited \(outcome.status): \(outcome.errorText.prefix(500))")
                }
            } catch {
                report("\(error)")
            }
        }
    }
}
