import Foundation

/// The user and password of an `Authorization: Basic …` header (RFC 7617).
struct BasicCredentials: Hashable, Sendable {
    var user: String
    var password: String

    /// Nil unless `header` is `Basic <base64 of user:password>`; the password is
    /// everything after the first colon, so it may hold colons itself.
    init?(header: String) {
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let data = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces)),
            let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":")
        else { return nil }
        user = String(text[..<colon])
        password = String(text[text.index(after: colon)...])
    }
}
