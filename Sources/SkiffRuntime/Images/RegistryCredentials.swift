import Foundation

/// What a pull presents to a registry: a user name and password (or token used as
/// one), as a `kubernetes.io/dockerconfigjson` pull secret carries for a registry.
/// They go as Basic auth to registries that ask for it, and to the token service
/// of registries that use bearer tokens. Never printed.
public struct RegistryCredentials: Sendable, Hashable, CustomStringConvertible {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    /// Reads `user:password` (the decoded `auth` field of a docker config).
    public init(userColonPassword text: String) throws(ImageError) {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else {
            throw ImageError(.unauthorized, "credentials must be user:password")
        }
        self.init(username: String(text[..<colon]), password: String(text[text.index(after: colon)...]))
    }

    var basicAuthorization: String {
        "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }

    public var description: String { "RegistryCredentials(username: \(username), password: <redacted>)" }
}
