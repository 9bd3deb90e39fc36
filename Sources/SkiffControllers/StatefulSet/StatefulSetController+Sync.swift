import SkiffAPI
import SkiffClient

extension StatefulSetController {
    /// upstream sync: claim the pods, find the current and update revisions,
    /// act as the plan says, then write the status. Pods have fixed names, so
    /// a create the cache has not seen yet fails as AlreadyExists, and each
    /// delete carries the pod's uid, so it never hits the pod that replaced it.
    public func sync(_ key: String) async throws {
        let (namespace, name) = ObjectKey.split(key)
        guard let set = statefulSets.get(name, namespace: namespace) else { return }
        let selector: Labels.Selector
        do { selector = try Labels.Selector(set.spec.selector) } catch {
            logger.warning("invalid selector", metadata: ["statefulset": "\(key)", "error": "\(error)"])
            return
        }
        let candidates = pods.list().filter { $0.metadata.namespace == namespace && StatefulPod.ordinal(of: $0, in: set) != nil }
        let claims = Claims<StatefulSet, Pod>(client: client, owner: set, selector: selector) {
            try await self.client.isCurrent(set)
        }
        let owned = try await claims.claim(candidates)
        guard set.metadata.deletionTimestamp == nil else { return }
        warnAboutClaimTemplates(set, key: key)

        let history = ControllerRevisions(client: client, owner: set, all: revisions.list())
        let update = try await history.ensure(set.spec.template, labels: set.spec.template.metadata.labels ?? [:])
        let updateName = update.metadata.name ?? ""
        let current = history.existing.first { $0.metadata.name == set.status.currentRevision && $0.podTemplate != nil } ?? update
        let currentName = current.metadata.name ?? ""
        let plan = StatefulPlan(set: set, pods: owned, current: currentName, update: updateName)
        let failure = await apply(plan, to: set, current: current, update: update)

        let status = Self.status(of: set, pods: owned, current: currentName, update: updateName, now: .now())
        try await updateStatus(of: set, status)
        let inUse = Set(owned.compactMap(StatefulPod.revision)).union([currentName, updateName])
        // Revisions carry the bare hash in their label; pods and the status name the revision.
        await history.prune(limit: set.spec.revisionHistoryLimit, keeping: Set(inUse.map { String($0.dropFirst(name.count + 1)) }))
        let minReady = set.spec.minReadySeconds ?? 0
        if minReady > 0, (status.readyReplicas ?? 0) > status.availableReplicas { queue.add(key, after: .seconds(Int(minReady))) }
        if let failure { throw failure }
    }

    private func apply(_ plan: StatefulPlan, to set: StatefulSet, current: ControllerRevision, update: ControllerRevision) async -> ClientError? {
        var failure: ClientError?
        await withTaskGroup(of: ClientError?.self) { group in
            for (ordinal, which) in plan.creations {
                let revision = which == .current ? current : update
                let template = revision.podTemplate ?? set.spec.template
                let pod = StatefulPod.make(set, ordinal: ordinal, template: template, hash: revision.metadata.name ?? "")
                group.addTask {
                    do throws(ClientError) {
                        try await self.client.create(pod)
                        self.record(set, .normal, "SuccessfulCreate", "create Pod \(pod.metadata.name ?? "") in StatefulSet \(set.metadata.name ?? "") successful")
                        return nil
                    } catch {
                        if error.isAlreadyExists { return nil }
                        self.record(set, .warning, "FailedCreate", "create Pod \(pod.metadata.name ?? "") in StatefulSet \(set.metadata.name ?? "") failed error: \(error.message)")
                        return error
                    }
                }
            }
            for pod in plan.deletions {
                group.addTask {
                    var options = DeleteOptions()
                    var preconditions = Preconditions()
                    preconditions.uid = pod.metadata.uid
                    options.preconditions = preconditions
                    do throws(ClientError) {
                        try await self.client.delete(Pod.self, pod.metadata.name ?? "", namespace: pod.metadata.namespace, options: options)
                        self.record(set, .normal, "SuccessfulDelete", "delete Pod \(pod.metadata.name ?? "") in StatefulSet \(set.metadata.name ?? "") successful")
                        return nil
                    } catch {
                        if error.isNotFound || error.isConflict { return nil }
                        return error
                    }
                }
            }
            for await result in group where failure == nil { failure = result }
        }
        return failure
    }

    private func warnAboutClaimTemplates(_ set: StatefulSet, key: String) {
        guard !(set.spec.volumeClaimTemplates ?? []).isEmpty else { return }
        let first = warnedAboutClaims.withLock { $0.insert(set.metadata.uid ?? "").inserted }
        if first {
            logger.warning(
                "volumeClaimTemplates are ignored: persistent volume claims are not supported yet; each claim is an emptyDir in its pod",
                metadata: ["statefulset": "\(key)"])
        }
    }
}
