import Synchronization

/// "Something changed": informer handlers raise it, the sync loop waits for it
/// (or for a deadline). Raising it while it is up changes nothing, which is
/// what coalesces a burst of events into one sync.
final class SyncSignal: Sendable {
    private struct State {
        var raised = false
        var waiter: CheckedContinuation<Void, Never>?
        /// Which wait is current, and whether its deadline has passed: the timer
        /// may fire before the waiter is registered, and must not be lost then.
        var generation = 0
        var expired = false
    }
    private let state = Mutex(State())

    func raise() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.raised = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns when raised (lowering it) or after `timeout`; true when raised.
    func wait(upTo timeout: Duration) async -> Bool {
        let generation = state.withLock { state -> Int in
            state.generation += 1
            state.expired = false
            return state.generation
        }
        if timeout > .zero {
            let timer = Task {
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                state.withLock { state -> CheckedContinuation<Void, Never>? in
                    guard state.generation == generation else { return nil }
                    state.expired = true
                    defer { state.waiter = nil }
                    return state.waiter
                }?.resume()
            }
            defer { timer.cancel() }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let now = state.withLock { state -> Bool in
                        if state.raised || state.expired || Task.isCancelled { return true }
                        state.waiter = continuation
                        return false
                    }
                    if now { continuation.resume() }
                }
            } onCancel: {
                state.withLock { state -> CheckedContinuation<Void, Never>? in
                    defer { state.waiter = nil }
                    return state.waiter
                }?.resume()
            }
        }
        return state.withLock { state in
            defer { state.raised = false }
            return state.raised
        }
    }
}
