import Logging
import SkiffAPI
import SkiffClient
import Synchronization

/// The cache and the algorithm, always used together under one lock.
final class SchedulingState {
    let cache = SchedulerCache()
    var algorithm: SchedulingAlgorithm

    init(profile: Profile) {
        algorithm = SchedulingAlgorithm(profile: profile)
    }
}

/// Everything a scheduler holds while it acts; made afresh each time it
/// becomes leader, so nothing from an earlier term (assumed pods, queue) leaks.
final class SchedulingSession: Sendable {
    let scheduler: Scheduler
    let queue: SchedulingQueue
    let state: Mutex<SchedulingState>
    let nodes: Informer<Node>
    let pods: Informer<Pod>
    let recorder: EventRecorder
    let bindSlots: Slots

    var client: APIClient { scheduler.client }
    var logger: Logger { scheduler.logger }
    var profile: Profile { scheduler.configuration.profile }

    init(scheduler: Scheduler) {
        self.scheduler = scheduler
        let configuration = scheduler.configuration
        queue = SchedulingQueue(initialBackoff: configuration.initialBackoff, maximumBackoff: configuration.maximumBackoff)
        state = Mutex(SchedulingState(profile: configuration.profile))
        nodes = Informer<Node>(client: scheduler.client, logger: scheduler.logger)
        // Finished pods hold no resources; upstream's scheduler leaves them out too.
        pods = Informer<Pod>(
            client: scheduler.client, fieldSelector: "status.phase!=Succeeded,status.phase!=Failed", logger: scheduler.logger)
        recorder = EventRecorder(
            client: scheduler.client, component: configuration.profile.schedulerName, host: configuration.host,
            logger: scheduler.logger)
        bindSlots = Slots(configuration.bindConcurrency)
    }

    func run() async {
        nodes.addHandler { [self] in handle(node: $0) }
        pods.addHandler { [self] in handle(pod: $0) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.nodes.run() }
            group.addTask { await self.pods.run() }
            group.addTask { await self.recorder.run() }
            group.addTask { await self.flushPeriodically() }
            group.addTask { await self.scheduleLoop() }
            await withTaskCancellationHandler {
                await group.next()
            } onCancel: {
                self.queue.close()
            }
            group.cancelAll()
            queue.close()
        }
        logger.info("scheduler stopped", metadata: ["bound": "\(scheduler.counts.bound)"])
    }

    private func scheduleLoop() async {
        await nodes.waitForSync()
        await pods.waitForSync()
        logger.info("scheduler caches synced", metadata: ["nodes": "\(nodes.list().count)"])
        await withDiscardingTaskGroup { bindings in
            while let entry = await queue.pop() {
                await bindSlots.acquire()
                scheduleOne(entry, bindings: &bindings)
            }
            bindings.cancelAll()
        }
    }

    /// One cycle: pick a node and assume the pod there, then bind in the
    /// background (a bind slot has been taken for it); or record why nothing fits.
    private func scheduleOne(_ entry: SchedulingQueue.Entry, bindings: inout DiscardingTaskGroup) {
        let pod = entry.pod
        let result = state.withLock { state -> Result<String, FitError> in
            let result = state.algorithm.schedule(pod, in: state.cache)
            if case .success(let node) = result { state.cache.assume(pod, on: node) }
            return result
        }
        switch result {
        case .success(let node):
            bindings.addTask { [self] in
                await bind(entry, to: node)
                bindSlots.release()
            }
        case .failure(let error):
            bindSlots.release()
            queue.unschedulable(entry)
            scheduler.count { $0.unschedulable += 1 }
            let message = error.description
            logger.debug("unschedulable", metadata: ["pod": "\(pod.key)", "message": "\(message)"])
            recorder.record(ObjectReference(to: pod.pod), type: .warning, reason: "FailedScheduling", message: message)
            Task { await self.markUnschedulable(pod.pod, message: message) }
        }
    }

    private func flushPeriodically() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(250))
            queue.flush()
        }
    }
}

/// A counting semaphore for async code.
final class Slots: Sendable {
    private struct State {
        var free: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(_ count: Int) {
        state = Mutex(State(free: max(1, count)))
    }

    func acquire() async {
        await withCheckedContinuation { continuation in
            let granted = state.withLock { state in
                if state.free > 0 {
                    state.free -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    func release() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.free += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume()
    }
}
