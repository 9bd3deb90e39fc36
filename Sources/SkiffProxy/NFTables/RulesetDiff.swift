/// What turns one ``RulesetState`` into another: new shape chains and element
/// changes. A changed element is a delete and an add in the same transaction.
public struct RulesetDiff: Hashable, Sendable {
    public var addedShapes: [Shape] = []
    public var removedShapes: [Shape] = []
    public var deletions: [NFTSet: [ElementKey]] = [:]
    public var additions: [NFTSet: [(ElementKey, ElementData)]] = [:]

    public init() {}

    /// Comparing every destination of both states (when no ``ModelChanges`` say
    /// which changed). Only destinations that differ are looked at element by
    /// element: one comparison per destination, not one per element.
    public init(from old: RulesetState, to new: RulesetState) {
        addedShapes = new.shapes.subtracting(old.shapes).sorted()
        removedShapes = old.shapes.subtracting(new.shapes).sorted()
        var touchedBackends: Set<IPAddress> = []
        func visit(_ frontend: Frontend, _ before: Destination?, _ after: Destination?) {
            if let before {
                for (set, key, data) in RulesetState.contents(of: frontend, before).elements where new.elements[set]?[key] != data {
                    deletions[set, default: []].append(key)
                }
                touchedBackends.formUnion(before.backendAddresses)
            }
            if let after {
                for (set, key, data) in RulesetState.contents(of: frontend, after).elements where old.elements[set]?[key] != data {
                    additions[set, default: []].append((key, data))
                }
                touchedBackends.formUnion(after.backendAddresses)
            }
        }
        for (frontend, before) in old.destinations {
            let after = new.destinations[frontend]
            if after != before { visit(frontend, before, after) }
        }
        for (frontend, after) in new.destinations where old.destinations[frontend] == nil { visit(frontend, nil, after) }
        // The hairpin set is every backend of any destination: only those of changed ones can come or go.
        for address in touchedBackends {
            let key = RulesetState.hairpinKey(address)
            let before = old.backendUses[address] != nil
            let after = new.backendUses[address] != nil
            if before && !after { deletions[.hairpin, default: []].append(key) }
            if after && !before { additions[.hairpin, default: []].append((key, ElementData.none)) }
        }
        sort()
    }

    /// Puts every set's changes in a stable order (the batch, and tests, compare them).
    mutating func sort() {
        addedShapes.sort()
        for set in deletions.keys { deletions[set]?.sort { $0.description < $1.description } }
        for set in additions.keys { additions[set]?.sort { $0.0.description < $1.0.description } }
    }

    public var isEmpty: Bool { addedShapes.isEmpty && deletions.isEmpty && additions.isEmpty }

    public var elementChanges: Int {
        deletions.values.reduce(0) { $0 + $1.count } + additions.values.reduce(0) { $0 + $1.count }
    }

    public static func == (lhs: RulesetDiff, rhs: RulesetDiff) -> Bool {
        lhs.addedShapes == rhs.addedShapes && lhs.removedShapes == rhs.removedShapes && lhs.deletions == rhs.deletions
            && lhs.additions.mapValues { $0.map { "\($0.0):\($0.1)" } } == rhs.additions.mapValues { $0.map { "\($0.0):\($0.1)" } }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(addedShapes)
        hasher.combine(deletions)
    }
}
