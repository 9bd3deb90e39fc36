import SkiffAPI

/// One endpoint of one Service port as the proxy sees it, from an EndpointSlice.
public struct ServiceEndpoint: Hashable, Sendable {
    public var backend: Backend
    public var ready: Bool
    public var serving: Bool
    public var terminating: Bool
    public var nodeName: String?

    public init(backend: Backend, ready: Bool, serving: Bool, terminating: Bool, nodeName: String?) {
        self.backend = backend
        self.ready = ready
        self.serving = serving
        self.terminating = terminating
        self.nodeName = nodeName
    }

    /// As upstream reads the conditions: an unknown `ready` counts as ready, an
    /// unknown `serving` as `ready`, an unknown `terminating` as false.
    public init(backend: Backend, endpoint: Endpoint) {
        let ready = endpoint.conditions.ready ?? true
        self.init(
            backend: backend, ready: ready, serving: endpoint.conditions.serving ?? ready,
            terminating: endpoint.conditions.terminating ?? false, nodeName: endpoint.nodeName)
    }
}

/// Which endpoints a Service's traffic may use, as upstream's CategorizeEndpoints:
/// ready endpoints, or — only when none is ready — those still serving while they
/// terminate, so connections drain gracefully instead of failing.
public enum EndpointChoice {
    /// The endpoints among `endpoints` that traffic may use, sorted.
    public static func usable(_ endpoints: [ServiceEndpoint]) -> [Backend] {
        let ready = endpoints.filter(\.ready)
        let chosen = ready.isEmpty ? endpoints.filter { $0.serving && $0.terminating } : ready
        return Array(Set(chosen.map(\.backend))).sorted()
    }

    /// Usable endpoints on `nodeName` only, for the Local traffic policies.
    public static func usableLocal(_ endpoints: [ServiceEndpoint], nodeName: String) -> [Backend] {
        usable(endpoints.filter { $0.nodeName == nodeName })
    }

    /// What a destination does given its endpoints: balance over `chosen`;
    /// if there are none, drop when the Service has endpoints elsewhere that the
    /// Local policy excludes, and reject when it has none at all.
    public static func destination(
        chosen: [Backend], anyUsable: Bool, affinitySeconds: Int32?, masquerade: Masquerade
    ) -> Destination {
        if !chosen.isEmpty { return .balance(backends: chosen, affinitySeconds: affinitySeconds, masquerade: masquerade) }
        return anyUsable ? .drop : .reject
    }
}

extension Destination {
    /// This destination with new connections allowed only from `sources` (nil: from
    /// anywhere); only a balance has connections to restrict.
    func allowing(_ sources: [IPCIDR]?) -> Destination {
        guard let sources, case .balance(let backends, let affinity, let masquerade, _) = self else { return self }
        return .balance(backends: backends, affinitySeconds: affinity, masquerade: masquerade, allowedSources: sources)
    }
}
