/// The contents of the `skiff` table a ``ProxyModel`` calls for: the shape chains
/// and every set's elements. Two states compare into a ``RulesetDiff``.
public struct RulesetState: Hashable, Sendable {
    public var shapes: Set<Shape> = []
    public var elements: [NFTSet: [ElementKey: ElementData]] = [:]

    public init() {}

    /// The table's contents for `model`.
    public init(model: ProxyModel) {
        for (address, destination) in model.clusterIPs {
            let key: ElementKey = [.ipv4(address.address), .proto(address.proto), .port(address.port)]
            switch destination {
            case .balance(let backends, let affinity, _):
                let shape: Shape = affinity.map { .stickyCluster(endpoints: backends.count, seconds: $0) }
                    ?? .cluster(endpoints: backends.count)
                shapes.insert(shape)
                elements[.serviceIPs, default: [:]][key] = .goto(shape.chainName)
                for (slot, backend) in backends.enumerated() {
                    elements[.slots, default: [:]][[.mark(UInt32(slot))] + key] = .backend(backend)
                }
            case .reject: elements[.noEndpoints, default: [:]][key] = .goto(BaseChain.rejectEndpointless.rawValue)
            case .drop: elements[.noEndpoints, default: [:]][key] = .drop
            }
        }
        for (nodePort, destination) in model.nodePorts {
            let key: ElementKey = [.proto(nodePort.proto), .port(nodePort.port)]
            switch destination {
            case .balance(let backends, let affinity, let masquerade):
                let masquerades = masquerade != .never
                let shape: Shape = affinity.map {
                    .stickyNodePort(endpoints: backends.count, seconds: $0, masquerade: masquerades)
                } ?? .nodePort(endpoints: backends.count, masquerade: masquerades)
                shapes.insert(shape)
                elements[.nodePorts, default: [:]][key] = .goto(shape.chainName)
                for (slot, backend) in backends.enumerated() {
                    elements[.nodePortSlots, default: [:]][[.mark(UInt32(slot))] + key] = .backend(backend)
                }
            case .reject:
                elements[.noEndpointNodePorts, default: [:]][key] = .goto(BaseChain.rejectEndpointless.rawValue)
            case .drop: elements[.noEndpointNodePorts, default: [:]][key] = .drop
            }
        }
        for address in model.allBackends {
            elements[.hairpin, default: [:]][[.ipv4(address), .ipv4(address)]] = ElementData.none
        }
    }

    /// How many elements the proxy programmed, per set (for metrics).
    public var elementCounts: [NFTSet: Int] { elements.mapValues(\.count) }
}

/// What turns one ``RulesetState`` into another: new shape chains and element
/// changes. A changed element is a delete and an add in the same transaction.
public struct RulesetDiff: Hashable, Sendable {
    public var addedShapes: [Shape] = []
    public var removedShapes: [Shape] = []
    public var deletions: [NFTSet: [ElementKey]] = [:]
    public var additions: [NFTSet: [(ElementKey, ElementData)]] = [:]

    public init(from old: RulesetState, to new: RulesetState) {
        addedShapes = new.shapes.subtracting(old.shapes).sorted()
        removedShapes = old.shapes.subtracting(new.shapes).sorted()
        for set in NFTSet.allCases where set.isProgrammed {
            let before = old.elements[set] ?? [:]
            let after = new.elements[set] ?? [:]
            var deleted: [ElementKey] = []
            var added: [(ElementKey, ElementData)] = []
            for (key, data) in before where after[key] != data { deleted.append(key) }
            for (key, data) in after where before[key] != data { added.append((key, data)) }
            if !deleted.isEmpty { deletions[set] = deleted.sorted { $0.description < $1.description } }
            if !added.isEmpty { additions[set] = added.sorted { $0.0.description < $1.0.description } }
        }
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
