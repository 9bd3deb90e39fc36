import SkiffAPI
import SkiffClient

extension DaemonSetController {
    /// upstream syncDaemonSet: claim the pods, record the template as a
    /// ControllerRevision, create and delete pods as the plan says unless
    /// earlier changes are still to be seen, then write the status.
    public func sync(_ key: String) async throws {
        let (namespace, name) = ObjectKey.split(key)
        guard let set = daemonSets.get(name, namespace: namespace) else {
            expectations.remove(key)
            return
        }
        let selector: Labels.Selector
        do { selector = try Labels.Selector(set.spec.selector) } catch {
            logger.warning("invalid selector", metadata: ["daemonset": "\(key)", "error": "\(error)"])
            return
        }
        let candidates = pods.list().filter { $0.metadata.namespace == namespace }
        let claims = Claims<DaemonSet, Pod>(client: client, owner: set, selector: selector) {
            try await self.client.isCurrent(set)
        }
        let owned = try await claims.claim(candidates)
        guard set.metadata.deletionTimestamp == nil else { return }

        let history = ControllerRevisions(client: client, owner: set, all: revisions.list())
        let revision = try await history.ensure(set.spec.template, labels: set.spec.template.metadata.labels ?? [:])
        let hash = revision.metadata.labels?[ControllerRevisions<DaemonSet>.hashLabel] ?? ControllerRevisions<DaemonSet>.hash(set.spec.template)
        let plan = DaemonPlan(set: set, nodes: nodes.list(), pods: owned, hash: hash, now: .now())
        if expectations.satisfied(key) {
            try await apply(plan, to: set, key: key, hash: hash)
        }
        try await updateStatus(of: set, plan.status)
        let inUse = Set(owned.compactMap { DaemonPlan.hash(of: $0) }).union([hash])
        await history.prune(limit: set.spec.revisionHistoryLimit, keeping: inUse)
        let minReady = set.spec.minReadySeconds ?? 0
        if minReady > 0, plan.status.numberReady > (plan.status.numberAvailable ?? 0) {
            queue.add(key, after: .seconds(Int(minReady)))
        }
    }

    private func apply(_ plan: DaemonPlan, to set: DaemonSet, key: String, hash: String) async throws {
        let template = DaemonPod.template(of: set, hash: hash)
        let victims = Dictionary(plan.deletions.map { ($0.metadata.uid ?? "", $0) }) { first, _ in first }
        expectations.expect(key, creations: plan.creations.count, deletions: Set(victims.keys))
        var firstError: ClientError?
        await withTaskGroup(of: ClientError?.self) { group in
            for node in plan.creations {
                group.addTask {
                    do throws(ClientError) {
                        let pod = try await self.client.create(DaemonPod.make(for: node, set: set, template: template))
                        self.record(set, .normal, "SuccessfulCreate", "Created pod: \(pod.metadata.name ?? "")")
                        return nil
                    } catch {
                        self.expectations.creationObserved(key)
                        self.record(set, .warning, "FailedCreate", "Error creating: \(error.message)")
                        return error
                    }
                }
            }
            for (uid, pod) in victims {
                group.addTask {
                    do throws(ClientError) {
                        try await self.client.delete(Pod.self, pod.metadata.name ?? "", namespace: pod.metadata.namespace)
                        self.record(set, .normal, "SuccessfulDelete", "Deleted pod: \(pod.metadata.name ?? "")")
                        return nil
                    } catch {
                        // The informer will not show a deletion that did not happen.
                        self.expectations.deletionObserved(key, uid: uid)
                        if error.isNotFound { return nil }
                        self.record(set, .warning, "FailedDelete", "Error deleting: \(error.message)")
                        return error
                    }
                }
            }
            for await result in group where firstError == nil { firstError = result }
        }
        if let firstError { throw firstError }
    }

    /// Writes the status if it changed, once more after a conflict with a fresh read.
    private func updateStatus(of set: DaemonSet, _ status: DaemonSetStatus) async throws {
        var current = set
        for attempt in 0..<2 {
            var wanted = status
            wanted.collisionCount = current.status.collisionCount
            wanted.conditions = current.status.conditions
            if current.status == wanted { return }
            current.status = wanted
            do {
                _ = try await client.updateStatus(current)
                return
            } catch {
                guard error.isConflict && attempt == 0 else { throw error }
            }
            current = try await client.get(DaemonSet.self, set.metadata.name ?? "", namespace: set.metadata.namespace)
        }
    }
}
