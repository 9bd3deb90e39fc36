import Logging
import SkiffAPI
import SkiffClient
import Synchronization

/// Whether the pod network can be set up yet: without `--pod-cidr` the node
/// waits for node IPAM (the controller manager) to give it a `spec.podCIDR`,
/// and reports NotReady meanwhile, as upstream's kubelet does while its
/// network plugin has no configuration.
final class PodNetworkReadiness: Sendable {
    static let waitingReason =
        "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:the node has no podCIDR yet"

    private let reason: Mutex<String?>

    init(ready: Bool) {
        reason = Mutex(ready ? nil : Self.waitingReason)
    }

    /// Why the node is not ready for pods; nil once it is.
    var notReadyReason: String? { reason.withLock { $0 } }

    func setReady() { reason.withLock { $0 = nil } }

    /// Sleeps up to `limit`, returning early when the readiness differs from `seen`,
    /// so a node reports Ready as soon as its network is there.
    func wait(upTo limit: Duration, changedFrom seen: String?) async {
        let end = ContinuousClock.now + limit
        while !Task.isCancelled && ContinuousClock.now < end && notReadyReason == seen {
            try? await Task.sleep(for: min(.milliseconds(200), end - ContinuousClock.now))
        }
    }

    /// The Node's podCIDR, polling the API until node IPAM has set it; nil when cancelled first.
    static func podCIDR(of nodeName: String, client: APIClient, logger: Logger) async -> String? {
        logger.info("waiting for the node's podCIDR from node IPAM before starting pods", metadata: ["node": "\(nodeName)"])
        while !Task.isCancelled {
            if let cidr = try? await client.get(Node.self, nodeName).spec.podCIDR, !cidr.isEmpty {
                logger.info("node has a podCIDR", metadata: ["node": "\(nodeName)", "podCIDR": "\(cidr)"])
                return cidr
            }
            try? await Task.sleep(for: .milliseconds(500))
        }
        return nil
    }
}
