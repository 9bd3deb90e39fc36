import Logging
import SkiffAPI
import SkiffPKI

/// How a node joins with a token, as k3s's supervisor serves it, answered
/// before authentication because the joining node has no cluster credentials yet:
///
/// - `GET /cacerts`: the server CA PEM, to anyone. The agent checks its SHA-256
///   against the hash in its token before trusting it, so the CA itself needs no
///   secrecy and the first connection needs no verification.
/// - `POST /v1-skiff/node-credentials`, HTTP Basic `node:<secret>`, body
///   ``NodeCredentialsRequest``: the node's ``NodeCredentials``, issued fresh by
///   the cluster PKI on every call.
public struct NodeJoin: Sendable {
    static let caCertificatesPath = ["cacerts"]
    static let credentialsPath = ["v1-skiff", "node-credentials"]

    let pki: ClusterPKI
    let secret: String
    let logger: Logger

    /// `secret` is the part of the node token after `node:`.
    public init(pki: ClusterPKI, secret: String, logger: Logger = Logger(label: "skiff.apiserver")) {
        self.pki = pki
        self.secret = secret
        self.logger = logger
    }

    /// The answer for a join path, or nil for any other path.
    func serve(_ segments: [String], request: APIRequest) throws(APIError) -> APIResponse? {
        switch segments {
        case Self.caCertificatesPath:
            guard request.method == "GET" || request.method == "HEAD" else { throw .methodNotAllowed }
            return APIResponse(contentType: "application/x-pem-file", body: Array(pki.serverCAPEM.utf8))
        case Self.credentialsPath:
            guard request.method == "POST" else { throw .methodNotAllowed }
            guard isAuthorized(request) else {
                logger.warning("node join refused: bad credentials", metadata: ["remote": "\(request.remoteAddress ?? "?")"])
                var response = APIResponse.error(.unauthorized)
                response.headers.add("WWW-Authenticate", #"Basic realm="skiff node join""#)
                return response
            }
            return try issue(request)
        default:
            return nil
        }
    }

    private func isAuthorized(_ request: APIRequest) -> Bool {
        guard let header = request.headers["Authorization"], let basic = BasicCredentials(header: header) else {
            return false
        }
        // Both compared, always: the answer's timing says nothing about which was wrong.
        let user = ConstantTime.equal(basic.user, NodeTokenFile.username)
        let password = ConstantTime.equal(basic.password, secret)
        return user && password
    }

    private func issue(_ request: APIRequest) throws(APIError) -> APIResponse {
        let wanted: NodeCredentialsRequest
        do {
            wanted = try JSONCodec.decode(NodeCredentialsRequest.self, from: request.body, unknownFields: .reject)
        } catch {
            throw .badRequest("invalid node credentials request: \(error)")
        }
        if let problem = wanted.problem { throw .badRequest("invalid node credentials request: \(problem)") }
        let credentials: NodeCredentials
        do {
            credentials = try NodeCredentials.issue(pki: pki, nodeName: wanted.nodeName, addresses: wanted.addresses)
        } catch {
            throw .internalError("cannot issue node credentials: \(error)")
        }
        logger.info(
            "issued node credentials",
            metadata: [
                "node": "\(wanted.nodeName)", "addresses": "\(wanted.addresses.joined(separator: ","))",
                "remote": "\(request.remoteAddress ?? "?")",
            ])
        return .json(try ResourceHandler.encode(credentials))
    }
}
