import Foundation
import Logging
import SkiffAPI
import SkiffClient
import SkiffRuntime

/// The node agent's kubelet: registers the Node and keeps its Lease and status
/// fresh, runs the pods bound to it through the runtime, and reports their status.
/// `run()` returns when its task is cancelled; containers keep running, so a
/// kubelet started again on the same directories carries on where this one stopped.
public final class Kubelet: Sendable {
    public let configuration: KubeletConfiguration
    private let client: APIClient
    private let runtime: ContainerRuntime
    private let imageStore: ImageStore
    private let volumes: any PodVolumeSetUp
    private let logger: Logger
    /// The pods bound to this node.
    private let informer: Informer<Pod>

    public init(
        configuration: KubeletConfiguration, client: APIClient, runtime: ContainerRuntime, imageStore: ImageStore,
        volumes: any PodVolumeSetUp, logger: Logger = Logger(label: "skiff.kubelet")
    ) {
        self.configuration = configuration
        self.client = client
        self.runtime = runtime
        self.imageStore = imageStore
        self.volumes = volumes
        self.logger = logger
        informer = Informer<Pod>(client: client, fieldSelector: "spec.nodeName=\(configuration.nodeName)", logger: logger)
    }

    /// This node's pods and containers, for the kubelet server.
    public var directory: any KubeletContainerDirectory {
        NodePodDirectory(
            pods: informer, runtime: runtime, namespaces: PinnedNamespaces(runDirectory: configuration.sandboxRunDirectory))
    }

    public func run() async {
        let machine = MachineInfo.current(storagePath: configuration.rootDirectory)
        let nodeObject = NodeObject(configuration: configuration, machine: machine)
        guard let node = try? await NodeRegistration(client: client, node: nodeObject, logger: logger).register() else { return }
        // The cluster's podCIDR wins; --pod-cidr is only written into a Node that has none.
        let knownCIDR = node.spec.podCIDR ?? configuration.podCIDR
        let network = PodNetworkReadiness(ready: knownCIDR != nil)
        let events = EventRecorder(client: client, component: "kubelet", host: configuration.nodeName)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await events.run() }
            group.addTask { await self.heartbeat(node: node, nodeObject: nodeObject, network: network) }
            group.addTask {
                let podCIDR: String?
                if let knownCIDR {
                    podCIDR = knownCIDR
                } else {
                    podCIDR = await PodNetworkReadiness.podCIDR(of: self.configuration.nodeName, client: self.client, logger: self.logger)
                }
                guard let podCIDR else { return }
                network.setReady()
                await self.runPods(node: node, podCIDR: podCIDR, events: events)
            }
            await Self.waitForCancellation()
            group.cancelAll()
        }
    }

    /// The pod network, pod workers, probes and the runtime relist, until cancelled.
    private func runPods(node: Node, podCIDR: String, events: EventRecorder) async {
        let sandboxes = PodSandboxes(
            network: DefaultNetwork.conflist(
                podCIDR: podCIDR, bridge: configuration.bridgeName, ipamDataDirectory: configuration.ipamDataDirectory),
            runDirectory: configuration.sandboxRunDirectory, stateDirectory: configuration.sandboxStateDirectory,
            pluginNetworkNamespace: configuration.cniPluginNetworkNamespace,
            clusterDNS: PodDNS.Cluster(nameservers: configuration.clusterDNS, domain: configuration.clusterDomain),
            logger: Logger(label: "skiff.sandbox"))
        let commands = ContainerCommandRunner(runtime: runtime)
        let probes = ProbeManager(prober: Prober(commands: commands))
        let services = PodServices(
            configuration: configuration, client: client, runtime: runtime, sandboxes: sandboxes,
            images: ImagePuller(store: imageStore, insecureRegistries: configuration.insecureRegistries, logger: logger),
            volumes: volumes, configSource: APIConfigSource(client: client), events: events, probes: probes,
            hooks: LifecycleHookRunner(commands: commands), nodeAllocatable: node.status.allocatable ?? [:], logger: logger)
        let workers = PodWorkers(services: services)
        let informer = self.informer

        let changes = informer.events()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await informer.run() }
            group.addTask {
                for await change in changes {
                    switch change {
                    case .added(let pod), .updated(_, let pod): await workers.observe(pod)
                    case .deleted(let pod): await workers.removed(pod)
                    case .synced:
                        await OrphanCleanup(services: services).run(keeping: Set(informer.list().compactMap(\.metadata.uid)))
                    }
                }
            }
            group.addTask { await self.relist(workers: workers) }
            group.addTask {
                for await notification in probes.notifications {
                    switch notification {
                    case .changed(let update): await workers.wake([update.podUID])
                    case .event(let event): await workers.record(event)
                    }
                }
            }
            await Self.waitForCancellation()
            group.cancelAll()
        }
        await workers.stopAll()
        await probes.stop()
    }

    /// The Lease every renew interval and the status every update interval.
    private func heartbeat(node registered: Node, nodeObject: NodeObject, network: PodNetworkReadiness) async {
        let lease = NodeLease(
            client: client, nodeName: configuration.nodeName, durationSeconds: configuration.leaseDurationSeconds,
            logger: logger)
        let reporter = NodeStatusReporter(
            client: client, node: nodeObject, storagePath: configuration.rootDirectory,
            reportInterval: configuration.nodeStatusReportInterval,
            images: { [imageStore] in NodeStatusReporter.images(in: imageStore) }, logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    await lease.renew(owner: registered)
                    try? await Task.sleep(for: self.configuration.leaseRenewInterval)
                }
            }
            group.addTask {
                var node = registered
                while !Task.isCancelled {
                    let reason = network.notReadyReason
                    // The server's view, as upstream's kubelet reads it before each update: conditions
                    // the node lifecycle controller turned Unknown meanwhile are a change to report.
                    if let current = try? await self.client.get(Node.self, self.configuration.nodeName) { node = current }
                    if let written = await reporter.update(previous: node, notReadyReason: reason) { node = written }
                    await network.wait(upTo: self.configuration.nodeStatusUpdateInterval, changedFrom: reason)
                }
            }
        }
    }

    /// Upstream's PLEG: list the runtime's containers, and wake the worker of
    /// every pod whose containers changed state since the last list.
    private func relist(workers: PodWorkers) async {
        var last: [String: Set<String>] = [:]
        while !Task.isCancelled {
            var now: [String: Set<String>] = [:]
            for record in await runtime.list() {
                guard let uid = record.config.labels[ContainerInstances.podUIDLabel] else { continue }
                now[uid, default: []].insert("\(record.id)=\(record.state.rawValue)")
            }
            let changed = Set(now.keys).union(last.keys).filter { now[$0] != last[$0] }
            if !changed.isEmpty { await workers.wake(changed) }
            last = now
            try? await Task.sleep(for: configuration.relistInterval)
        }
    }

    private static func waitForCancellation() async {
        while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
    }
}
