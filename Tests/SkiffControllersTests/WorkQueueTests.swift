import Testing

@testable import SkiffControllers

@Suite struct WorkQueueTests {
    @Test func aKeyAddedTwiceIsProcessedOnce() async {
        let queue = WorkQueue<String>()
        queue.add("a")
        queue.add("b")
        queue.add("a")
        #expect(queue.count == 2)
        #expect(await queue.next() == "a")
        #expect(await queue.next() == "b")
        #expect(queue.count == 0)
    }

    @Test func aKeyAddedWhileProcessingWaitsUntilDone() async {
        let queue = WorkQueue<String>()
        queue.add("a")
        let key = await queue.next()
        queue.add("a")
        // Not handed to a second worker while the first still has it.
        #expect(queue.count == 0)
        queue.done(key!)
        #expect(queue.count == 1)
        #expect(await queue.next() == "a")
    }

    @Test func aWaitingWorkerGetsTheNextKey() async {
        let queue = WorkQueue<String>()
        async let key = queue.next()
        try? await Task.sleep(for: .milliseconds(20))
        queue.add("x")
        #expect(await key == "x")
    }

    @Test func shutDownEndsWaitingAndLaterWorkers() async {
        let queue = WorkQueue<String>()
        async let waiting = queue.next()
        try? await Task.sleep(for: .milliseconds(20))
        queue.shutDown()
        #expect(await waiting == nil)
        queue.add("late")
        #expect(await queue.next() == nil)
    }

    @Test func delayedAddsArrive() async {
        let queue = WorkQueue<String>()
        queue.add("later", after: .milliseconds(30))
        #expect(queue.count == 0)
        #expect(await queue.next() == "later")
    }

    @Test func retriesBackOffExponentiallyUntilForgotten() async {
        let queue = WorkQueue<String>(backoff: ExponentialBackoff(base: .milliseconds(1), maximum: .milliseconds(8)))
        for _ in 0..<3 { queue.addRateLimited("k") }
        #expect(queue.retries("k") == 3)
        queue.forget("k")
        #expect(queue.retries("k") == 0)
        #expect(await queue.next() == "k")
    }

    @Test func backoffDoublesFromFiveMillisecondsToAThousandSeconds() {
        let backoff = ExponentialBackoff()
        #expect(backoff.delay(afterFailures: 0) == .milliseconds(5))
        #expect(backoff.delay(afterFailures: 1) == .milliseconds(10))
        #expect(backoff.delay(afterFailures: 10) == .milliseconds(5120))
        #expect(backoff.delay(afterFailures: 30) == .seconds(1000))
        #expect(backoff.delay(afterFailures: 200) == .seconds(1000))
    }
}
