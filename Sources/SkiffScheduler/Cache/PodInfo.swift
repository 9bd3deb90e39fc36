import SkiffAPI

/// A host port a pod takes on its node; `ip` 0.0.0.0 means every address.
public struct HostPort: Sendable, Hashable {
    public var ip: String
    public var `protocol`: String
    public var port: Int32

    /// Upstream's rule: the same protocol and port conflict when either side
    /// binds every address or both bind the same one.
    func conflicts(with other: HostPort) -> Bool {
        port == other.port && `protocol` == other.protocol
            && (ip == other.ip || ip == "0.0.0.0" || other.ip == "0.0.0.0")
    }
}

/// A pod (anti-)affinity term made ready to match: its selector parsed, its
/// namespaces resolved (the pod's own when the term names none).
public struct AffinityTerm: Sendable {
    public var selector: Labels.Selector
    public var namespaces: Set<String>
    /// Matches pods in namespaces whose labels satisfy this; namespace labels are
    /// not cached, so only `kubernetes.io/metadata.name` (on every namespace) is known.
    public var namespaceSelector: Labels.Selector?
    public var topologyKey: String
    public var weight: Int64 = 0

    init?(_ term: PodAffinityTerm, of pod: Pod, weight: Int32 = 0) {
        guard var selector = try? Labels.Selector(term.labelSelector) else { return nil }
        let labels = pod.metadata.labels ?? [:]
        for key in term.matchLabelKeys ?? [] {
            if let value = labels[key], let requirement = try? Labels.Requirement(key: key, operator: .in, values: [value]) {
                selector = selector.adding([requirement])
            }
        }
        for key in term.mismatchLabelKeys ?? [] {
            if let value = labels[key], let requirement = try? Labels.Requirement(key: key, operator: .notIn, values: [value]) {
                selector = selector.adding([requirement])
            }
        }
        self.selector = selector
        namespaces = Set(term.namespaces ?? [])
        if let namespaceSelector = term.namespaceSelector {
            self.namespaceSelector = try? Labels.Selector(namespaceSelector)
        } else if namespaces.isEmpty {
            namespaces = [pod.metadata.namespace ?? "default"]
        }
        topologyKey = term.topologyKey
        self.weight = Int64(weight)
    }

    /// Whether `pod` is one this term selects.
    func matches(_ pod: PodInfo) -> Bool {
        let inNamespace = namespaces.contains(pod.namespace)
            || (namespaceSelector?.matches(["kubernetes.io/metadata.name": pod.namespace]) ?? false)
        return inNamespace && selector.matches(pod.labels)
    }
}

/// What the scheduler needs of a pod, worked out once per pod rather than once
/// per node: requests, host ports, parsed affinity terms, images.
public struct PodInfo: Sendable {
    public let pod: Pod
    /// `namespace/name`.
    public let key: String
    public let namespace: String
    public let name: String
    public let labels: [String: String]
    public let requests: PodRequests
    public let hostPorts: [HostPort]
    public let requiredAffinity: [AffinityTerm]
    public let requiredAntiAffinity: [AffinityTerm]
    public let preferredAffinity: [AffinityTerm]
    public let preferredAntiAffinity: [AffinityTerm]
    /// Container images with a tag (`:latest` added when none), as ImageLocality compares them.
    public let images: [String]
    public let priority: Int32

    public init(_ pod: Pod) {
        self.pod = pod
        namespace = pod.metadata.namespace ?? "default"
        name = pod.metadata.name ?? ""
        key = namespace + "/" + name
        labels = pod.metadata.labels ?? [:]
        requests = PodRequests(pod.spec)
        var ports: [HostPort] = []
        for container in pod.spec.containers {
            for port in container.ports ?? [] {
                guard let hostPort = port.hostPort, hostPort > 0 else { continue }
                let ip = port.hostIP.flatMap { $0.isEmpty ? nil : $0 } ?? "0.0.0.0"
                ports.append(HostPort(ip: ip, protocol: port.protocol ?? "TCP", port: hostPort))
            }
        }
        hostPorts = ports
        let affinity = pod.spec.affinity
        requiredAffinity = (affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
            .compactMap { AffinityTerm($0, of: pod) }
        requiredAntiAffinity = (affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])
            .compactMap { AffinityTerm($0, of: pod) }
        preferredAffinity = (affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
            .compactMap { AffinityTerm($0.podAffinityTerm, of: pod, weight: $0.weight) }
        preferredAntiAffinity = (affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [])
            .compactMap { AffinityTerm($0.podAffinityTerm, of: pod, weight: $0.weight) }
        images = ((pod.spec.initContainers ?? []) + pod.spec.containers).compactMap { $0.image.map(Self.normalizedImage) }
        priority = pod.spec.priority ?? 0
    }

    public var hasAffinityTerms: Bool {
        !requiredAffinity.isEmpty || !requiredAntiAffinity.isEmpty || !preferredAffinity.isEmpty
            || !preferredAntiAffinity.isEmpty
    }

    public var uid: String? { pod.metadata.uid }

    /// Adds `:latest` to an image named without a tag or digest.
    static func normalizedImage(_ image: String) -> String {
        let lastColon = image.lastIndex(of: ":")
        let lastSlash = image.lastIndex(of: "/")
        if let lastColon, lastSlash.map({ lastColon > $0 }) ?? true { return image }
        return image + ":latest"
    }
}
