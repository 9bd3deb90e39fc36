import SkiffAPIServer
import SkiffPKI

/// Who may use the kubelet API over TLS: a client certificate from the cluster CA
/// (the TLS layer verified it), whose user is the API server's kubelet client or
/// who belongs to `system:masters`. Upstream asks the API server with a
/// SubjectAccessReview for `nodes/proxy` (and friends); these two identities are
/// the ones its default RBAC lets through, and the only ones Skiff issues.
struct KubeletAuthorizer: Sendable {
    static let apiServerClientUser = "kube-apiserver-kubelet-client"
    static let mastersGroup = "system:masters"
    /// Reachable without a certificate: liveness checks come from anywhere on the node.
    static let unauthenticatedPaths: Set<String> = ["/healthz"]

    /// nil when the request may go on; otherwise upstream's answer.
    func refusal(for request: APIRequest) -> KubeletRefusal? {
        guard !Self.unauthenticatedPaths.contains(request.path) else { return nil }
        guard let identity = request.peerIdentity else {
            return KubeletRefusal(status: 401, message: "Unauthorized")
        }
        if identity.user == Self.apiServerClientUser || identity.groups.contains(Self.mastersGroup) { return nil }
        let attributes = Self.attributes(method: request.method, path: request.path)
        return KubeletRefusal(
            status: 403,
            message: "Forbidden (user=\(identity.user), verb=\(attributes.verb), resource=nodes, "
                + "subresource=\(attributes.subresource))")
    }

    /// The verb and `nodes` subresource upstream's kubelet authorizes a request as.
    static func attributes(method: String, path: String) -> (verb: String, subresource: String) {
        let verb =
            switch method {
            case "POST": "create"
            case "GET": "get"
            case "PUT": "update"
            case "PATCH": "patch"
            case "DELETE": "delete"
            default: ""
            }
        let subresource =
            if isSubpath(path, of: "/stats") {
                "stats"
            } else if isSubpath(path, of: "/metrics") {
                "metrics"
            } else if isSubpath(path, of: "/logs") {
                "log"
            } else {
                "proxy"
            }
        return (verb, subresource)
    }

    private static func isSubpath(_ path: String, of root: String) -> Bool {
        path == root || path.hasPrefix(root + "/")
    }
}
