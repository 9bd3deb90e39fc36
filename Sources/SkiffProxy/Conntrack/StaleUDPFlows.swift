/// Conntrack entries a sync leaves pointing the wrong way, for UDP only: a UDP
/// "connection" has no end the kernel can see, so a client that keeps sending from
/// one port keeps its NATed entry — to an endpoint that is gone, or to the reject
/// verdict a Service had before it got endpoints — until the entry times out. TCP
/// needs nothing: a new connection is a new entry. (Upstream kube-proxy flushes
/// the same ones, pkg/proxy/conntrack.)
public enum StaleUDPFlow: Hashable, Sendable, CustomStringConvertible {
    /// Flows to a ClusterIP port that were NATed to an endpoint no longer behind it.
    case clusterIPEndpoint(service: IPAddress, port: UInt16, endpoint: IPAddress)
    /// Flows to a NodePort that were NATed to an endpoint no longer behind it.
    case nodePortEndpoint(port: UInt16, endpoint: IPAddress)
    /// Every flow to a ClusterIP port that now has endpoints and had none (its
    /// entries hold the rejection).
    case clusterIP(service: IPAddress, port: UInt16)

    /// What the proxy's last applied `old` model leaves stale once `new` is applied.
    public static func between(_ old: ProxyModel, _ new: ProxyModel) -> [StaleUDPFlow] {
        left(by: ModelChanges(from: old, to: new))
    }

    /// What applying `changes` leaves stale.
    public static func left(by changes: ModelChanges) -> [StaleUDPFlow] {
        var stale: [StaleUDPFlow] = []
        for (frontend, change) in changes.frontends where frontend.proto == .udp {
            let removed = change.before.map { removedEndpoints($0, change.after) } ?? []
            switch frontend {
            case .clusterIP(let key), .shortcut(let key):
                stale += removed.map { .clusterIPEndpoint(service: key.address, port: key.port, endpoint: $0) }
                if change.after?.hasBackends ?? false, !(change.before?.hasBackends ?? false) {
                    stale.append(.clusterIP(service: key.address, port: key.port))
                }
            case .nodePort(let key), .nodePortShortcut(let key):
                stale += removed.map { .nodePortEndpoint(port: key.port, endpoint: $0) }
            }
        }
        // A shortcut and its external address can leave the same flows stale.
        return Set(stale).sorted { $0.description < $1.description }
    }

    /// Addresses `before` sent traffic to that `after` no longer does.
    private static func removedEndpoints(_ before: Destination, _ after: Destination?) -> [IPAddress] {
        let kept = Set(after?.backendAddresses ?? [])
        return Set(before.backendAddresses).subtracting(kept).sorted()
    }

    /// The `conntrack` arguments that delete these entries. A NATed flow's reply
    /// comes from the endpoint, so `--reply-src` picks the endpoint's flows (it
    /// matches the tuple itself, where `--dst-nat` needs the NAT status bit).
    public var deleteArguments: [String] {
        // conntrack looks at IPv4 entries unless told the family.
        let family = self.family == .ipv6 ? ["-f", "ipv6"] : []
        return switch self {
        case .clusterIPEndpoint(let service, let port, let endpoint):
            ["-D"] + family + ["-p", "udp", "--orig-dst", "\(service)", "--orig-port-dst", "\(port)", "--reply-src", "\(endpoint)"]
        case .nodePortEndpoint(let port, let endpoint):
            ["-D"] + family + ["-p", "udp", "--orig-port-dst", "\(port)", "--reply-src", "\(endpoint)"]
        case .clusterIP(let service, let port):
            ["-D"] + family + ["-p", "udp", "--orig-dst", "\(service)", "--orig-port-dst", "\(port)"]
        }
    }

    /// The family of the flows' addresses.
    public var family: IPFamily {
        switch self {
        case .clusterIPEndpoint(let service, _, _), .clusterIP(let service, _): service.family
        case .nodePortEndpoint(_, let endpoint): endpoint.family
        }
    }

    public var description: String { deleteArguments.joined(separator: " ") }
}

extension Destination {
    var backendAddresses: [IPAddress] {
        if case .balance(let backends, _, _, _) = self { return backends.map(\.address) }
        return []
    }

    var hasBackends: Bool { !backendAddresses.isEmpty }
}
