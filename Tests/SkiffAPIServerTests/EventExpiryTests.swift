import Foundation
import SkiffAPI
import SkiffStore
import Testing

@testable import SkiffAPIServer

@Suite struct EventExpiryTests {
    static func event(_ name: String, namespace: String = "default", lastSeen: Time?) -> Event {
        var event = Event()
        event.metadata = ObjectMeta(name: name, namespace: namespace)
        event.involvedObject.kind = "Pod"
        event.involvedObject.name = "web"
        event.involvedObject.namespace = namespace
        event.reason = "Started"
        event.lastTimestamp = lastSeen
        return event
    }

    @Test func eventsGoAnHourAfterTheyWereLastSeen() async throws {
        let fixture = RegistryFixture()
        let events = fixture.registry(Event.self)
        let start = fixture.clock.now
        _ = try await events.create(namespace: "default", Self.event("old", lastSeen: start))
        fixture.clock.advance(seconds: 1800)
        _ = try await events.create(namespace: "team", Self.event("recent", namespace: "team", lastSeen: nil))
        let expiry = EventExpiry(store: fixture.store, context: fixture.context)

        #expect(try await expiry.sweep() == 0)
        fixture.clock.advance(seconds: 1800)
        #expect(try await expiry.sweep() == 1)
        let left = try await events.list(namespace: nil).items.map { $0.metadata.name ?? "" }
        #expect(left == ["recent"])
        fixture.clock.advance(seconds: 1800)
        #expect(try await expiry.sweep() == 1)
        #expect(try await events.list(namespace: nil).items.isEmpty)
    }

    @Test func aSeriesKeepsItsEventAlive() async throws {
        let fixture = RegistryFixture()
        let start = fixture.clock.now
        var event = Self.event("repeated", lastSeen: start)
        var series = EventSeries()
        series.count = 5
        series.lastObservedTime = MicroTime(nanosecondsSinceEpoch: start.nanosecondsSinceEpoch + 3000 * 1_000_000_000)
        event.series = series
        #expect(EventExpiry.lastSeen(event) == Time(nanosecondsSinceEpoch: start.nanosecondsSinceEpoch + 3000 * 1_000_000_000))
        _ = try await fixture.registry(Event.self).create(namespace: "default", event)
        fixture.clock.advance(seconds: 3700)
        let expiry = EventExpiry(store: fixture.store, context: fixture.context, ttl: .seconds(3600))
        #expect(try await expiry.sweep() == 0)
        fixture.clock.advance(seconds: 3000)
        #expect(try await expiry.sweep() == 1)
    }
}
