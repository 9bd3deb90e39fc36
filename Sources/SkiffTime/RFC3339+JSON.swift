import Foundation

extension JSONEncoder.DateEncodingStrategy {
    /// As `.iso8601` writes dates ("2026-12-04T01:36:24Z"), without its ICU formatter.
    public static var rfc3339Seconds: Self {
        .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.format(date, fractionDigits: 0))
        }
    }
}

extension JSONDecoder.DateDecodingStrategy {
    /// Reads what `.iso8601` (and ``JSONEncoder/DateEncodingStrategy/rfc3339Seconds``)
    /// writes, and any other RFC 3339 timestamp.
    public static var rfc3339: Self {
        .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.date(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 timestamp: \(text)")
            }
            return date
        }
    }
}
