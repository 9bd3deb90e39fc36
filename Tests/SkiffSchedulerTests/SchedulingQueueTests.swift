import SkiffAPI
import Testing

@testable import SkiffScheduler

@Suite("Scheduling queue")
struct SchedulingQueueTests {
    static func pod(_ name: String, priority: Int32 = 0, created: Int64 = 0) -> PodInfo {
        var pod = Fixtures.pod(name)
        pod.spec.priority = priority
        pod.metadata.creationTimestamp = Time(nanosecondsSinceEpoch: created)
        return PodInfo(pod)
    }

    @Test func popsByPriorityThenAge() async {
        let queue = SchedulingQueue()
        queue.add(Self.pod("young", created: 20))
        queue.add(Self.pod("old", created: 10))
        queue.add(Self.pod("urgent", priority: 1000, created: 30))
        var order: [String] = []
        for _ in 0..<3 { order.append(await queue.pop()!.pod.name) }
        #expect(order == ["urgent", "old", "young"])
    }

    @Test func unschedulablePodsWaitForAClusterChange() async {
        let queue = SchedulingQueue(initialBackoff: .zero)
        queue.add(Self.pod("p"))
        let entry = await queue.pop()!
        queue.unschedulable(entry)
        #expect(queue.counts == (0, 0, 1))
        queue.flush()
        #expect(queue.counts == (0, 0, 1), "no change, no retry before the timeout")
        queue.moveAllToActiveOrBackoff()
        #expect(queue.counts == (1, 0, 0))
    }

    @Test func aChangeDuringTheCycleSendsTheFailedPodToBackoff() async {
        let queue = SchedulingQueue(initialBackoff: .seconds(60))
        queue.add(Self.pod("p"))
        let entry = await queue.pop()!
        queue.moveAllToActiveOrBackoff()  // e.g. a node was added while p was being scheduled
        queue.unschedulable(entry)
        #expect(queue.counts == (0, 1, 0))
    }

    @Test func backoffDoublesUpToTheMaximum() async {
        let queue = SchedulingQueue(initialBackoff: .seconds(1), maximumBackoff: .seconds(10))
        queue.add(Self.pod("p"))
        let entry = await queue.pop()!
        #expect(entry.attempts == 1)
        queue.retry(entry)
        #expect(queue.counts == (0, 1, 0))
        // An update to the pod does not cut its backoff short.
        queue.add(Self.pod("p"))
        #expect(queue.counts == (0, 1, 0))
        #expect((1...6).map { queue.backoff(attempts: $0) } == [1, 2, 4, 8, 10, 10].map { Duration.seconds($0) })
    }

    @Test func deletedPodsLeaveEverySubQueue() async {
        let queue = SchedulingQueue()
        queue.add(Self.pod("a"))
        queue.add(Self.pod("b"))
        queue.remove("default/a")
        let next = await queue.pop()
        #expect(next?.pod.name == "b")
        queue.remove("default/b")  // in flight
        queue.unschedulable(next!)
        #expect(queue.counts == (0, 0, 0), "a pod deleted while in flight is not requeued")
        queue.close()
        #expect(await queue.pop() == nil)
    }
}
