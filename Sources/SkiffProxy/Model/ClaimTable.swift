/// Which Services claim each frontend, in ``ServiceKey`` order: the first one
/// gets the frontend, the others are reported as conflicts.
struct ClaimTable: Sendable {
    private var claimants: [Frontend: [ServiceKey]] = [:]
    /// Claims that lost: for the problem count.
    private(set) var conflicts = 0

    /// Records whether `service` claims `frontend` and returns its claimants, winner first.
    mutating func set(_ service: ServiceKey, claims: Bool, _ frontend: Frontend) -> [ServiceKey] {
        var list = claimants[frontend] ?? []
        let before = list.count
        list.removeAll { $0 == service }
        if claims { list.insert(service, at: list.firstIndex { service < $0 } ?? list.endIndex) }
        conflicts += max(list.count - 1, 0) - max(before - 1, 0)
        claimants[frontend] = list.isEmpty ? nil : list
        return list
    }

    /// The frontends more than one Service claims, with their claimants, winner first.
    var contested: [(Frontend, [ServiceKey])] {
        claimants.filter { $0.value.count > 1 }.map { ($0.key, $0.value) }
    }
}
