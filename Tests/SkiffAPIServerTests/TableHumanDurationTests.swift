import SkiffAPI
import Testing

@testable import SkiffAPIServer

/// The boundaries of upstream's duration.HumanDuration, where the precision changes.
@Suite struct TableHumanDurationTests {
    private static let second: Int64 = 1_000_000_000
    private static let minute = 60 * second
    private static let hour = 60 * minute
    private static let day = 24 * hour

    @Test(arguments: [
        (-2 * second, "<invalid>"),
        (-(second + second / 2), "0s"),
        (-second, "0s"),
        (0, "0s"),
        (second - 1, "0s"),
        (119 * second, "119s"),
        (120 * second, "2m"),
        (125 * second, "2m5s"),
        (10 * minute - second, "9m59s"),
        (10 * minute, "10m"),
        (10 * minute + 30 * second, "10m"),
        (3 * hour - second, "179m"),
        (3 * hour, "3h"),
        (3 * hour + 5 * minute, "3h5m"),
        (8 * hour - minute, "7h59m"),
        (8 * hour, "8h"),
        (8 * hour + 30 * minute, "8h"),
        (48 * hour - second, "47h"),
        (2 * day, "2d"),
        (2 * day + 5 * hour, "2d5h"),
        (8 * day - hour, "7d23h"),
        (8 * day, "8d"),
        (730 * day - hour, "729d"),
        (730 * day, "2y"),
        (740 * day, "2y10d"),
        (8 * 365 * day - hour, "7y364d"),
        (8 * 365 * day, "8y"),
        (3000 * day, "8y"),
    ] as [(Int64, String)])
    func humanDuration(nanoseconds: Int64, expected: String) {
        #expect(HumanDuration.string(nanoseconds: nanoseconds) == expected)
    }

    @Test func agesAreMeasuredFromNowAndUnknownWithoutATimestamp() throws {
        let now = TableFixtures.now
        #expect(HumanDuration.since(TableFixtures.ago(90), now: now) == "90s")
        #expect(HumanDuration.since(nil as Time?, now: now) == "<unknown>")
        let threeHoursAgo = MicroTime(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch - 3 * Self.hour)
        #expect(HumanDuration.since(threeHoursAgo, now: now) == "3h")

        var pod = TableFixtures.pod()
        pod.metadata.creationTimestamp = nil
        #expect(try TableFixtures.cells(pod)["Age"] == "<unknown>")
    }
}
