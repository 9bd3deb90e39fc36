import SkiffPKI

/// Who sent a request, as upstream's user.Info: the authenticated name, uid and
/// groups (always with `system:authenticated` once authenticated).
public struct UserInfo: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var uid: String
    public var groups: [String]

    public init(name: String, uid: String = "", groups: [String] = []) {
        self.name = name
        self.uid = uid
        self.groups = groups
    }

    /// The user of a server running plain HTTP for tests: kube-apiserver's old
    /// insecure port treated every request as a cluster admin.
    public static let plainHTTPAdmin = UserInfo(name: "system:admin", groups: ["system:masters", authenticatedGroup])

    /// `system:anonymous`, for the few paths served without credentials.
    public static let anonymous = UserInfo(name: "system:anonymous", groups: ["system:unauthenticated"])

    static let authenticatedGroup = "system:authenticated"

    public var description: String { name }
}

/// Authenticates requests by the client certificate TLS verified against the
/// client CA, or by a bearer token from the static token file, in that order, as
/// kube-apiserver's union authenticator does.
struct Authenticator: Sendable {
    enum Outcome: Equatable {
        case user(UserInfo)
        /// No credentials at all: anonymous, allowed only on public paths.
        case anonymous
        /// Credentials that did not check out: always 401.
        case rejected
    }

    let tokens: TokenFile?
    /// Plain HTTP for tests: no credentials can travel, everyone is admin.
    let plainHTTP: Bool

    func authenticate(_ request: APIRequest) -> Outcome {
        if plainHTTP { return .user(.plainHTTPAdmin) }
        if let identity = request.peerIdentity {
            return .user(Self.authenticated(UserInfo(name: identity.user, groups: identity.groups)))
        }
        guard let authorization = request.headers["Authorization"] else { return .anonymous }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return .rejected }
        let token = parts[1].trimmingSpaces
        guard let entry = tokens?.entry(forToken: token) else { return .rejected }
        return .user(Self.authenticated(UserInfo(name: entry.user, uid: entry.uid, groups: entry.groups)))
    }

    private static func authenticated(_ user: UserInfo) -> UserInfo {
        var user = user
        if !user.groups.contains(UserInfo.authenticatedGroup) { user.groups.append(UserInfo.authenticatedGroup) }
        return user
    }

    /// Paths that anonymous users may read, as upstream's system:public-info-viewer
    /// role allows.
    static func isPublic(_ path: String) -> Bool {
        let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        return ["/healthz", "/livez", "/readyz", "/version"].contains(trimmed)
            || trimmed.hasPrefix("/healthz/") || trimmed.hasPrefix("/livez/") || trimmed.hasPrefix("/readyz/")
    }
}
