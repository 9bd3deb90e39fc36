import ArgumentParser
import Foundation
import SkiffLab
import SkiffProxy

/// `skiff lab …`: a multi-node cluster on this machine, each node in its own
/// network namespace on a bridge of the lab's own (what kind gives with Docker).
struct LabCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lab", abstract: "Run a multi-node cluster on this machine, each node in its own network namespace.",
        subcommands: [
            LabUpCommand.self, LabDownCommand.self, LabStatusCommand.self, LabKubectlCommand.self,
            LabLoadImageCommand.self, LabStopCommand.self, LabStartCommand.self, LabRelayCommand.self,
        ])
}

/// Which lab: its name and the directory labs live in.
struct LabSelection: ParsableArguments {
    @Option(help: "The lab's name (part of its namespaces', nodes' and cgroups' names).")
    var name = "lab"

    @Option(help: "The directory labs keep their state in.")
    var root = "/var/lib/skiff-lab"

    var stateFile: String { root + "/" + name + "/lab.json" }

    func load() throws -> LabState {
        do { return try LabState.load(stateFile) } catch let error as LabError { throw CommandFailure(error.description) }
    }
}

/// Runs a lab operation, reporting a LabError as the command's failure.
func reportingLabErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as LabError { throw CommandFailure(error.description) }
}

struct LabUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up", abstract: "Create the lab network, start the server and the agents, wait for Ready nodes.")

    @OptionGroup var lab: LabSelection

    @Option(help: "Nodes in all: the first runs the server (with its own agent), the others agents.")
    var nodes = 3

    @Option(help: "The lab network, an IPv4 /24 that exists only inside the lab's namespaces.")
    var network = "10.250.0.0/24"

    @Option(help: "The host loopback port of the lab's API server (0: a free one).")
    var port: UInt16 = 0

    @Option(help: "Where the cluster keeps its objects: sqlite (embedded in the server) or etcd (a member the lab runs in the server's namespace).")
    var datastore: Lab.Datastore = .sqlite

    @Option(help: "The service proxy of every node: nftables or iptables.")
    var proxyMode: ProxyMode = .nftables

    @Option(name: .customLong("server-arg"), parsing: .unconditionalSingleValue, help: "An extra argument for skiff server. Repeatable.")
    var serverArguments: [String] = []

    @Option(name: .customLong("agent-arg"), parsing: .unconditionalSingleValue, help: "An extra argument for every skiff agent. Repeatable.")
    var agentArguments: [String] = []

    @Option(help: "Seconds to wait for every node to be Ready.")
    var readyTimeout = 180

    func run() throws {
        try reportingLabErrors {
            let plan = try LabPlan(name: lab.name, nodes: nodes, root: lab.root, network: network)
            var options = Lab.Options(skiff: try Self.executablePath())
            options.datastore = datastore
            options.proxyMode = proxyMode.rawValue
            options.serverArguments = serverArguments
            options.agentArguments = agentArguments
            options.readyTimeout = .seconds(readyTimeout)
            options.relayPort = port
            try Lab(plan: plan, options: options).up()
            print("use it: export KUBECONFIG=\(plan.kubeconfig); or: skiff lab kubectl --name \(plan.name) -- get nodes")
        }
    }

    /// This binary, by its real path (the components run the same one).
    static func executablePath() throws -> String {
        let path = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        return path
    }
}

struct LabDownCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down", abstract: "Remove every process, container, mount, cgroup, namespace and file of the lab.")

    @OptionGroup var lab: LabSelection

    func run() throws {
        let state = try lab.load()
        try reportingLabErrors { try LabTeardown(state: state).run() }
    }
}

struct LabStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show the lab's nodes and processes.")

    @OptionGroup var lab: LabSelection

    func run() throws {
        let state = try lab.load()
        var rows = [["COMPONENT", "PID", "STATE", "ADDRESS", "NAMESPACE"]]
        for process in state.processes {
            let node = state.plan.nodes.first { $0.name == process.component }
            rows.append([
                process.component, String(process.pid), DetachedProcess.isRunning(process) ? "running" : "exited",
                node?.address ?? "127.0.0.1:\(state.relayPort ?? 0)", node?.namespace ?? "(host)",
            ])
        }
        print(TextTable.render(rows))
        print("kubeconfig: \(state.plan.kubeconfig)")
    }
}

struct LabStopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Stop a node's server or agent (its pods keep running), e.g. to watch it turn NotReady.")

    @OptionGroup var lab: LabSelection

    @Argument(help: "The node (as `skiff lab status` names it), or relay.")
    var component: String

    @Flag(help: "SIGKILL at once, as a crash would, instead of SIGTERM and a grace period.")
    var kill = false

    func run() throws {
        let state = try lab.load()
        try reportingLabErrors { try state.stop(component, kill: kill) }
        print("stopped \(component)")
    }
}

struct LabStartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Start a stopped node's server or agent again, with the arguments it first had.")

    @OptionGroup var lab: LabSelection

    @Argument(help: "The node (as `skiff lab status` names it), or relay.")
    var component: String

    func run() throws {
        var state = try lab.load()
        let process = try reportingLabErrors { try state.start(component) }
        print("started \(component) (pid \(process.pid))")
    }
}

struct LabKubectlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubectl", abstract: "Run kubectl against the lab: skiff lab kubectl -- get nodes")

    @OptionGroup var lab: LabSelection

    @Argument(parsing: .captureForPassthrough, help: "kubectl's arguments, after --.")
    var arguments: [String] = []

    func run() throws {
        let state = try lab.load()
        guard let kubectl = Kubectl.path else { throw CommandFailure("kubectl is not on PATH") }
        let argv = [kubectl, "--kubeconfig", state.plan.kubeconfig] + arguments.drop { $0 == "--" }
        let pointers = argv.map { strdup($0) } + [nil]
        execv(kubectl, pointers)
        throw CommandFailure("cannot run \(kubectl): \(String(cString: strerror(errno)))")
    }
}

struct LabRelayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay", abstract: "Relay the host's loopback to the lab's API server (lab up starts it).",
        shouldDisplay: false)

    @OptionGroup var lab: LabSelection

    @Option(help: "The loopback port (0: a free one; written to the lab's relay.port).")
    var port: UInt16 = 0

    func run() throws {
        let state = try lab.load()
        let server = state.plan.server
        try reportingLabErrors {
            let (listener, bound) = try TCPRelay.listen(port: port)
            try "\(bound)\n".write(toFile: state.plan.relayPortFile, atomically: true, encoding: .utf8)
            print("relaying 127.0.0.1:\(bound) to \(server.address):\(LabPlan.apiPort) in \(server.namespace)")
            fflush(nil)   // the log shows the line before serve() blocks
            TCPRelay(targetNamespace: server.namespacePath, targetAddress: server.address, targetPort: UInt16(LabPlan.apiPort))
                .serve(listener: listener)
        }
    }
}

extension Lab.Datastore: ExpressibleByArgument {}
