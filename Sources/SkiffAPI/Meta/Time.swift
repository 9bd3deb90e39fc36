import Foundation
import SkiffTime

/// metav1.Time: a timestamp written as RFC 3339 with whole seconds in UTC
/// ("2024-05-01T12:00:00Z"). Reading accepts any RFC 3339 offset and fraction.
public struct Time: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Nanoseconds since the Unix epoch.
    public var nanosecondsSinceEpoch: Int64

    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    public init(_ date: Date) {
        self.nanosecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1e9).rounded())
    }

    public static func now() -> Time { Time(Date()) }

    public var date: Date { Date(timeIntervalSince1970: Double(nanosecondsSinceEpoch) / 1e9) }

    /// Whole seconds, as upstream keeps them once a Time has gone through JSON.
    public var truncatedToSeconds: Time {
        Time(nanosecondsSinceEpoch: RFC3339.floor(nanosecondsSinceEpoch, 1_000_000_000))
    }

    public init(rfc3339 text: String) throws {
        self.nanosecondsSinceEpoch = try RFC3339.parse(text)
    }

    public var description: String { RFC3339.format(nanosecondsSinceEpoch, fractionDigits: 0) }

    public static func < (lhs: Time, rhs: Time) -> Bool { lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(rfc3339: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// metav1.MicroTime: like Time with microseconds ("2024-05-01T12:00:00.123456Z"),
/// used by Events and Leases.
public struct MicroTime: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var nanosecondsSinceEpoch: Int64

    public init(nanosecondsSinceEpoch: Int64) {
        self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
    }

    public init(_ date: Date) {
        self.nanosecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1e9).rounded())
    }

    public static func now() -> MicroTime { MicroTime(Date()) }

    public init(rfc3339 text: String) throws {
        self.nanosecondsSinceEpoch = try RFC3339.parse(text)
    }

    public var description: String { RFC3339.format(nanosecondsSinceEpoch, fractionDigits: 6) }

    public static func < (lhs: MicroTime, rhs: MicroTime) -> Bool {
        lhs.nanosecondsSinceEpoch < rhs.nanosecondsSinceEpoch
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(rfc3339: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
