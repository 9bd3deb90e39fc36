import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// The OCI distribution protocol against one repository of one registry: `/v2/`
/// ping, manifests by tag or digest, blobs, with anonymous, Basic or bearer-token
/// auth (the token fetched from the challenge's realm for `repository:NAME:pull`,
/// sending the credentials as Basic when there are any).
final class RegistryClient: ImageSource {
    private let reference: ImageReference
    private let base: RegistryURL
    private let credentials: RegistryCredentials?
    private let http: RegistryHTTPClient
    /// The Authorization header that last worked (a bearer token or Basic).
    private let authorization = Mutex<String?>(nil)

    var displayName: String { reference.name }

    /// `insecureRegistries` holds `host:port` (as written in references) of
    /// registries reached over plain http; every other registry is https.
    init(
        reference: ImageReference, credentials: RegistryCredentials?, insecureRegistries: Set<String>,
        http: RegistryHTTPClient
    ) throws(ImageError) {
        self.reference = reference
        self.credentials = credentials
        self.http = http
        let secure = !insecureRegistries.contains(reference.registry)
        // docker.io is a name; its API lives on registry-1.docker.io (as in containerd).
        let authority = reference.registry == ImageReference.defaultRegistry ? "registry-1.docker.io" : reference.registry
        base = try RegistryURL(parsing: "\(secure ? "https" : "http")://\(authority)/v2/")
    }

    /// `GET /v2/`: fails early and clearly when the registry is down or not one,
    /// and learns how it wants to be authenticated.
    func ping() async throws(ImageError) {
        let response = try await send(base, allowAuthRetry: true)
        if response.status == 401 {
            throw ImageError(
                .unauthorized,
                "\(reference.registry) refused \(credentials.map { "the credentials for \($0.username)" } ?? "anonymous access")")
        }
        guard response.status == 200 else {
            throw ImageError(.registryError, "\(reference.registry) answered /v2/ with HTTP \(response.status); is it an OCI registry?")
        }
    }

    func manifest(_ manifestReference: String) async throws(ImageError) -> (data: Data, mediaType: String?) {
        let url = base.with(target: "/v2/\(reference.repository)/manifests/\(manifestReference)")
        let response = try await send(url, accept: OCIMediaType.acceptedManifests.joined(separator: ", "), allowAuthRetry: true)
        guard response.status == 200 else {
            let separator = manifestReference.hasPrefix("sha256:") ? "@" : ":"
            throw failure(response, what: "manifest \(reference.name)\(separator)\(manifestReference)")
        }
        // By tag nothing else names the bytes; the registry's own digest header
        // at least catches a manifest that changed in its storage or on the way.
        if let header = response.headers.first(name: "Docker-Content-Digest"), let claimed = try? Digest(parsing: header),
            claimed != Digest.of(response.body)
        {
            throw ImageError(
                .digestMismatch,
                "\(reference.registry) sent manifest \(reference.name):\(manifestReference) as \(claimed), but it hashes to \(Digest.of(response.body))")
        }
        return (response.body, response.headers.first(name: "Content-Type"))
    }

    func fetchBlob(_ descriptor: OCIDescriptor, into writer: BlobWriter) async throws(ImageError) {
        let url = base.with(target: "/v2/\(reference.repository)/blobs/\(descriptor.digest)")
        let response = try await send(url, allowAuthRetry: true) { buffer throws(ImageError) in
            try buffer.withUnsafeReadableBytes { bytes throws(ImageError) in try writer.write(bytes) }
        }
        guard response.status == 200 else {
            throw failure(response, what: "blob \(descriptor.digest) of \(reference.name)")
        }
    }

    /// One request, following redirects (blob stores often redirect to a CDN; the
    /// credentials are not sent to another host) and answering one auth challenge.
    private func send(
        _ url: RegistryURL, accept: String? = nil, allowAuthRetry: Bool,
        sink: ((ByteBuffer) throws(ImageError) -> Void)? = nil
    ) async throws(ImageError) -> RegistryHTTPResponse {
        var url = url
        for _ in 0..<6 {
            var headers: [(String, String)] = []
            if let accept { headers.append(("Accept", accept)) }
            if url.authority == base.authority, url.secure == base.secure, let authorization = authorization.withLock({ $0 }) {
                headers.append(("Authorization", authorization))
            }
            let response = try await http.get(url, headers: headers, sink: sink)
            switch response.status {
            case 301, 302, 303, 307, 308:
                guard let location = response.headers.first(name: "Location") else {
                    throw ImageError(.registryError, "\(url.authority) redirected GET \(url) without a Location")
                }
                url = try location.hasPrefix("/") ? url.with(target: location) : RegistryURL(parsing: location)
            case 401 where allowAuthRetry && url.authority == base.authority:
                try await authenticate(challenge: response)
                return try await send(url, accept: accept, allowAuthRetry: false, sink: sink)
            default:
                return response
            }
        }
        throw ImageError(.registryError, "\(reference.registry) redirected GET \(url) more than 5 times")
    }

    private func authenticate(challenge response: RegistryHTTPResponse) async throws(ImageError) {
        let challenges = response.headers["WWW-Authenticate"].compactMap(RegistryChallenge.init(header:))
        if let bearer = challenges.first(where: { $0.scheme == .bearer }) {
            let token = try await fetchToken(bearer)
            authorization.withLock { $0 = "Bearer \(token)" }
        } else if challenges.contains(where: { $0.scheme == .basic }) {
            guard let credentials else {
                throw ImageError(.unauthorized, "\(reference.registry) requires credentials (Basic auth) to pull \(reference.name)")
            }
            authorization.withLock { $0 = credentials.basicAuthorization }
        } else {
            throw ImageError(.unauthorized, "\(reference.registry) answered 401 without a Bearer or Basic challenge")
        }
    }

    /// The token service answers `{"token": …}` (Docker) or `{"access_token": …}` (OAuth2).
    private func fetchToken(_ challenge: RegistryChallenge) async throws(ImageError) -> String {
        guard let realm = challenge.parameters["realm"] else {
            throw ImageError(.unauthorized, "\(reference.registry)'s Bearer challenge names no realm")
        }
        var realmURL = try RegistryURL(parsing: realm)
        var query: [String] = []
        if let service = challenge.parameters["service"] { query.append("service=\(Self.formEncoded(service))") }
        query.append("scope=\(Self.formEncoded(challenge.parameters["scope"] ?? "repository:\(reference.repository):pull"))")
        realmURL.target += (realmURL.target.contains("?") ? "&" : "?") + query.joined(separator: "&")
        let headers = credentials.map { [("Authorization", $0.basicAuthorization)] } ?? []
        let response = try await http.get(realmURL, headers: headers, limit: 1 << 20)
        guard response.status == 200 else {
            if response.status == 401 || response.status == 403 {
                throw ImageError(
                    .unauthorized,
                    "the token service \(realmURL.authority) refused \(credentials == nil ? "anonymous access" : "the credentials for \(credentials!.username)") to \(reference.name) (HTTP \(response.status))")
            }
            throw ImageError(.registryError, "the token service \(realmURL.authority) answered HTTP \(response.status)")
        }
        struct TokenReply: Decodable {
            var token: String?
            var access_token: String?
        }
        guard let reply = try? JSONDecoder().decode(TokenReply.self, from: response.body),
            let token = reply.token ?? reply.access_token, !token.isEmpty
        else {
            throw ImageError(.registryError, "the token service \(realmURL.authority) sent no token")
        }
        return token
    }

    /// A registry error reply (`{"errors":[{"code":"MANIFEST_UNKNOWN","message":…}]}`) as an ImageError.
    private func failure(_ response: RegistryHTTPResponse, what: String) -> ImageError {
        struct ErrorReply: Decodable {
            struct Entry: Decodable {
                var code: String?
                var message: String?
            }
            var errors: [Entry]?
        }
        let entries = (try? JSONDecoder().decode(ErrorReply.self, from: response.body))?.errors ?? []
        let detail = entries.map { [$0.code, $0.message].compactMap { $0 }.joined(separator: ": ") }.joined(separator: "; ")
        let suffix = detail.isEmpty ? "" : " (\(detail))"
        switch response.status {
        case 404:
            return ImageError(.notFound, "\(reference.registry) has no \(what)\(suffix)")
        case 401, 403:
            return ImageError(
                .unauthorized, "\(reference.registry) refused access to \(what) (HTTP \(response.status))\(suffix)")
        default:
            return ImageError(.registryError, "\(reference.registry) answered HTTP \(response.status) for \(what)\(suffix)")
        }
    }

    private static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
