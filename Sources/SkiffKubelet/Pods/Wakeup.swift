import Synchronization

/// Wakes one waiting task: a signal given while nobody waits is kept (once), so a
/// worker never misses a change that came during its sync.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var generation = 0
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns on a signal, after `timeout`, or when the task is cancelled.
    func wait(timeout: Duration) async {
        var generation = 0
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return true
                    }
                    state.generation += 1
                    generation = state.generation
                    state.waiter = continuation
                    return false
                }
                if resumeNow {
                    continuation.resume()
                    return
                }
                let expected = generation
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    self?.expire(generation: expected)
                }
            }
        } onCancel: {
            signal()
        }
    }

    private func expire(generation: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.generation == generation, let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
