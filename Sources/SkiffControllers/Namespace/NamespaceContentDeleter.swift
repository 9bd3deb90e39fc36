import SkiffAPI
import SkiffClient

/// Upstream's namespacedResourcesDeleter.deleteAllContent: every namespaced
/// resource discovery announces is emptied in the namespace (deletecollection
/// where the resource takes it, else list and delete one by one), then listed
/// again to see what is left and which finalizers hold it.
struct NamespaceContentDeleter: Sendable {
    /// How long to wait for objects held by finalizers (upstream's finalizerEstimateSeconds).
    static let finalizerEstimateSeconds: Int64 = 15

    let resources: NamespacedResources

    /// What one pass achieved.
    struct Outcome {
        /// Seconds until what is left may be gone; 0 when nothing is left to wait for.
        var estimate: Int64 = 0
        var conditions = NamespaceConditions()
        var errors: [String] = []
    }

    func deleteAll(in namespace: Namespace, now: Time) async -> Outcome {
        var outcome = Outcome()
        let name = namespace.metadata.name ?? ""
        let discovered: Discovered
        do {
            discovered = try await resources.discover()
        } catch {
            outcome.errors.append("\(error)")
            outcome.conditions.discoveryFailed(message: "\(error)")
            return outcome
        }
        if let message = discovered.failureMessage {
            outcome.errors.append(message)
            outcome.conditions.discoveryFailed(groups: discovered.failures.count, message: message)
        }
        var byResource: [DiscoveredResource: Int] = [:]
        var byFinalizer: [String: Int] = [:]
        let deletedAt = namespace.metadata.deletionTimestamp ?? now
        for resource in discovered.resources {
            let result = await deleteAll(of: resource, in: name, deletedAt: deletedAt, now: now)
            if let error = result.error {
                outcome.errors.append(error)
                outcome.conditions.contentDeletionFailed(error)
            }
            outcome.estimate = max(outcome.estimate, result.estimate)
            if result.remaining > 0 {
                byResource[resource] = result.remaining
                for (finalizer, count) in result.finalizers { byFinalizer[finalizer, default: 0] += count }
            }
        }
        outcome.conditions.remaining(byResource: byResource, byFinalizer: byFinalizer)
        return outcome
    }

    private struct ResourceResult {
        var estimate: Int64 = 0
        var remaining = 0
        var finalizers: [String: Int] = [:]
        var error: String?
    }

    /// deleteAllContentForGroupVersionResource.
    private func deleteAll(of resource: DiscoveredResource, in namespace: String, deletedAt: Time, now: Time) async
        -> ResourceResult
    {
        var result = ResourceResult()
        let canList = resource.verbs.contains("list")
        do {
            if resource.group.isEmpty && resource.resource == "pods" {
                result.estimate = try await podGraceEstimate(namespace, deletedAt: deletedAt, now: now)
            }
            var collected = false
            if resource.verbs.contains("deletecollection") {
                do {
                    try await resources.deleteCollection(resource, namespace: namespace)
                    collected = true
                } catch {
                    // Announced but refused (405) or absent (404): delete one by one.
                    if error.code != 405 && error.code != 404 { throw error }
                }
            }
            if !collected && canList {
                for object in try await resources.list(resource, namespace: namespace) {
                    do {
                        try await resources.delete(resource, namespace: namespace, name: object.name ?? "")
                    } catch {
                        if error.code != 404 && error.code != 405 { throw error }
                    }
                }
            }
            guard canList else { return result }
            let left = try await resources.list(resource, namespace: namespace)
            guard !left.isEmpty else { return ResourceResult() }
            result.remaining = left.count
            for object in left {
                for finalizer in object.finalizers ?? [] { result.finalizers[finalizer, default: 0] += 1 }
            }
            if result.estimate == 0 {
                if result.finalizers.isEmpty {
                    result.error = "unexpected items still remain in namespace: \(namespace) for gvr: \(resource.description)"
                } else {
                    result.estimate = Self.finalizerEstimateSeconds
                }
            }
        } catch {
            result.error = "\(error)"
        }
        return result
    }

    /// estimateGracefulTermination for pods: the longest grace period of a pod
    /// that has not finished, unless the namespace has been deleting longer.
    private func podGraceEstimate(_ namespace: String, deletedAt: Time, now: Time) async throws -> Int64 {
        let pods = try await resources.client.list(Pod.self, namespace: namespace).items
        let estimate = pods.filter { $0.status.phase != "Succeeded" && $0.status.phase != "Failed" }
            .compactMap(\.spec.terminationGracePeriodSeconds).max() ?? 0
        let elapsed = (now.nanosecondsSinceEpoch - deletedAt.nanosecondsSinceEpoch) / 1_000_000_000
        return elapsed >= estimate ? 0 : estimate
    }
}
