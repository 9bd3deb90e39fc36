import SkiffAPI

/// The ``ProxyModel`` kept between syncs and changed one Service at a time: a
/// sync rebuilds only the Services its informers saw change, so one more Service
/// among 10,000 costs that Service's work, not 10,000 Services'.
///
/// When two Services claim one frontend (an address and port, a NodePort), the
/// first in ``ServiceKey`` order gets it, whatever order they arrive in — the
/// same answer a rebuild from scratch gives.
public struct IncrementalModel: Sendable {
    public private(set) var model = ProxyModel()
    /// Changing it (this node's zone) changes no part by itself: update every
    /// Service afterwards.
    public var builder: ModelBuilder
    private var parts: [ServiceKey: ServicePart] = [:]
    /// The Services with a health check (see ``ServicePart/HealthCheck``).
    public private(set) var healthChecks: [ServiceKey: ServicePart.HealthCheck] = [:]
    private var claims = ClaimTable()
    private var ownProblems = 0

    public init(builder: ModelBuilder) { self.builder = builder }

    /// The Services the model holds a part for.
    public var services: Dictionary<ServiceKey, ServicePart>.Keys { parts.keys }

    /// How many problems the model has now: Services' own and lost claims.
    public var problemCount: Int { ownProblems + claims.conflicts }

    /// Every problem the model has now, sorted (a walk over every Service).
    public var problems: [ServiceProblem] {
        var problems = parts.values.flatMap(\.problems)
        for (frontend, claimants) in claims.contested {
            problems += claimants.dropFirst().map { Self.lostClaim($0, frontend, to: claimants[0]) }
        }
        return problems.sorted()
    }

    /// Brings the Service `key` up to date with `service` (nil: it is gone) and its
    /// EndpointSlices, noting in `changes` each frontend whose destination changed.
    /// Returns the problems this change shows: the Service's own, and the claims
    /// that lost to another Service's among the frontends it touched.
    @discardableResult
    public mutating func update(
        _ key: ServiceKey, service: Service?, slices: [EndpointSlice], changes: inout ModelChanges
    ) -> [ServiceProblem] {
        replace(key, with: service.map { builder.part(of: $0, key: key, slices: slices) }, changes: &changes)
    }

    /// Replaces the Service `key`'s part (nil: it has none now).
    private mutating func replace(_ key: ServiceKey, with part: ServicePart?, changes: inout ModelChanges) -> [ServiceProblem] {
        let old = parts[key]
        guard old != part else { return [] }
        parts[key] = part
        healthChecks[key] = part?.healthCheck
        ownProblems += (part?.problems.count ?? 0) - (old?.problems.count ?? 0)
        var problems = part?.problems ?? []
        var touched = Set<Frontend>()
        if let old { touched.formUnion(old.claims.keys) }
        if let part { touched.formUnion(part.claims.keys) }
        for frontend in touched {
            let claimants = claims.set(key, claims: part?.claims[frontend] != nil, frontend)
            let winner = claimants.first.flatMap { parts[$0]?.claims[frontend] }
            changes.note(frontend, before: model[frontend], after: winner?.destination)
            model[frontend] = winner?.destination
            model[nameOf: frontend] = winner?.portName
            for loser in claimants.dropFirst() {
                problems.append(Self.lostClaim(loser, frontend, to: claimants[0]))
            }
        }
        return problems
    }

    private static func lostClaim(_ loser: ServiceKey, _ frontend: Frontend, to winner: ServiceKey) -> ServiceProblem {
        ServiceProblem(loser, .frontendInUse, "\(frontend) is already used by service \(winner)")
    }
}
