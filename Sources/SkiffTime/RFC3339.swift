import Foundation

/// RFC 3339 timestamps without DateFormatter: parsing and printing are on the hot
/// path of every object the API server reads or writes, and Foundation's
/// formatters go through ICU, whose data a process then keeps resident (about
/// 5 MB of a kubelet's memory).
public enum RFC3339 {
    public struct InvalidTimestamp: Error, CustomStringConvertible {
        public var text: String
        public var description: String { "parsing time \"\(text)\" as RFC 3339: not a valid timestamp" }
    }

    /// `value` rounded down to a multiple of `unit` (also for negative values).
    public static func floor(_ value: Int64, _ unit: Int64) -> Int64 {
        let remainder = value % unit
        return remainder < 0 ? value - remainder - unit : value - remainder
    }

    /// Nanoseconds since the epoch; any offset, any number of fraction digits.
    public static func parse(_ text: String) throws -> Int64 {
        let bytes = Array(text.utf8)
        var index = 0
        func digits(_ count: Int) throws -> Int64 {
            guard index + count <= bytes.count else { throw InvalidTimestamp(text: text) }
            var value: Int64 = 0
            for _ in 0..<count {
                let byte = bytes[index]
                guard byte >= 48 && byte <= 57 else { throw InvalidTimestamp(text: text) }
                value = value * 10 + Int64(byte - 48)
                index += 1
            }
            return value
        }
        func expect(_ allowed: [UInt8]) throws {
            guard index < bytes.count, allowed.contains(bytes[index]) else { throw InvalidTimestamp(text: text) }
            index += 1
        }
        let year = try digits(4)
        try expect([45])
        let month = try digits(2)
        try expect([45])
        let day = try digits(2)
        try expect([84, 116])  // T or t
        let hour = try digits(2)
        try expect([58])
        let minute = try digits(2)
        try expect([58])
        let second = try digits(2)
        var nanos: Int64 = 0
        if index < bytes.count, bytes[index] == 46 {  // '.'
            index += 1
            var scale: Int64 = 100_000_000
            var sawDigit = false
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                nanos += Int64(bytes[index] - 48) * scale
                scale /= 10
                index += 1
                sawDigit = true
            }
            guard sawDigit else { throw InvalidTimestamp(text: text) }
        }
        var offsetSeconds: Int64 = 0
        guard index < bytes.count else { throw InvalidTimestamp(text: text) }
        if bytes[index] == 90 || bytes[index] == 122 {  // Z
            index += 1
        } else {
            let sign: Int64 = bytes[index] == 45 ? -1 : 1
            try expect([43, 45])
            let offsetHours = try digits(2)
            try expect([58])
            let offsetMinutes = try digits(2)
            offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60)
        }
        guard index == bytes.count,
            (1...12).contains(month), day >= 1, day <= daysInMonth(year, month),
            hour < 24, minute < 60, second < 60
        else { throw InvalidTimestamp(text: text) }
        let seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return seconds * 1_000_000_000 + nanos
    }

    /// UTC ("Z") with exactly `fractionDigits` (0…9) digits of the second.
    public static func format(_ nanosecondsSinceEpoch: Int64, fractionDigits: Int) -> String {
        let seconds = floor(nanosecondsSinceEpoch, 1_000_000_000) / 1_000_000_000
        let nanos = nanosecondsSinceEpoch - seconds * 1_000_000_000
        let days = floor(seconds, 86_400) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilFromDays(days)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var result = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
        result += "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay % 3600 / 60, 2)):\(pad(secondOfDay % 60, 2))"
        if fractionDigits > 0 {
            var divisor: Int64 = 1
            for _ in 0..<(9 - fractionDigits) { divisor *= 10 }
            result += "." + pad(nanos / divisor, fractionDigits)
        }
        return result + "Z"
    }

    /// `text` as a Date (nil when it is not RFC 3339).
    public static func date(_ text: some StringProtocol) -> Date? {
        guard let nanoseconds = try? parse(String(text)) else { return nil }
        return Date(timeIntervalSince1970: Double(nanoseconds) / 1e9)
    }

    /// `date` in UTC with `fractionDigits` digits of the second.
    public static func format(_ date: Date, fractionDigits: Int) -> String {
        format(Int64((date.timeIntervalSince1970 * 1e9).rounded(.down)), fractionDigits: fractionDigits)
    }

    private static func isLeap(_ year: Int64) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    private static func daysInMonth(_ year: Int64, _ month: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days.
    private static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
