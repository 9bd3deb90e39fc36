import SkiffAPI
import SkiffClient
import Synchronization
import Testing

@Suite("Leader election through a Lease", .serialized, .timeLimit(.minutes(2)))
struct LeaderElectionTests {
    static func configuration(_ identity: String) -> LeaderElector.Configuration {
        var configuration = LeaderElector.Configuration(leaseName: "test-lock", namespace: "default", identity: identity)
        configuration.leaseDuration = .seconds(2)
        configuration.renewDeadline = .milliseconds(1500)
        configuration.retryPeriod = .milliseconds(200)
        return configuration
    }

    @Test func oneLeadsAndTheOtherTakesOverWhenItStops() async throws {
        try await TestServer.with { client, server in
            let leading = Shared<[String]>([])
            let log = Shared<[String]>([])
            func candidate(_ name: String, _ client: APIClient) -> Task<Void, Never> {
                let elector = LeaderElector(client: client, configuration: Self.configuration(name))
                return Task {
                    await elector.run {
                        leading.withLock { $0.append(name) }
                        log.withLock { $0.append("start \(name)") }
                        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(50)) }
                        leading.withLock { $0.removeAll { $0 == name } }
                        log.withLock { $0.append("stop \(name)") }
                    }
                }
            }
            let first = candidate("one", client)
            #expect(try await eventually { leading.withLock { $0 } == ["one"] })
            let second = candidate("two", try server.client())
            try await Task.sleep(for: .seconds(1))
            #expect(leading.withLock { $0 } == ["one"], "the lease is held and renewed")

            first.cancel()
            await first.value
            #expect(try await eventually { leading.withLock { $0 } == ["two"] })
            let lease = try await client.get(Lease.self, "test-lock", namespace: "default")
            #expect(lease.spec.holderIdentity == "two")
            #expect(lease.spec.leaseTransitions == 1)
            second.cancel()
            await second.value
            #expect(log.withLock { $0 } == ["start one", "stop one", "start two", "stop two"])
            #expect(try await client.get(Lease.self, "test-lock", namespace: "default").spec.holderIdentity == "")
        }
    }

    @Test func aLeaderThatCannotRenewStopsLeading() async throws {
        try await TestServer.with { client, _ in
            let elector = LeaderElector(client: client, configuration: Self.configuration("one"))
            let stopped = Shared(false)
            let run = Task {
                await elector.run {
                    while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(50)) }
                    stopped.withLock { $0 = true }
                }
            }
            #expect(try await eventually {
                (try? await client.get(Lease.self, "test-lock", namespace: "default"))?.spec.holderIdentity == "one"
            })
            // Someone else takes the lease by force; "one" fails to renew and stops. A renewal
            // between the intruder's read and write is a conflict: it reads again, as a client would.
            var taken = false
            for _ in 0..<20 where !taken {
                var lease = try await client.get(Lease.self, "test-lock", namespace: "default")
                lease.spec.holderIdentity = "intruder"
                lease.spec.leaseDurationSeconds = 3600
                do {
                    try await client.update(lease)
                    taken = true
                } catch {
                    guard (error as? ClientError)?.reason == .conflict else { throw error }
                }
            }
            #expect(taken)
            await run.value
            #expect(stopped.withLock { $0 })
        }
    }
}

/// A value several tasks share.
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { value.withLock { body(&$0) } }
}
