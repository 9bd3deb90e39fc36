import Foundation

/// A parsed cron schedule with robfig/cron v3's standard parser semantics, which
/// upstream's CronJob controller uses: five fields (minute, hour, day of month,
/// month, day of week) with `*`, `?`, ranges, steps, lists and English names of
/// months and weekdays; `@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`,
/// `@midnight`, `@hourly`; and `@every <duration>`.
///
/// As in robfig/cron, when both day fields are restricted a day matches either
/// one (`0 0 13 * 5`: every 13th and every Friday); when either is `*` or `?`,
/// both must match.
public struct CronSchedule: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case fields(Fields)
        /// `@every`: a fixed delay, whole seconds.
        case every(seconds: Int64)
    }

    struct Fields: Sendable, Equatable {
        var minutes: Set<Int>
        var hours: Set<Int>
        var daysOfMonth: Set<Int>
        var months: Set<Int>
        var daysOfWeek: Set<Int>
        /// The day-of-month or day-of-week field was `*` or `?` (robfig's star bit):
        /// days then match only when both fields do.
        var dayFieldStarred: Bool
    }

    let kind: Kind

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public let description: String
    }

    static let descriptors: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Parses a schedule. `TZ=` and `CRON_TZ=` prefixes are refused: the CronJob API
    /// takes the time zone from `spec.timeZone` only.
    public init(parsing spec: String) throws(ParseError) {
        let spec = spec.trimmingCharacters(in: .whitespaces)
        if spec.isEmpty { throw ParseError(description: "empty spec string") }
        if spec.hasPrefix("TZ=") || spec.hasPrefix("CRON_TZ=") {
            throw ParseError(description: "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")
        }
        if spec.hasPrefix("@every ") {
            let text = String(spec.dropFirst("@every ".count)).trimmingCharacters(in: .whitespaces)
            guard let seconds = Self.parseDuration(text) else {
                throw ParseError(description: "failed to parse duration \(spec)")
            }
            // robfig rounds the delay to whole seconds, at least one.
            kind = .every(seconds: max(1, seconds))
            return
        }
        let expanded: String
        if spec.hasPrefix("@") {
            guard let fields = Self.descriptors[spec] else { throw ParseError(description: "unrecognized descriptor: \(spec)") }
            expanded = fields
        } else {
            expanded = spec
        }
        let parts = expanded.split(whereSeparator: \.isWhitespace).map(String.init)
        guard parts.count == 5 else {
            throw ParseError(description: "expected exactly 5 fields, found \(parts.count): [\(parts.joined(separator: " "))]")
        }
        let minutes = try CronField.parse(parts[0], .minute)
        let hours = try CronField.parse(parts[1], .hour)
        let days = try CronField.parse(parts[2], .dayOfMonth)
        let months = try CronField.parse(parts[3], .month)
        let weekdays = try CronField.parse(parts[4], .dayOfWeek)
        kind = .fields(
            Fields(
                minutes: minutes.values, hours: hours.values, daysOfMonth: days.values, months: months.values,
                daysOfWeek: weekdays.values, dayFieldStarred: days.starred || weekdays.starred))
    }

    /// Go durations as `@every` takes them: a sequence of number+unit (`1h30m`, `90s`, `1.5h`).
    static func parseDuration(_ text: String) -> Int64? {
        let units: [String: Double] = ["ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isNumber || $0 == ".") }
            guard let scale = units[String(unit)] else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        return Int64(total.rounded())
    }
}
