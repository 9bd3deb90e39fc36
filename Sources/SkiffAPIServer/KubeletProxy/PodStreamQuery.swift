import SkiffAPI

/// The streaming subresources of a pod proxied to its kubelet over WebSocket.
enum PodStreamKind: String, Sendable, CaseIterable {
    case exec
    case attach
    case portForward = "portforward"

    /// The kubelet's path prefix for it.
    var kubeletPath: String {
        switch self {
        case .exec: "exec"
        case .attach: "attach"
        case .portForward: "portForward"
        }
    }
}

/// core/v1 PodExecOptions, PodAttachOptions or PodPortForwardOptions as read from
/// the query, with upstream's defaults (stdout and stderr on for exec and attach).
struct PodStreamQuery: Sendable, Equatable {
    var container: String?
    var command: [String] = []
    var stdin = false
    var stdout = true
    var stderr = true
    var tty = false
    var ports: [UInt16] = []

    /// Parses the query; a malformed port is a 400 as upstream's parameter codec
    /// reports it. Ports may repeat (`ports=80&ports=443`) or be joined by commas.
    init(query: QueryItems) throws(APIError) {
        container = query["container"]
        command = query.values("command")
        stdin = QueryFlag.value(query, "stdin") ?? stdin
        stdout = QueryFlag.value(query, "stdout") ?? stdout
        stderr = QueryFlag.value(query, "stderr") ?? stderr
        tty = QueryFlag.value(query, "tty") ?? tty
        for value in query.values("ports") {
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                guard let port = UInt16(part) else {
                    throw .badRequest("strconv.ParseUint: parsing \(String(part).debugDescription): invalid syntax")
                }
                ports.append(port)
            }
        }
    }

    /// The kubelet's query: exec and attach name every stream explicitly (and exec
    /// its command, one `command` per argument); port-forward its ports, joined by
    /// commas as upstream joins them.
    func kubeletQuery(for kind: PodStreamKind) -> KubeletQuery {
        var query = KubeletQuery()
        switch kind {
        case .exec, .attach:
            if kind == .exec {
                for argument in command { query.add("command", argument) }
            }
            query.add("stdin", String(stdin))
            query.add("stdout", String(stdout))
            query.add("stderr", String(stderr))
            query.add("tty", String(tty))
        case .portForward:
            if !ports.isEmpty { query.add("ports", ports.map(String.init).joined(separator: ",")) }
        }
        return query
    }
}
