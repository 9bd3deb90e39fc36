import Synchronization
import Testing

@testable import SkiffControllers

@Suite struct ExpectationsTests {
    @Test func nothingExpectedIsSatisfied() {
        #expect(Expectations().satisfied("ns/rs"))
    }

    @Test func creationsMustAllBeObserved() {
        let expectations = Expectations()
        expectations.expect("ns/rs", creations: 2)
        #expect(!expectations.satisfied("ns/rs"))
        expectations.creationObserved("ns/rs")
        #expect(!expectations.satisfied("ns/rs"))
        expectations.creationObserved("ns/rs")
        #expect(expectations.satisfied("ns/rs"))
        #expect(expectations.satisfied("ns/other"))
    }

    @Test func deletionsAreTrackedByUID() {
        let expectations = Expectations()
        expectations.expect("ns/rs", deletions: ["u1", "u2"])
        expectations.deletionObserved("ns/rs", uid: "u1")
        // Someone else's pod going does not count, nor does seeing u1 twice.
        expectations.deletionObserved("ns/rs", uid: "u9")
        expectations.deletionObserved("ns/rs", uid: "u1")
        #expect(!expectations.satisfied("ns/rs"))
        expectations.deletionObserved("ns/rs", uid: "u2")
        #expect(expectations.satisfied("ns/rs"))
    }

    @Test func expectationsExpireAfterTheTTL() {
        let start = ContinuousClock.now
        let clock = Mutex(start)
        let expectations = Expectations(ttl: .seconds(300), now: { clock.withLock { $0 } })
        expectations.expect("ns/rs", creations: 1)
        clock.withLock { $0 = start + .seconds(299) }
        #expect(!expectations.satisfied("ns/rs"))
        clock.withLock { $0 = start + .seconds(301) }
        #expect(expectations.satisfied("ns/rs"))
    }

    @Test func removedKeysAreSatisfied() {
        let expectations = Expectations()
        expectations.expect("ns/rs", creations: 3)
        expectations.remove("ns/rs")
        #expect(expectations.satisfied("ns/rs"))
    }
}
