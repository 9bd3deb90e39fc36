import SkiffAPI

/// Upstream's duration.HumanDuration: two or three significant figures of a
/// duration ("45s", "5m30s", "3h10m", "2d5h", "3y10d"), the ages kubectl prints.
enum HumanDuration {
    private static let second: Int64 = 1_000_000_000
    private static let minute = 60 * second
    private static let hour = 60 * minute

    /// `duration` written as kubectl shows it. Clocks a second apart are tolerated:
    /// down to -2s (excluded) reads "0s", anything further in the future "<invalid>".
    static func string(nanoseconds duration: Int64) -> String {
        // Integer division truncates toward zero, as Go's int(d.Seconds()) does.
        let seconds = duration / second
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }

        let minutes = duration / minute
        if minutes < 10 {
            let remainder = seconds % 60
            return remainder == 0 ? "\(minutes)m" : "\(minutes)m\(remainder)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }

        let hours = duration / hour
        if hours < 8 {
            let remainder = minutes % 60
            return remainder == 0 ? "\(hours)h" : "\(hours)h\(remainder)m"
        }
        if hours < 48 { return "\(hours)h" }
        let days = hours / 24
        if hours < 24 * 8 {
            let remainder = hours % 24
            return remainder == 0 ? "\(days)d" : "\(days)d\(remainder)h"
        }
        if hours < 24 * 365 * 2 { return "\(days)d" }
        let years = days / 365
        if hours < 24 * 365 * 8 {
            let remainder = days % 365
            return remainder == 0 ? "\(years)y" : "\(years)y\(remainder)d"
        }
        return "\(years)y"
    }

    /// Upstream's translateTimestampSince: how long ago `time` was, "<unknown>" when unset.
    static func since(_ time: Time?, now: Time) -> String {
        guard let time else { return "<unknown>" }
        return string(nanoseconds: now.nanosecondsSinceEpoch - time.nanosecondsSinceEpoch)
    }

    /// translateMicroTimestampSince, for the MicroTime fields of events.
    static func since(_ time: MicroTime?, now: Time) -> String {
        guard let time else { return "<unknown>" }
        return string(nanoseconds: now.nanosecondsSinceEpoch - time.nanosecondsSinceEpoch)
    }
}
