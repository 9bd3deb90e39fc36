import Foundation
import Logging
import SkiffAPI

/// Leader election through a coordination.k8s.io/v1 Lease, as client-go's
/// leaderelection package does it: a candidate takes the lease when it is free
/// or its holder has not renewed it for `leaseDuration` (measured by this
/// candidate's clock from when it last saw the lease change, so clock skew
/// between candidates does not matter), renews it every `retryPeriod`, and stops
/// leading if it could not renew within `renewDeadline`. On cancellation a
/// leader gives the lease up so another can take it at once.
public final class LeaderElector: Sendable {
    public struct Configuration: Sendable {
        public var leaseName: String
        public var namespace: String
        /// Unique per candidate: upstream uses `hostname_uuid`.
        public var identity: String
        public var leaseDuration: Duration = .seconds(15)
        public var renewDeadline: Duration = .seconds(10)
        public var retryPeriod: Duration = .seconds(2)

        public init(leaseName: String, namespace: String = "kube-system", identity: String) {
            self.leaseName = leaseName
            self.namespace = namespace
            self.identity = identity
        }
    }

    public let configuration: Configuration
    private let client: APIClient
    private let logger: Logger

    public init(client: APIClient, configuration: Configuration, logger: Logger = Logger(label: "skiff.leaderelection")) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// Campaigns until leading, then runs `lead` while renewing. Returns when
    /// leadership is lost (after cancelling `lead` and waiting for it) or when
    /// the calling task is cancelled (after releasing the lease).
    public func run(lead: @escaping @Sendable () async -> Void) async {
        var observed = ObservedLease()
        while !Task.isCancelled {
            if await tryAcquireOrRenew(&observed) { break }
            try? await Task.sleep(for: jittered(configuration.retryPeriod))
        }
        if Task.isCancelled { return }
        logger.info("became leader", metadata: ["lease": "\(configuration.leaseName)", "identity": "\(configuration.identity)"])
        let leading = Task { await lead() }
        await renewUntilLost(&observed)
        leading.cancel()
        await leading.value
        if Task.isCancelled { await release(observed) }
        logger.info("stopped leading", metadata: ["lease": "\(configuration.leaseName)", "identity": "\(configuration.identity)"])
    }

    /// What this candidate last saw of the lease, and when by its own clock.
    struct ObservedLease {
        var lease: Lease?
        var observedAt = ContinuousClock.now
    }

    private func renewUntilLost(_ observed: inout ObservedLease) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: configuration.retryPeriod)
            if Task.isCancelled { return }
            let deadline = ContinuousClock.now + configuration.renewDeadline
            var renewed = false
            while !Task.isCancelled, ContinuousClock.now < deadline {
                if await tryAcquireOrRenew(&observed) {
                    renewed = true
                    break
                }
                try? await Task.sleep(for: configuration.retryPeriod / 4)
            }
            if !renewed {
                if !Task.isCancelled { logger.warning("failed to renew lease", metadata: ["lease": "\(configuration.leaseName)"]) }
                return
            }
        }
    }

    /// One attempt: create the lease, or take or renew it when this candidate may.
    func tryAcquireOrRenew(_ observed: inout ObservedLease) async -> Bool {
        let now = MicroTime.now()
        let seconds = Int32(configuration.leaseDuration.components.seconds)
        let current: Lease
        do {
            current = try await client.get(Lease.self, configuration.leaseName, namespace: configuration.namespace)
        } catch {
            if error.isNotFound { return await create(observed: &observed, now: now, seconds: seconds) }
            logger.debug("lease read failed", metadata: ["error": "\(error)"])
            return false
        }
        if observed.lease?.spec != current.spec {
            observed = ObservedLease(lease: current)
        }
        let holder = current.spec.holderIdentity ?? ""
        let duration = Duration.seconds(Int(current.spec.leaseDurationSeconds ?? seconds))
        let heldByOther = !holder.isEmpty && holder != configuration.identity
        if heldByOther && ContinuousClock.now < observed.observedAt + duration { return false }

        var lease = current
        if holder != configuration.identity {
            lease.spec.acquireTime = now
            lease.spec.leaseTransitions = (current.spec.leaseTransitions ?? 0) + 1
        }
        lease.spec.holderIdentity = configuration.identity
        lease.spec.leaseDurationSeconds = seconds
        lease.spec.renewTime = now
        guard let updated = try? await client.update(lease) else { return false }
        observed = ObservedLease(lease: updated)
        return true
    }

    /// Makes the lease, held by this candidate.
    private func create(observed: inout ObservedLease, now: MicroTime, seconds: Int32) async -> Bool {
        var lease = Lease()
        lease.metadata.name = configuration.leaseName
        lease.metadata.namespace = configuration.namespace
        lease.spec = LeaseSpec()
        lease.spec.holderIdentity = configuration.identity
        lease.spec.leaseDurationSeconds = seconds
        lease.spec.acquireTime = now
        lease.spec.renewTime = now
        lease.spec.leaseTransitions = 0
        guard let created = try? await client.create(lease) else { return false }
        observed = ObservedLease(lease: created)
        return true
    }

    /// Gives the lease up (empty holder, 1 s duration) if this candidate still holds it.
    private func release(_ observed: ObservedLease) async {
        guard var lease = observed.lease, lease.spec.holderIdentity == configuration.identity else { return }
        lease.spec.holderIdentity = ""
        lease.spec.leaseDurationSeconds = 1
        lease.spec.renewTime = MicroTime.now()
        _ = try? await client.update(lease)
    }

    private func jittered(_ period: Duration) -> Duration {
        period * Double.random(in: 1.0...1.2)
    }
}
