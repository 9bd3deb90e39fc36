import SkiffAPI
import SkiffClient
import SkiffRuntime

/// The kubelet server's view of this node's pods: the pods bound here (from the
/// kubelet's pod informer), their containers' instances in the runtime, and
/// their pinned network namespaces.
struct NodePodDirectory: KubeletContainerDirectory {
    let pods: Informer<Pod>
    let runtime: ContainerRuntime
    let namespaces: PinnedNamespaces

    func pods() async -> [KubeletPodEntry] {
        let records = await runtime.list()
        return pods.list().map { entry(for: $0, records: records) }
    }

    private func entry(for pod: Pod, records: [ContainerRecord]) -> KubeletPodEntry {
        let uid = pod.metadata.uid ?? ""
        let instances = ContainerInstances(podUID: uid, records: records)
        let names = (pod.spec.initContainers ?? []).map(\.name) + pod.spec.containers.map(\.name)
            + (pod.spec.ephemeralContainers ?? []).map(\.name)
        let reported = (pod.status.initContainerStatuses ?? []) + (pod.status.containerStatuses ?? [])
        var statuses: [String: KubeletContainerStatus] = [:]
        for name in names {
            let previous = instances.previous(name).map(Self.reference)
            switch instances.latest(name) {
            case let latest? where latest.state == .running:
                statuses[name] = KubeletContainerStatus(state: .running(Self.reference(latest)), lastTerminated: previous)
            case let latest?:
                statuses[name] = KubeletContainerStatus(state: .terminated(Self.reference(latest)), lastTerminated: previous)
            case nil:
                guard let waiting = reported.first(where: { $0.name == name })?.state.waiting else { continue }
                statuses[name] = KubeletContainerStatus(state: .waiting(reason: waiting.reason ?? "ContainerCreating"))
            }
        }
        var network: KubeletPodNetwork?
        if pod.spec.hostNetwork == true {
            network = .host
        } else if namespaces.isPinned(.network, name: uid) {
            network = .namespace(path: namespaces.path(.network, name: uid))
        }
        return KubeletPodEntry(
            namespace: pod.metadata.namespace ?? "default", name: pod.metadata.name ?? "", uid: uid, containerNames: names,
            statuses: statuses, network: network)
    }

    private static func reference(_ record: ContainerRecord) -> KubeletContainerRef {
        KubeletContainerRef(id: record.id, logPath: record.logPath)
    }
}
