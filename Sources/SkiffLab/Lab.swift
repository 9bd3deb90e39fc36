import Foundation

/// A multi-node cluster on this machine: `skiff server` in one network namespace,
/// `skiff agent` in one per further node, all on the lab's own bridge, and a
/// relay that gives the host a kubeconfig on loopback.
public struct Lab {
    public struct Options: Sendable {
        /// The `skiff` binary the components run.
        public var skiff: String
        /// Where the cluster keeps its objects: the server's embedded SQLite, or an
        /// etcd the lab runs beside it.
        public var datastore: Datastore = .sqlite
        /// The proxy mode of every node (`--proxy-mode` of server and agents).
        public var proxyMode = "nftables"
        /// Extra arguments for `skiff server` and every `skiff agent` (timings).
        public var serverArguments: [String] = []
        public var agentArguments: [String] = []
        /// How long `up` waits for every node to be Ready.
        public var readyTimeout: Duration = .seconds(180)
        public var relayPort: UInt16 = 0

        public init(skiff: String) {
            self.skiff = skiff
        }
    }

    public enum Datastore: String, Sendable, CaseIterable { case sqlite, etcd }

    public let plan: LabPlan
    public let options: Options
    private let report: (String) -> Void

    public init(plan: LabPlan, options: Options, report: @escaping (String) -> Void = { print($0) }) {
        self.plan = plan
        self.options = options
        self.report = report
    }

    /// Brings the lab up and waits until every node is Ready. What was made before
    /// a failure stays recorded, so `down` removes it.
    public func up() throws {
        guard !FileManager.default.fileExists(atPath: plan.stateFile) else {
            throw LabError("lab \(plan.name) exists (\(plan.stateFile)); take it down first: skiff lab down --name \(plan.name)")
        }
        try FileManager.default.createDirectory(atPath: plan.directory, withIntermediateDirectories: true)
        var state = LabState(plan: plan)
        try state.save()
        try LabNetwork(plan: plan).create()
        report("lab network ready: \(plan.nodes.count) node namespaces on bridge \(LabPlan.bridge) in \(plan.networkNamespace)")

        if options.datastore == .etcd { try startEtcd(state: &state) }
        try start(plan.server.name, in: plan.server, arguments: serverArguments(), log: plan.serverLog, state: &state)
        let token = try waitForFile(plan.nodeToken, what: "the node token", log: plan.serverLog, state: state)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        for node in plan.nodes.dropFirst() {
            try start(node.name, in: node, arguments: agentArguments(node, token: token), log: node.log, state: &state)
        }
        try startRelay(state: &state)
        let kubeconfig = try waitForFile(plan.innerKubeconfig, what: "the admin kubeconfig", log: plan.serverLog, state: state)
        try HostKubeconfig.write(from: kubeconfig, port: state.relayPort ?? 0, to: plan.kubeconfig)
        try LabReadiness(plan: plan, timeout: options.readyTimeout).waitForNodes()
        report("lab \(plan.name) is up: \(plan.nodes.map(\.name).joined(separator: ", "))")
        report("kubeconfig: \(plan.kubeconfig)")
    }

    private func serverArguments() -> [String] {
        let node = plan.server
        return [
            "server", "--data-dir", plan.serverDataDirectory, "--bind-address", "0.0.0.0",
            "--advertise-address", node.address, "--write-kubeconfig", plan.innerKubeconfig,
        ] + (options.datastore == .etcd ? ["--datastore-endpoint", LabEtcd.clientURL] : [])
            + nodeArguments(node) + options.serverArguments
    }

    private func agentArguments(_ node: LabPlan.Node, token: String) -> [String] {
        ["agent", "--server", plan.serverURL, "--token", token] + nodeArguments(node) + options.agentArguments
    }

    private func nodeArguments(_ node: LabPlan.Node) -> [String] {
        [
            "--node-name", node.name, "--node-ip", node.address,
            "--agent-state-dir", node.stateDirectory, "--agent-run-dir", node.runDirectory,
            "--pod-log-dir", node.podLogDirectory, "--cgroup-parent", node.cgroupParent,
            "--proxy-mode", options.proxyMode,
        ]
    }

    /// Starts a component inside a node's network namespace. nsenter joins only
    /// the network namespace (`ip netns exec` would remount /sys and hide the
    /// cgroup hierarchy the agent nests pods in) and execs, so the pid is the component's.
    private func start(
        _ component: String, in node: LabPlan.Node, arguments: [String], log: String, state: inout LabState
    ) throws {
        try FileManager.default.createDirectory(atPath: node.directory, withIntermediateDirectories: true)
        let process = try state.launch(
            component, command: [HostProgram.nsenter, "--net=\(node.namespacePath)", "--", options.skiff] + arguments, log: log)
        report("started \(component) (pid \(process.pid)), log \(log)")
    }

    /// Starts the lab's etcd and waits (up to a minute) until it answers.
    private func startEtcd(state: inout LabState) throws {
        let etcd = LabEtcd(plan: plan)
        let process = try state.launch("etcd", command: try etcd.command(), log: plan.etcdLog)
        report("started etcd (pid \(process.pid)), log \(plan.etcdLog)")
        for _ in 0..<240 {
            if etcd.isHealthy() { return }
            guard DetachedProcess.isRunning(process) else {
                throw LabError("etcd exited before it answered; its log ends:\n\(LabLogs.tail(plan.etcdLog))")
            }
            usleep(250_000)
        }
        throw LabError("etcd did not answer within 60 s; its log ends:\n\(LabLogs.tail(plan.etcdLog))")
    }

    private func startRelay(state: inout LabState) throws {
        let root = (plan.directory as NSString).deletingLastPathComponent
        try state.launch(
            "relay",
            command: [options.skiff, "lab", "relay", "--name", plan.name, "--root", root, "--port", String(options.relayPort)],
            log: plan.relayLog)
        let port = try waitForFile(plan.relayPortFile, what: "the relay's port", log: plan.relayLog, state: state)
        let bound = Int(port.trimmingCharacters(in: .whitespacesAndNewlines))
        state.relayPort = bound
        // Started again, the relay must take the port the kubeconfig names.
        if let bound, let index = state.processes.firstIndex(where: { $0.component == "relay" }) {
            state.processes[index].command[state.processes[index].command.count - 1] = String(bound)
        }
        try state.save()
    }

    /// Waits up to a minute for a file a component writes, failing early (with the
    /// end of its log) if a recorded process has exited.
    private func waitForFile(_ path: String, what: String, log: String, state: LabState) throws -> String {
        for _ in 0..<1200 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8), !text.isEmpty { return text }
            if let dead = state.processes.first(where: { !DetachedProcess.isRunning($0) }) {
                throw LabError("\(dead.component) exited before \(what) appeared; its log ends:\n\(LabLogs.tail(log))")
            }
            usleep(50_000)
        }
        throw LabError("\(what) did not appear within 60 s (\(path)); the log ends:\n\(LabLogs.tail(log))")
    }
}

enum LabLogs {
    /// The last lines of a log, for error messages.
    static func tail(_ path: String, lines: Int = 30) -> String {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "(no log at \(path))"
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}
