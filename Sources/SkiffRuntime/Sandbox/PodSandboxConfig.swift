/// What the kubelet asks of a pod's sandbox, taken from the pod's spec.
public struct PodSandboxConfig: Sendable, Hashable, Codable {
    /// The pod's uid: the sandbox id, the namespaces' file names, CNI's container id.
    public var uid: String
    public var namespace: String
    public var name: String
    /// The pod's hostname (`spec.hostname`, else its name, cut to 63 characters).
    public var hostname: String
    /// `<subdomain>.<namespace>.svc.<cluster domain>` when the pod has a subdomain.
    public var hostDomain: String?
    /// Shares the node's network and UTS namespaces: no CNI, the node's hostname.
    public var hostNetwork: Bool
    /// Shares the node's IPC namespace.
    public var hostIPC: Bool
    public var portMappings: [PortMapping]
    public var dnsPolicy: PodDNS.Policy
    public var dnsConfig: PodDNS.Config?
    public var hostAliases: [PodFiles.HostAlias]

    public init(
        uid: String, namespace: String, name: String, hostname: String? = nil, hostDomain: String? = nil,
        hostNetwork: Bool = false, hostIPC: Bool = false, portMappings: [PortMapping] = [],
        dnsPolicy: PodDNS.Policy = .clusterFirst, dnsConfig: PodDNS.Config? = nil, hostAliases: [PodFiles.HostAlias] = []
    ) {
        self.uid = uid
        self.namespace = namespace
        self.name = name
        self.hostname = hostname ?? String(name.prefix(63))
        self.hostDomain = hostDomain
        self.hostNetwork = hostNetwork
        self.hostIPC = hostIPC
        self.portMappings = portMappings
        self.dnsPolicy = dnsPolicy
        self.dnsConfig = dnsConfig
        self.hostAliases = hostAliases
    }

    /// A container port published on the node (`hostPort`), carried out by portmap.
    public struct PortMapping: Sendable, Hashable, Codable {
        public enum TransportProtocol: String, Sendable, Hashable, Codable { case tcp, udp, sctp }
        public var hostPort: Int
        public var containerPort: Int
        public var `protocol`: TransportProtocol
        /// The node address to listen on; empty for all.
        public var hostIP: String
        public init(hostPort: Int, containerPort: Int, protocol: TransportProtocol = .tcp, hostIP: String = "") {
            self.hostPort = hostPort
            self.containerPort = containerPort
            self.protocol = `protocol`
            self.hostIP = hostIP
        }
    }

    /// The namespaces the pod keeps pinned; the rest it shares with the node.
    var pinnedKinds: Set<PodNamespaceKind> {
        var kinds: Set<PodNamespaceKind> = []
        if !hostNetwork { kinds.formUnion([.network, .uts]) }
        if !hostIPC { kinds.insert(.ipc) }
        return kinds
    }
}

/// A pod's sandbox as made: where its namespaces and files are, and its addresses.
public struct PodSandbox: Sendable, Hashable, Codable {
    public var config: PodSandboxConfig
    public var id: String { config.uid }
    /// Pinned namespace files by kind; a kind that is absent is the node's.
    public var namespacePaths: [PodNamespaceKind: String]
    /// The pod's addresses from CNI (none on the host network: the node's are its).
    public var podIPs: [String]
    /// The CNI result, as the plugins gave it (interfaces, routes, DNS).
    public var network: CNIResult?
    /// To bind at /etc/hosts, /etc/resolv.conf and /etc/hostname in every container.
    public var hostsPath: String
    public var resolvConfPath: String
    public var hostnamePath: String
    /// False while being made: a record left so by a crash is removed, not used.
    public var ready: Bool

    /// The namespaces every container of the pod is created with: the pod's pinned
    /// network, IPC and UTS namespaces joined, its own mount, pid and cgroup
    /// namespaces, and no entry (the node's) for what the pod shares with the node.
    public var containerNamespaces: [ContainerConfig.Namespace] {
        var namespaces: [ContainerConfig.Namespace] = [.init(.mount), .init(.pid), .init(.cgroup)]
        for kind in PodNamespaceKind.allCases {
            if let path = namespacePaths[kind] { namespaces.append(.init(kind.containerKind, joinPath: path)) }
        }
        return namespaces
    }

    /// Binds of the pod's hosts, resolv.conf and hostname files, shared by its
    /// containers and writable, as the kubelet mounts them.
    public var containerMounts: [ContainerConfig.Mount] {
        [
            .init(source: hostsPath, target: "/etc/hosts"),
            .init(source: resolvConfPath, target: "/etc/resolv.conf"),
            .init(source: hostnamePath, target: "/etc/hostname"),
        ]
    }
}
