import Logging
import SkiffAPI
import SkiffClient

/// The node's heartbeat: the Lease `kube-node-lease/<node>`, owned by the Node
/// so it goes with it, renewed every few seconds (upstream's nodelease controller).
/// The node lifecycle controller reads renewTime to tell a live node from a lost one.
actor NodeLease {
    static let namespace = "kube-node-lease"

    private let client: APIClient
    private let nodeName: String
    private let durationSeconds: Int32
    private let logger: Logger
    private var lease: Lease?

    init(client: APIClient, nodeName: String, durationSeconds: Int32, logger: Logger) {
        self.client = client
        self.nodeName = nodeName
        self.durationSeconds = durationSeconds
        self.logger = logger
    }

    /// Renews the lease, making it when it does not exist. A conflict (someone
    /// else wrote it) re-reads it and tries once more.
    func renew(owner: Node) async {
        for _ in 0..<2 {
            do {
                lease = try await write(owner: owner)
                return
            } catch {
                let reason = (error as? ClientError)?.reason
                lease = nil
                guard reason == .conflict || reason == .notFound else {
                    logger.warning("lease renewal failed", metadata: ["error": "\(error)"])
                    return
                }
            }
        }
    }

    private func write(owner: Node) async throws -> Lease {
        let existing: Lease?
        if let lease { existing = lease } else {
            existing = try await notFoundAsNil { try await client.get(Lease.self, nodeName, namespace: Self.namespace) }
        }
        guard var renewed = existing else { return try await client.create(fresh(owner: owner)) }
        renewed.spec.holderIdentity = nodeName
        renewed.spec.leaseDurationSeconds = durationSeconds
        renewed.spec.renewTime = .now()
        if renewed.metadata.ownerReferences?.isEmpty ?? true { renewed.metadata.ownerReferences = [Self.reference(to: owner)] }
        return try await client.update(renewed)
    }

    private func fresh(owner: Node) -> Lease {
        var lease = Lease()
        lease.metadata.name = nodeName
        lease.metadata.namespace = Self.namespace
        lease.metadata.ownerReferences = [Self.reference(to: owner)]
        lease.spec.holderIdentity = nodeName
        lease.spec.leaseDurationSeconds = durationSeconds
        lease.spec.renewTime = .now()
        return lease
    }

    static func reference(to node: Node) -> OwnerReference {
        var reference = OwnerReference()
        reference.apiVersion = "v1"
        reference.kind = "Node"
        reference.name = node.metadata.name ?? ""
        reference.uid = node.metadata.uid ?? ""
        return reference
    }
}
