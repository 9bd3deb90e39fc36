import SkiffAPI
import SkiffClient
import Synchronization

extension JobController {
    /// upstream manageJob: delete every pod of a suspended job; otherwise delete
    /// pods beyond what is wanted (for Indexed jobs also duplicates and indexes out
    /// of range) and create the missing ones, after the failure backoff.
    func manage(_ context: inout JobSyncContext, key: String, now: Time) async throws {
        let job = context.job
        if job.isSuspended {
            let (deletedReady, deleted) = await deleteActive(context.active, of: job, removingFinalizers: true, key: key)
            context.activeCount -= deleted
            context.terminating += Int32(deleted)
            context.ready -= Int32(deletedReady)
            return
        }
        let parallelism = Int(job.spec.parallelism ?? 1)
        let wantActive =
            job.spec.completions == nil
            ? (context.succeeded > 0 ? context.activeCount : parallelism)
            : max(0, min(context.completions - Int(context.succeeded), parallelism))

        var surplus: [Pod] = []
        var keep = context.active
        if context.indexed {
            (keep, surplus) = Self.splitByIndex(context.active, completions: context.completions, succeeded: context.succeededIndexes)
        }
        if keep.count > wantActive {
            surplus += DeletionOrder.sorted(keep, related: []).prefix(keep.count - wantActive)
        }
        if !surplus.isEmpty {
            expectations.expect(key, deletions: Set(surplus.compactMap(\.metadata.uid)))
            let (deletedReady, deleted) = await deleteActive(surplus, of: job, removingFinalizers: true, key: key)
            context.activeCount -= deleted
            context.terminating += Int32(deleted)
            context.ready -= Int32(deletedReady)
            return
        }

        let occupying = context.activeCount + (JobPods.onlyReplacesFailedPods(job) ? Int(context.terminating) : 0)
        let missing = min(wantActive - occupying, Self.burst)
        guard missing > 0 else { return }
        let delay = replacementDelay(key, now: now)
        if delay > .zero {
            queue.add(key, after: delay)
            return
        }
        var indexes: [Int?] = Array(repeating: nil, count: missing)
        if context.indexed {
            let busy = Set(context.pods.filter { $0.isActive || JobPods.isTerminating($0) }.compactMap(JobPods.completionIndex))
            indexes = (0..<context.completions).filter { !context.succeededIndexes.contains($0) && !busy.contains($0) }
                .prefix(missing).map { Optional($0) }
        }
        guard !indexes.isEmpty else { return }
        expectations.expect(key, creations: indexes.count)
        let pending = Mutex(indexes)
        let (created, error) = await SlowStart.run(indexes.count) { () async throws(ClientError) in
            let index = pending.withLock { $0.removeFirst() }
            try await self.createPod(for: job, index: index)
        }
        if created < indexes.count { expectations.creationObserved(key, count: indexes.count - created) }
        context.activeCount += created
        if let error { throw error }
    }

    /// For Indexed jobs: the pods to keep (one per index still to do) and those to
    /// delete (no valid index, an index past completions or already succeeded, or a
    /// second pod of an index; upstream keeps the ready one, then the oldest).
    static func splitByIndex(_ active: [Pod], completions: Int, succeeded: CompletionIndexes) -> (keep: [Pod], surplus: [Pod]) {
        var byIndex: [Int: [Pod]] = [:]
        var surplus: [Pod] = []
        for pod in active {
            guard let index = JobPods.completionIndex(pod), index < completions, !succeeded.contains(index) else {
                surplus.append(pod)
                continue
            }
            byIndex[index, default: []].append(pod)
        }
        var keep: [Pod] = []
        for (_, pods) in byIndex {
            let ordered = pods.sorted { a, b in
                if a.isReady != b.isReady { return a.isReady }
                return (a.metadata.creationTimestamp ?? Time(nanosecondsSinceEpoch: 0))
                    < (b.metadata.creationTimestamp ?? Time(nanosecondsSinceEpoch: 0))
            }
            keep.append(ordered[0])
            surplus += ordered.dropFirst()
        }
        return (keep, surplus)
    }

    private func createPod(for job: Job, index: Int?) async throws(ClientError) {
        do {
            let pod = try await client.create(JobPods.make(for: job, index: index))
            record(job, .normal, "SuccessfulCreate", "Created pod: \(pod.metadata.name ?? "")")
        } catch {
            record(job, .warning, "FailedCreate", "Error creating: \(error.message)")
            throw error
        }
    }

    /// Deletes pods concurrently; returns how many were ready and how many went.
    /// Pods removed because they are not wanted (suspend, surplus) lose their
    /// tracking finalizer first, so they are not counted as failures; pods of a
    /// finishing job keep it, to be counted once they are gone.
    func deleteActive(_ victims: [Pod], of job: Job, removingFinalizers: Bool, key: String) async -> (ready: Int, deleted: Int) {
        var ready = 0
        var deleted = 0
        await withTaskGroup(of: (Bool, Bool).self) { group in
            for pod in victims {
                group.addTask {
                    let gone = await self.delete(pod, of: job, removingFinalizer: removingFinalizers, key: key)
                    return (gone, pod.isReady)
                }
            }
            for await (gone, wasReady) in group where gone {
                deleted += 1
                if wasReady { ready += 1 }
            }
        }
        return (ready, deleted)
    }

    private func delete(_ pod: Pod, of job: Job, removingFinalizer: Bool, key: String) async -> Bool {
        let name = pod.metadata.name ?? ""
        let uid = pod.metadata.uid ?? ""
        var patching = false
        do {
            if removingFinalizer && JobPods.hasTrackingFinalizer(pod) {
                patching = true
                removedFinalizers.withLock { _ = $0.insert(uid) }
                try await client.patch(
                    Pod.self, name, namespace: pod.metadata.namespace, .strategicMerge,
                    body: JobPods.removeTrackingFinalizerPatch(pod))
                patching = false
            }
            try await client.delete(Pod.self, name, namespace: pod.metadata.namespace)
            record(job, .normal, "SuccessfulDelete", "Deleted pod: \(name)")
            return true
        } catch {
            expectations.deletionObserved(key, uid: uid)
            if error.isNotFound { return true }
            if patching { removedFinalizers.withLock { _ = $0.remove(uid) } }
            record(job, .warning, "FailedDelete", "Error deleting: \(error.message)")
            return false
        }
    }
}
