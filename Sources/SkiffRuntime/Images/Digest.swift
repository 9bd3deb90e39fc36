import Crypto
import Foundation

/// A content digest, `sha256:<64 lower-case hex>`. Only sha256 is accepted: it is
/// what every registry and OCI layout uses, and a digest we cannot verify is useless.
public struct Digest: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    /// The 64 hex characters after `sha256:`.
    public let hex: String

    public init(parsing text: String) throws(ImageError) {
        guard text.hasPrefix("sha256:") else {
            throw ImageError(.invalidReference, "digest \(text.debugDescription) is not sha256:<hex>")
        }
        let hex = String(text.dropFirst("sha256:".count))
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw ImageError(.invalidReference, "digest \(text.debugDescription) does not have 64 lower-case hex digits")
        }
        self.hex = hex
    }

    init(hash: SHA256.Digest) {
        hex = hash.map { String(format: "%02x", $0) }.joined()
    }

    /// The digest of a whole buffer (manifests, configs: small documents).
    public static func of(_ data: some DataProtocol) -> Digest {
        Digest(hash: SHA256.hash(data: data))
    }

    public var description: String { "sha256:\(hex)" }

    /// The first 13 hex digits, the form `crictl images` shows as IMAGE ID.
    public var shortID: String { String(hex.prefix(13)) }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try Digest(parsing: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
