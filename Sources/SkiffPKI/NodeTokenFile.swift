/// The server's node-join token, kept in one file (k3s's `server/node-token`):
/// `K10<hash of the server CA>::node:<secret>`, mode 0600, what an operator copies
/// to `skiff agent --token`.
public enum NodeTokenFile {
    /// The user name agents join as.
    public static let username = "node"

    /// What ``loadOrCreate(path:chosenSecret:serverCAPEM:)`` found or did.
    public struct Outcome: Sendable, Equatable {
        /// The full token, pinning the server CA served now.
        public var token: JoinToken
        /// Why the file was written (`created`, `--token changed the secret`, …);
        /// nil when it already held this token.
        public var change: String?
    }

    /// Reads the token at `path`, or writes one. The secret is `chosenSecret`
    /// when given (a bare secret or a full token, whose hash must then be this
    /// CA's), else the file's, else a new random one; the hash is always
    /// recomputed from `serverCAPEM`, so the file stays true if the CA file was
    /// restored from another copy. A file that exists but does not parse is an
    /// error rather than silently replaced: agents already joined hold its secret.
    public static func loadOrCreate(path: String, chosenSecret: String?, serverCAPEM: String) throws -> Outcome {
        let existing = try FileIO.contentsIfPresent(of: path).map { bytes in
            do {
                return try JoinToken(parsing: String(decoding: bytes, as: UTF8.self))
            } catch let error as PKIError {
                throw PKIError(
                    .malformedFile, "\(path) does not hold a join token (\(error.message)); remove it to make a new one",
                    path: path)
            }
        }
        let secret: String
        let reason: String?
        if let chosenSecret {
            secret = try validSecret(chosenSecret, serverCAPEM: serverCAPEM)
            reason = existing == nil ? "created from --token" : "--token changed the secret"
        } else if let existing {
            secret = try validSecret(existing.secret, serverCAPEM: nil, origin: path)
            reason = nil
        } else {
            secret = BearerToken.generate()
            reason = "created"
        }
        let token = JoinToken(caCertificatesPEM: serverCAPEM, username: username, secret: secret)
        if token == existing { return Outcome(token: token, change: nil) }
        try FileIO.makeDirectory(FileIO.parent(of: path), mode: 0o700)
        try FileIO.writeAtomically(Array((token.description + "\n").utf8), to: path, mode: 0o600)
        return Outcome(token: token, change: reason ?? "the server CA changed")
    }

    /// The secret of `text` (bare or a full token), refusing what could not travel
    /// in an HTTP Basic header or a command line unquoted.
    static func validSecret(_ text: String, serverCAPEM: String?, origin: String = "--token") throws -> String {
        let parsed = try JoinToken(parsing: text)
        if let serverCAPEM, parsed.caHash != nil, !parsed.pins(caCertificatesPEM: serverCAPEM) {
            throw PKIError(.malformedJoinToken, "\(origin) pins a CA other than this server's; give the bare secret")
        }
        guard parsed.username == username else {
            throw PKIError(.malformedJoinToken, "\(origin) is for user \(parsed.username), not \(username)")
        }
        guard parsed.secret.utf8.count >= 8, parsed.secret.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7f })
        else {
            throw PKIError(.malformedJoinToken, "\(origin): the secret must be at least 8 printable ASCII characters without spaces")
        }
        return parsed.secret
    }
}
