import Foundation
import Logging
import SkiffAPI
import SkiffAPIServer
import SkiffPKI

/// An agent joining a cluster with its node token, k3s's way: fetch the server
/// CA from `/cacerts` without verification and accept it only if its SHA-256 is
/// the token's; then, over TLS verified by that CA, trade the token for the
/// node's credentials (`POST /v1-skiff/node-credentials`), and keep them in the
/// agent directory so a restart reuses them without the server.
struct NodeJoiner {
    let server: JoinServer
    let token: JoinToken
    /// `<agent-state-dir>/agent`.
    let directory: String
    let nodeName: String
    let addresses: [String]
    let logger: Logger
    /// Between attempts while the server cannot be reached.
    var retryDelay: Duration = .seconds(5)

    /// A refusal that retrying cannot fix.
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    /// Saved credentials when they still fit this node and this token's CA,
    /// else new ones from the server, saved before they are returned.
    func credentials() async throws -> NodeCredentials {
        if let saved = try NodeCredentials.load(from: directory) {
            if let problem = saved.problem(nodeName: nodeName, addresses: addresses) {
                logger.info("requesting new node credentials", metadata: ["reason": "\(problem)"])
            } else if let caHash = token.caHash, JoinToken.caHash(of: saved.serverCA) != caHash {
                logger.info("requesting new node credentials", metadata: ["reason": "the token pins another server CA"])
            } else {
                logger.info("using saved node credentials", metadata: ["directory": "\(directory)"])
                return saved
            }
        }
        let serverCA = try await retrying("fetch the server CA") { try await fetchServerCA() }
        let credentials = try await retrying("request node credentials") { try await request(trusting: serverCA) }
        guard credentials.serverCA == serverCA else {
            throw Refused(description: "the server answered with a CA other than the one its /cacerts serves")
        }
        if let problem = credentials.problem(nodeName: nodeName, addresses: addresses) {
            throw Refused(description: "the server's node credentials are unusable: \(problem)")
        }
        try credentials.write(to: directory)
        logger.info("joined: saved node credentials", metadata: ["directory": "\(directory)", "node": "\(nodeName)"])
        return credentials
    }

    /// The CA `/cacerts` serves, if the token pins it. A bare token pins nothing:
    /// the CA is trusted on first use, and a CA saved by an earlier join must
    /// then match, so a later impostor is still refused.
    func fetchServerCA() async throws -> String {
        let reply = try await JoinHTTPS(server: server).send(.GET, "/cacerts", trust: .unverified)
        guard reply.status == 200 else { throw Self.failure(reply, doing: "GET \(server.url)/cacerts") }
        let pem = reply.text
        let hash = JoinToken.caHash(of: pem)
        if let pinned = token.caHash {
            guard hash == pinned else {
                throw Refused(
                    description: "the CA \(server.url) serves has SHA-256 \(hash), not \(pinned) as the token says: "
                        + "refusing to join (a wrong --server, a rebuilt server, or someone in between)")
            }
            return pem
        }
        let savedPath = "\(directory)/\(NodeCredentials.FileName.serverCA)"
        if let saved = FileManager.default.contents(atPath: savedPath) {
            guard Array(saved) == Array(pem.utf8) else {
                throw Refused(
                    description: "the CA \(server.url) serves is not the one saved at \(savedPath) by an earlier join; "
                        + "use the full K10 token to pin the new one")
            }
            return pem
        }
        logger.warning(
            "the token pins no CA: trusting the server's CA on first use; give the full K10 token from the server's node-token file to pin it",
            metadata: ["sha256": "\(hash)"])
        return pem
    }

    private func request(trusting serverCA: String) async throws -> NodeCredentials {
        let body = try JSONCodec.encode(NodeCredentialsRequest(nodeName: nodeName, addresses: addresses))
        let basic = Data("\(token.username):\(token.secret)".utf8).base64EncodedString()
        let reply = try await JoinHTTPS(server: server).send(
            .POST, "/v1-skiff/node-credentials", headers: [("Authorization", "Basic \(basic)")], body: body,
            trust: .certificateAuthority(serverCA))
        guard reply.status == 200 else {
            throw Self.failure(reply, doing: "POST \(server.url)/v1-skiff/node-credentials")
        }
        do {
            return try JSONCodec.decode(NodeCredentials.self, from: reply.body)
        } catch {
            throw Refused(description: "the server's node credentials do not decode: \(error)")
        }
    }

    /// Runs `body` until it succeeds or is refused: a server that is down or
    /// starting (connection errors, 5xx) is waited for, as a k3s agent waits.
    private func retrying<T>(_ what: String, _ body: () async throws -> T) async throws -> T {
        while true {
            do {
                return try await body()
            } catch let refused as Refused {
                throw refused
            } catch {
                logger.warning("cannot \(what) yet; retrying", metadata: ["server": "\(server.url)", "error": "\(error)"])
                try await Task.sleep(for: retryDelay)
            }
        }
    }

    /// A non-200 answer: refusals (4xx) end the join with the server's words.
    private static func failure(_ reply: JoinHTTPS.Reply, doing what: String) -> any Error {
        let message = (try? JSONCodec.decode(Status.self, from: reply.body))?.message ?? reply.text
        let text = "\(what): \(reply.status) \(message)"
        switch reply.status {
        case 401: return Refused(description: "\(text): the server refused the token")
        case 404: return Refused(description: "\(text): the server does not take node joins (is it a --plain-http server?)")
        case 400..<500: return Refused(description: text)
        default: return JoinHTTPS.Failure(description: text)
        }
    }
}
