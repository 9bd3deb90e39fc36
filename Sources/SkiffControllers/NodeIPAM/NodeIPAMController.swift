import Logging
import SkiffAPI
import SkiffClient
import Synchronization

/// Gives every Node a podCIDR from the cluster CIDR, as upstream's node IPAM
/// controller with the RangeAllocator: a node without `spec.podCIDR` gets the
/// next free subnet in `spec.podCIDR` and `spec.podCIDRs`; a deleted node's
/// subnet is free again. Which subnets are used is rebuilt from the Nodes
/// themselves at the start of every term, so a restarted controller never hands
/// out a subnet twice. When the range is exhausted the node gets a
/// CIDRNotAvailable event and is retried with backoff.
public final class NodeIPAMController: Controller {
    public let name = "nodeipam"
    public let queue = WorkQueue<String>()

    private struct Allocations {
        var set: CIDRSet
        /// What each node has or is being given; a failed patch retries with the same subnet.
        var byNode: [String: IPv4Network] = [:]
        var seeded = false

        /// Frees the node's subnet unless another node (set by hand) claims it too.
        mutating func release(_ node: String) {
            guard let network = byNode.removeValue(forKey: node), !byNode.values.contains(network) else { return }
            set.release(network)
        }
    }

    let client: APIClient
    let nodes: Informer<Node>
    let events: EventRecorder?
    let logger: Logger
    private let allocations: Mutex<Allocations>

    public init(
        client: APIClient, informers: SharedInformers, clusterCIDR: String, nodeMaskSize: Int, events: EventRecorder?,
        logger: Logger
    ) throws(CIDRSet.Failure) {
        self.client = client
        self.events = events
        self.logger = logger
        allocations = Mutex(Allocations(set: try CIDRSet(clusterCIDR: clusterCIDR, nodeMaskSize: nodeMaskSize)))
        nodes = informers.informer(Node.self)
        nodes.addHandler { [weak self] event in
            switch event {
            case .added(let node), .updated(_, let node): self?.queue.add(node.metadata.name ?? "")
            case .deleted(let node):
                self?.queue.add(node.metadata.name ?? "")
                // Its subnet is free now: nodes waiting for one need not wait out their backoff.
                self?.enqueueWaiting()
            case .synced: break
            }
        }
    }

    private func enqueueWaiting() {
        for node in nodes.list() where node.spec.podCIDR == nil { queue.add(node.metadata.name ?? "") }
    }

    /// The key is a node's name.
    public func sync(_ key: String) async throws {
        seedIfNeeded()
        guard let node = nodes.get(key) else {
            allocations.withLock { $0.release(key) }
            return
        }
        if let existing = node.spec.podCIDR {
            record(existing, of: key)
            return
        }
        let network: IPv4Network
        do {
            network = try allocations.withLock { allocations throws(CIDRSet.Failure) in
                if let pending = allocations.byNode[key] { return pending }
                let network = try allocations.set.allocateNext()
                allocations.byNode[key] = network
                return network
            }
        } catch {
            events?.record(ObjectReference(to: node), type: .normal, reason: "CIDRNotAvailable", message: "Node \(key) status is now: CIDRNotAvailable")
            logger.warning("no pod CIDR left for node", metadata: ["node": "\(key)", "error": "\(error)"])
            throw error
        }
        let cidr = network.description
        let body = #"{"spec":{"podCIDR":"\#(cidr)","podCIDRs":["\#(cidr)"]}}"#
        do {
            try await client.patch(Node.self, key, .merge, body: Array(body.utf8))
            logger.info("allocated pod CIDR", metadata: ["node": "\(key)", "podCIDR": "\(cidr)"])
        } catch {
            if error.isNotFound {
                allocations.withLock { $0.release(key) }
                return
            }
            throw error
        }
    }

    /// Marks every subnet the nodes already have as used, once per term, before
    /// anything is handed out (the caches are synced before the first sync).
    private func seedIfNeeded() {
        let existing = nodes.list()
        allocations.withLock { allocations in
            guard !allocations.seeded else { return }
            allocations.seeded = true
            for node in existing {
                guard let name = node.metadata.name, let cidr = node.spec.podCIDR, let network = IPv4Network(cidr),
                    allocations.set.occupy(network)
                else { continue }
                allocations.byNode[name] = network
            }
        }
    }

    /// A node has this podCIDR (set by us, by hand, or by its kubelet's --pod-cidr).
    private func record(_ cidr: String, of node: String) {
        let inRange = allocations.withLock { allocations -> Bool in
            guard let network = IPv4Network(cidr), allocations.set.occupy(network) else {
                allocations.release(node)
                return false
            }
            if let previous = allocations.byNode[node], previous != network { allocations.release(node) }
            allocations.byNode[node] = network
            return true
        }
        if !inRange {
            logger.debug("node podCIDR outside the cluster CIDR", metadata: ["node": "\(node)", "podCIDR": "\(cidr)"])
        }
    }
}
