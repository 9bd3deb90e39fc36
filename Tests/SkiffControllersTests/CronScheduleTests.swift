import Foundation
import Testing

@testable import SkiffControllers

/// The cron parser and next-time computation, against robfig/cron's semantics.
struct CronScheduleTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)!
    }

    /// The first `count` activations after `start`, as UTC RFC 3339 texts.
    static func times(_ spec: String, after start: String, count: Int = 3, in zone: TimeZone = utc) throws -> [String] {
        let schedule = try CronSchedule(parsing: spec)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var out: [String] = []
        var t = date(start)
        for _ in 0..<count {
            guard let next = schedule.next(after: t, in: zone) else { break }
            out.append(formatter.string(from: next))
            t = next
        }
        return out
    }

    @Test func stepsRangesAndLists() throws {
        #expect(try Self.times("*/15 * * * *", after: "2026-01-01T10:07:30Z") == [
            "2026-01-01T10:15:00Z", "2026-01-01T10:30:00Z", "2026-01-01T10:45:00Z",
        ])
        #expect(try Self.times("5,35 8-9 * * *", after: "2026-01-01T08:40:00Z", count: 4) == [
            "2026-01-01T09:05:00Z", "2026-01-01T09:35:00Z", "2026-01-02T08:05:00Z", "2026-01-02T08:35:00Z",
        ])
        // `N/step` runs from N to the end of the range.
        #expect(try Self.times("50/5 * * * *", after: "2026-01-01T10:00:00Z") == [
            "2026-01-01T10:50:00Z", "2026-01-01T10:55:00Z", "2026-01-01T11:50:00Z",
        ])
        // An activation exactly at the start is not "after" it.
        #expect(try Self.times("0 * * * *", after: "2026-01-01T10:00:00Z", count: 1) == ["2026-01-01T11:00:00Z"])
    }

    @Test func namesOfMonthsAndWeekdaysInAnyCase() throws {
        // 2026-01-02 is a Friday.
        #expect(try Self.times("0 12 * JAN-feb Fri", after: "2026-01-01T00:00:00Z", count: 2) == [
            "2026-01-02T12:00:00Z", "2026-01-09T12:00:00Z",
        ])
        #expect(try Self.times("0 0 1 dec *", after: "2026-01-01T00:00:00Z", count: 1) == ["2026-12-01T00:00:00Z"])
    }

    @Test func restrictedDayOfMonthAndDayOfWeekMatchEither() throws {
        // The 13th (a Tuesday in January 2026) or any Friday.
        #expect(try Self.times("0 0 13 * 5", after: "2026-01-01T00:00:00Z", count: 4) == [
            "2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z", "2026-01-13T00:00:00Z", "2026-01-16T00:00:00Z",
        ])
        // With `*` (or `?`) in one day field, both must match: Fridays only.
        #expect(try Self.times("0 0 * * 5", after: "2026-01-01T00:00:00Z", count: 2) == [
            "2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z",
        ])
        #expect(try Self.times("0 0 ? * 5", after: "2026-01-01T00:00:00Z", count: 1) == ["2026-01-02T00:00:00Z"])
        // A stepped `*/2` is a restriction like any other: odd days or Fridays.
        #expect(try Self.times("0 0 */2 * 5", after: "2026-01-01T00:00:00Z", count: 3) == [
            "2026-01-02T00:00:00Z", "2026-01-03T00:00:00Z", "2026-01-05T00:00:00Z",
        ])
    }

    @Test func february29thAndImpossibleDates() throws {
        #expect(try Self.times("0 0 29 2 *", after: "2026-03-01T00:00:00Z", count: 2) == [
            "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z",
        ])
        // Never within five years: nothing.
        #expect(try Self.times("0 0 30 2 *", after: "2026-01-01T00:00:00Z", count: 1) == [])
        #expect(try Self.times("0 0 31 * *", after: "2026-01-31T00:00:00Z", count: 2) == [
            "2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z",
        ])
    }

    @Test func descriptors() throws {
        let start = "2026-01-01T10:30:00Z"
        #expect(try Self.times("@hourly", after: start, count: 1) == ["2026-01-01T11:00:00Z"])
        #expect(try Self.times("@daily", after: start, count: 1) == ["2026-01-02T00:00:00Z"])
        #expect(try Self.times("@midnight", after: start, count: 1) == ["2026-01-02T00:00:00Z"])
        // 2026-01-04 is the first Sunday.
        #expect(try Self.times("@weekly", after: start, count: 1) == ["2026-01-04T00:00:00Z"])
        #expect(try Self.times("@monthly", after: start, count: 1) == ["2026-02-01T00:00:00Z"])
        #expect(try Self.times("@yearly", after: start, count: 1) == ["2027-01-01T00:00:00Z"])
        #expect(try Self.times("@annually", after: start, count: 1) == ["2027-01-01T00:00:00Z"])
        // @every counts from the start, less its fraction of a second.
        let every = try CronSchedule(parsing: "@every 1h30m")
        let halfPast = Self.date("2026-01-01T10:30:00Z")
        #expect(every.next(after: halfPast.addingTimeInterval(0.5), in: Self.utc) == Self.date("2026-01-01T12:00:00Z"))
    }

    @Test func daylightSavingChangesFollowTheWallClock() throws {
        let newYork = TimeZone(identifier: "America/New_York")!
        // 2026-03-08 02:30 does not exist in New York: that day has no run.
        #expect(try Self.times("30 2 * * *", after: "2026-03-07T12:00:00-05:00", count: 2, in: newYork) == [
            "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z",
        ])
        // Noon stays noon in Berlin when the offset changes (2026-03-29).
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        #expect(try Self.times("0 12 * * *", after: "2026-03-28T00:00:00Z", count: 2, in: berlin) == [
            "2026-03-28T11:00:00Z", "2026-03-29T10:00:00Z",
        ])
        // Midnight runs on the days around the change stay at midnight.
        #expect(try Self.times("0 0 * * *", after: "2026-03-28T12:00:00Z", count: 2, in: berlin) == [
            "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z",
        ])
    }

    @Test func malformedSchedulesAreRefused() {
        for spec in ["", "61 * * * *", "* * * *", "* * * * * *", "5-1 * * * *", "*/0 * * * *", "0 0 * * 7", "0 0 * foo *",
                     "@fortnightly", "TZ=UTC 0 0 * * *", "CRON_TZ=Europe/Berlin 0 0 * * *", "1-2-3 * * * *"] {
            #expect(throws: CronSchedule.ParseError.self, "\(spec)") { try CronSchedule(parsing: spec) }
        }
    }
}
