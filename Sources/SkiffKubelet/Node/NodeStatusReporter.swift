import Foundation
import Logging
import SkiffAPI
import SkiffClient
import SkiffRuntime

/// Keeps the Node's status true: measures the machine every few seconds and
/// patches status when a condition changed, or at least every report interval
/// so heartbeat times stay fresh (upstream's nodeStatusUpdateFrequency and
/// nodeStatusReportFrequency).
actor NodeStatusReporter {
    private let client: APIClient
    private let node: NodeObject
    private let storagePath: String
    private let reportInterval: Duration
    private let images: @Sendable () -> [ContainerImage]
    private let logger: Logger
    private var lastSent: NodeStatus?
    private var lastSentAt: ContinuousClock.Instant?

    init(
        client: APIClient, node: NodeObject, storagePath: String, reportInterval: Duration,
        images: @escaping @Sendable () -> [ContainerImage], logger: Logger
    ) {
        self.images = images
        self.client = client
        self.node = node
        self.storagePath = storagePath
        self.reportInterval = reportInterval
        self.logger = logger
    }

    /// Sends the status if it changed or is due; `notReadyReason` nil means Ready.
    /// Returns the Node as the server has it after a write, nil when nothing was sent.
    @discardableResult
    func update(previous: Node, notReadyReason: String?) async -> Node? {
        let measured = NodeConditions.measure(storagePath: storagePath, notReadyReason: notReadyReason)
        var status = node.status(
            conditions: measured.conditions(previous: previous.status.conditions ?? [], now: .now()))
        status.images = images()
        let due = lastSentAt.map { ContinuousClock.now - $0 >= reportInterval } ?? true
        guard due || !Self.sameIgnoringHeartbeats(status, lastSent) else { return nil }
        do {
            let body = try JSONCodec.encode(StatusPatch(status: status))
            let written = try await client.patch(
                Node.self, node.configuration.nodeName, .strategicMerge, body: body, subresource: "status")
            lastSent = status
            lastSentAt = .now
            return written
        } catch {
            logger.warning("node status update failed", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private struct StatusPatch: Encodable {
        var status: NodeStatus
    }

    static func sameIgnoringHeartbeats(_ a: NodeStatus, _ b: NodeStatus?) -> Bool {
        guard var b else { return false }
        var a = a
        func strip(_ status: inout NodeStatus) {
            status.conditions = status.conditions?.map { condition in
                var condition = condition
                condition.lastHeartbeatTime = nil
                return condition
            }
        }
        strip(&a)
        strip(&b)
        return a == b
    }
}

extension NodeStatusReporter {
    /// Upstream reports at most this many images, largest first (nodeStatusMaxImages).
    static let maximumImages = 50

    /// The images in `store`, named as `kubectl describe node` and the scheduler's
    /// ImageLocality read them: `repository@digest` and each `repository:tag`.
    static func images(in store: ImageStore) -> [ContainerImage] {
        let all = (try? store.list()) ?? []
        return all.sorted { $0.size > $1.size }.prefix(maximumImages).map { image in
            var entry = ContainerImage()
            let repositories = Set(image.references.compactMap { try? ImageReference(parsing: $0).name })
            entry.names = repositories.sorted().map { "\($0)@\(image.manifestDigest)" } + image.references.sorted()
            entry.sizeBytes = image.size
            return entry
        }
    }
}
