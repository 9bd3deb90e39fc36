import Foundation

/// A `WWW-Authenticate` challenge: `Bearer realm="…",service="…",scope="…"` or
/// `Basic realm="…"`, parsed as RFC 7235 auth-params (quoted or bare values).
struct RegistryChallenge: Equatable {
    enum Scheme: Equatable { case basic, bearer }

    var scheme: Scheme
    var parameters: [String: String]

    init?(header: String) {
        let trimmed = header.drop(while: \.isWhitespace)
        guard let space = trimmed.firstIndex(of: " ") else {
            guard let scheme = Self.scheme(trimmed) else { return nil }
            self.scheme = scheme
            parameters = [:]
            return
        }
        guard let scheme = Self.scheme(trimmed[..<space]) else { return nil }
        self.scheme = scheme
        parameters = Self.parameters(trimmed[trimmed.index(after: space)...])
    }

    private static func scheme(_ text: Substring) -> Scheme? {
        switch text.lowercased() {
        case "bearer": .bearer
        case "basic": .basic
        default: nil
        }
    }

    private static func parameters(_ text: Substring) -> [String: String] {
        var result: [String: String] = [:]
        var rest = text[...]
        while true {
            rest = rest.drop { $0 == " " || $0 == "," }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if character == "\\", let escaped = rest.first {
                        value.append(escaped)
                        rest = rest.dropFirst()
                    } else if character == "\"" {
                        break
                    } else {
                        value.append(character)
                    }
                }
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            result[key] = value
        }
        return result
    }
}
