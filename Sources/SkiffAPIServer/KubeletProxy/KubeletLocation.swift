import SkiffAPI

/// Where a pod's kubelet serves one request: the node's address and kubelet
/// port, and the kubelet path with its query (`/exec/ns/web/c?command=sh…`).
struct KubeletLocation: Sendable {
    var host: String
    var port: Int
    /// The request target on the kubelet: percent-encoded path and query.
    var target: String

    /// `host:port`, bracketing IPv6 addresses as URLs and Go's JoinHostPort do.
    var authority: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// The URL, for messages: upstream's errors name it.
    func url(tls: Bool) -> String {
        "\(tls ? "https" : "http")://\(authority)\(target)"
    }
}

/// Finds a pod's container and its node's kubelet, with upstream's checks and
/// messages (pkg/registry/core/pod/strategy.go: validateContainer, LogLocation,
/// streamLocation; pkg/kubelet/client: GetConnectionInfo).
struct KubeletLocator: Sendable {
    let registries: Registries
    /// The kubelet port used when a node reports none (kube-apiserver's `--kubelet-port`).
    let defaultPort: Int

    /// Address types in the order tried, as k3s configures kube-apiserver's
    /// `--kubelet-preferred-address-types`: nodes are reached by their InternalIP.
    static let preferredAddressTypes = ["InternalIP", "ExternalIP", "Hostname"]

    /// The pod, or 404 `pods "web" not found`.
    func pod(namespace: String, name: String) async throws(APIError) -> Pod {
        try await registries.registry(for: Pod.self).get(namespace: namespace, name: name)
    }

    /// The container a request is for: the one named, which must be one of the
    /// pod's (init and ephemeral containers count), or the only container when
    /// none is named.
    static func container(_ requested: String?, in pod: Pod) throws(APIError) -> String {
        let name = pod.metadata.name ?? ""
        let all = allContainerNames(of: pod)
        guard let requested, !requested.isEmpty else {
            switch pod.spec.containers.count {
            case 1:
                return pod.spec.containers[0].name
            case 0:
                throw .badRequest("a container name must be specified for pod \(name)")
            default:
                // Go prints a []string as `[a b]`.
                let choices = "[" + all.joined(separator: " ") + "]"
                throw .badRequest("a container name must be specified for pod \(name), choose one of: \(choices)")
            }
        }
        guard all.contains(requested) else {
            throw .badRequest("container \(requested) is not valid for pod \(name)")
        }
        return requested
    }

    /// Init containers, containers, then ephemeral containers, as upstream visits them.
    static func allContainerNames(of pod: Pod) -> [String] {
        (pod.spec.initContainers ?? []).map(\.name) + pod.spec.containers.map(\.name)
            + (pod.spec.ephemeralContainers ?? []).map(\.name)
    }

    /// The pod's node, or 400 `pod web does not have a host assigned`.
    static func nodeName(of pod: Pod) throws(APIError) -> String {
        guard let node = pod.spec.nodeName, !node.isEmpty else {
            throw .badRequest("pod \(pod.metadata.name ?? "") does not have a host assigned")
        }
        return node
    }

    /// The kubelet of a node: its preferred address and reported port (the default
    /// port when it reports none). A missing node is its 404; a node without a
    /// usable address is a 500 worded as upstream's NoMatchError.
    func kubelet(onNode nodeName: String) async throws(APIError) -> (host: String, port: Int) {
        let node = try await registries.registry(for: Node.self).get(namespace: nil, name: nodeName)
        let addresses = node.status.addresses ?? []
        var host: String?
        for type in Self.preferredAddressTypes {
            if let match = addresses.first(where: { $0.type == type && !$0.address.isEmpty }) {
                host = match.address
                break
            }
        }
        guard let host else {
            let known = "[" + addresses.map { "{\($0.type) \($0.address)}" }.joined(separator: " ") + "]"
            throw .internalError("no preferred addresses found; known addresses: \(known)")
        }
        let reported = Int(node.status.daemonEndpoints.kubeletEndpoint.Port)
        return (host, reported > 0 ? reported : defaultPort)
    }

    /// The location of `path` on the kubelet of `pod`'s node.
    func location(of pod: Pod, path: String, query: KubeletQuery) async throws(APIError) -> KubeletLocation {
        let (host, port) = try await kubelet(onNode: try Self.nodeName(of: pod))
        let encoded = query.encoded
        return KubeletLocation(host: host, port: port, target: encoded.isEmpty ? path : path + "?" + encoded)
    }
}

/// A query for the kubelet, encoded as Go's `url.Values.Encode` does: names
/// sorted, each name's values in order, bytes outside the unreserved set escaped
/// and spaces as `+`.
struct KubeletQuery: Sendable {
    private(set) var items: [(name: String, value: String)] = []

    mutating func add(_ name: String, _ value: String) {
        items.append((name, value))
    }

    var encoded: String {
        let names = Set(items.map(\.name)).sorted()
        return names.flatMap { name in
            items.filter { $0.name == name }.map { Self.escape(name) + "=" + Self.escape($0.value) }
        }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                escaped += "+"
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                escaped += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]], as: UTF8.self)
            }
        }
        return escaped
    }
}
