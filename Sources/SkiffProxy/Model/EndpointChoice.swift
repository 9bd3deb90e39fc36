import SkiffAPI

/// One endpoint of one Service port as the proxy sees it, from an EndpointSlice.
public struct ServiceEndpoint: Hashable, Sendable {
    public var backend: Backend
    public var ready: Bool
    public var serving: Bool
    public var terminating: Bool
    public var nodeName: String?
    /// The zones the endpoint is hinted for (`hints.forZones`): topology-aware routing.
    public var zoneHints: Set<String>

    public init(
        backend: Backend, ready: Bool, serving: Bool, terminating: Bool, nodeName: String?, zoneHints: Set<String> = []
    ) {
        self.backend = backend
        self.ready = ready
        self.serving = serving
        self.terminating = terminating
        self.nodeName = nodeName
        self.zoneHints = zoneHints
    }

    /// As upstream reads the conditions: an unknown `ready` counts as ready, an
    /// unknown `serving` as `ready`, an unknown `terminating` as false.
    public init(backend: Backend, endpoint: Endpoint) {
        let ready = endpoint.conditions.ready ?? true
        self.init(
            backend: backend, ready: ready, serving: endpoint.conditions.serving ?? ready,
            terminating: endpoint.conditions.terminating ?? false, nodeName: endpoint.nodeName,
            zoneHints: Set((endpoint.hints?.forZones ?? []).map(\.name)))
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

    /// The endpoints cluster-wide traffic uses from a node in `zone`: upstream's
    /// topology-aware routing (canUseTopology). When the Service asks for it
    /// (trafficDistribution PreferClose, or the topology-mode annotation Auto), the
    /// node has a zone, every ready endpoint has zone hints and one is hinted for
    /// this zone, only those hinted for it; else all of them.
    public static func clusterWide(_ endpoints: [ServiceEndpoint], zone: String?, service: ServiceSpec, annotations: [String: String]?)
        -> [ServiceEndpoint]
    {
        let mode = annotations?["service.kubernetes.io/topology-mode"] ?? annotations?["service.kubernetes.io/topology-aware-hints"]
        let asked = service.trafficDistribution != nil || mode == "Auto" || mode == "auto"
        guard asked, let zone, !zone.isEmpty else { return endpoints }
        let ready = endpoints.filter(\.ready)
        guard ready.allSatisfy({ !$0.zoneHints.isEmpty }), ready.contains(where: { $0.zoneHints.contains(zone) }) else {
            return endpoints
        }
        // Not-ready endpoints stay: they are the fallback when none is ready (terminating ones).
        return endpoints.filter { !$0.ready || $0.zoneHints.contains(zone) }
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
