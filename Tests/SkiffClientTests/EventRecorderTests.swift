import SkiffAPI
import SkiffClient
import Testing

@Suite("Event recorder", .serialized, .timeLimit(.minutes(2)))
struct EventRecorderTests {
    @Test func repeatedEventsAreCoalescedIntoACount() async throws {
        try await TestServer.with { client, _ in
            let recorder = EventRecorder(client: client, component: "test-component", host: "h1")
            let sending = Task { await recorder.run() }
            let pod = ObjectReference(kind: "Pod", namespace: "default", name: "web", uid: "u1", apiVersion: "v1")
            recorder.record(pod, type: .warning, reason: "FailedScheduling", message: "0/1 nodes are available.")
            #expect(try await eventually { try await client.list(Event.self, namespace: "default").items.count == 1 })
            recorder.record(pod, type: .warning, reason: "FailedScheduling", message: "0/1 nodes are available.")
            recorder.record(pod, type: .normal, reason: "Scheduled", message: "Successfully assigned default/web to n1")
            #expect(try await eventually {
                let events = try await client.list(Event.self, namespace: "default").items
                return events.count == 2 && events.contains { $0.reason == "FailedScheduling" && $0.count == 2 }
            })
            let events = try await client.list(
                Event.self, namespace: "default", options: ListOptions(fieldSelector: "involvedObject.name=web,reason=Scheduled"))
            let scheduled = try #require(events.items.first)
            #expect(scheduled.type == "Normal")
            #expect(scheduled.source.component == "test-component")
            #expect(scheduled.source.host == "h1")
            #expect(scheduled.involvedObject.uid == "u1")
            sending.cancel()
            await sending.value
        }
    }
}
