import Synchronization
import Testing
@testable import SkiffProxy

@Suite struct SyncSignalTests {
    /// Waits for `wait` or 120 s, whichever comes first: true when `wait` returned.
    /// What is tested is that a wait ends at all (a lost wakeup waits forever); the
    /// bound is generous because the timers need the shared thread pool, which the
    /// other suites of the node-level phase keep busy (300 short waits once took
    /// over 20 s in a fresh-clone run).
    func returnsInTime(_ wait: @escaping @Sendable () async -> Void) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await wait(); return true }
            group.addTask { try? await Task.sleep(for: .seconds(120)); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    @Test func aWaitWithoutARaiseEndsAtItsDeadline() async {
        // Deadlines of a microsecond and of zero: the timer may fire before the
        // waiter is registered, and that expiry must still end the wait (the proxy's
        // sync loop once waited forever there). The test cannot force that order;
        // it runs the short waits often enough to meet it sometimes.
        let signal = SyncSignal()
        let raisedAny = Mutex(false)
        let ended = await returnsInTime {
            for _ in 0..<300 {
                let afterDeadline = await signal.wait(upTo: .microseconds(1))
                let atOnce = await signal.wait(upTo: .zero)
                if afterDeadline || atOnce { raisedAny.withLock { $0 = true } }
            }
        }
        #expect(ended)
        #expect(!raisedAny.withLock { $0 }, "nothing raised it")
    }

    @Test func aRaiseBeforeOrDuringAWaitEndsItOnceAndIsLowered() async {
        let signal = SyncSignal()
        signal.raise()
        signal.raise()
        #expect(await signal.wait(upTo: .seconds(30)))
        #expect(await signal.wait(upTo: .zero) == false, "two raises before a wait are one")
        let raiser = Task {
            try? await Task.sleep(for: .milliseconds(50))
            signal.raise()
        }
        let raised = Mutex(false)
        #expect(await returnsInTime {
            let value = await signal.wait(upTo: .seconds(60))
            raised.withLock { $0 = value }
        })
        #expect(raised.withLock { $0 })
        await raiser.value
    }
}
