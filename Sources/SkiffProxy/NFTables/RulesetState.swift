/// The contents of the `skiff` table a ``ProxyModel`` calls for: the shape chains
/// and every set's elements. Two states compare into a ``RulesetDiff``.
public struct RulesetState: Hashable, Sendable {
    /// Where the elements come from: a ClusterIP port or a NodePort.
    enum Origin: Hashable, Sendable {
        case clusterIP(ServiceAddress)
        case nodePort(NodePortKey)
    }

    public var shapes: Set<Shape> = []
    public var elements: [NFTSet: [ElementKey: ElementData]] = [:]
    /// Each origin's destination: every element but the hairpin set's follows from
    /// one of them alone, so two states differ only where a destination differs.
    var destinations: [Origin: Destination] = [:]
    /// The origins each Service (namespace/name) holds, for a diff of a few Services,
    /// and whether every origin has its owner there.
    var origins: [String: [Origin]] = [:]
    var everyOriginOwned = true

    public init() {}

    /// The table's contents for `model`.
    public init(model: ProxyModel) {
        for (address, destination) in model.clusterIPs {
            add(.clusterIP(address), destination, owner: model.clusterIPNames[address])
        }
        for (nodePort, destination) in model.nodePorts {
            add(.nodePort(nodePort), destination, owner: model.nodePortNames[nodePort])
        }
        for address in model.allBackends {
            elements[.hairpin, default: [:]][Self.hairpinKey(address)] = ElementData.none
        }
    }

    private mutating func add(_ origin: Origin, _ destination: Destination, owner portName: String?) {
        destinations[origin] = destination
        // Port names are `namespace/name` or `namespace/name:port`; neither part holds a colon.
        if let portName {
            origins[String(portName.prefix { $0 != ":" }), default: []].append(origin)
        } else {
            everyOriginOwned = false
        }
        let (shape, contents) = Self.contents(of: origin, destination)
        if let shape { shapes.insert(shape) }
        for (set, key, data) in contents { elements[set, default: [:]][key] = data }
    }

    /// The shape chain and the elements one destination stands for.
    static func contents(of origin: Origin, _ destination: Destination) -> (Shape?, [(NFTSet, ElementKey, ElementData)]) {
        switch origin {
        case .clusterIP(let address):
            let key: ElementKey = [.ipv4(address.address), .proto(address.proto), .port(address.port)]
            switch destination {
            case .balance(let backends, let affinity, _):
                let shape: Shape = affinity.map { .stickyCluster(endpoints: backends.count, seconds: $0) }
                    ?? .cluster(endpoints: backends.count)
                return (shape, [(.serviceIPs, key, .goto(shape.chainName))] + backends.enumerated().map { slot, backend in
                    (.slots, [.mark(UInt32(slot))] + key, .backend(backend))
                })
            case .reject: return (nil, [(.noEndpoints, key, .goto(BaseChain.rejectEndpointless.rawValue))])
            case .drop: return (nil, [(.noEndpoints, key, .drop)])
            }
        case .nodePort(let nodePort):
            let key: ElementKey = [.proto(nodePort.proto), .port(nodePort.port)]
            switch destination {
            case .balance(let backends, let affinity, let masquerade):
                let masquerades = masquerade != .never
                let shape: Shape = affinity.map {
                    .stickyNodePort(endpoints: backends.count, seconds: $0, masquerade: masquerades)
                } ?? .nodePort(endpoints: backends.count, masquerade: masquerades)
                return (shape, [(.nodePorts, key, .goto(shape.chainName))] + backends.enumerated().map { slot, backend in
                    (.nodePortSlots, [.mark(UInt32(slot))] + key, .backend(backend))
                })
            case .reject: return (nil, [(.noEndpointNodePorts, key, .goto(BaseChain.rejectEndpointless.rawValue))])
            case .drop: return (nil, [(.noEndpointNodePorts, key, .drop)])
            }
        }
    }

    static func hairpinKey(_ address: IPv4) -> ElementKey { [.ipv4(address), .ipv4(address)] }

    /// How many elements the proxy programmed, per set (for metrics).
    public var elementCounts: [NFTSet: Int] { elements.mapValues(\.count) }
}

/// What turns one ``RulesetState`` into another: new shape chains and element
/// changes. A changed element is a delete and an add in the same transaction.
///
/// Only destinations that differ are looked at element by element: at 10,000
/// Services one more costs a comparison per destination, not one per element
/// (five times as many, each a hash of an array key).
public struct RulesetDiff: Hashable, Sendable {
    public var addedShapes: [Shape] = []
    public var removedShapes: [Shape] = []
    public var deletions: [NFTSet: [ElementKey]] = [:]
    public var additions: [NFTSet: [(ElementKey, ElementData)]] = [:]

    /// `onlyServices`: when given, the only Services (namespace/name) whose
    /// destinations may differ — the others' are taken as equal without looking (the
    /// proxier knows which Services and slices its informers saw change). Origins
    /// without an owner are always compared.
    public init(from old: RulesetState, to new: RulesetState, onlyServices: Set<String>? = nil) {
        addedShapes = new.shapes.subtracting(old.shapes).sorted()
        removedShapes = old.shapes.subtracting(new.shapes).sorted()
        var deleted: [NFTSet: [ElementKey]] = [:]
        var added: [NFTSet: [(ElementKey, ElementData)]] = [:]
        var touchedBackends: Set<IPv4> = []
        func visit(_ origin: RulesetState.Origin, _ before: Destination?, _ after: Destination?) {
            if let before {
                for (set, key, data) in RulesetState.contents(of: origin, before).1 where new.elements[set]?[key] != data {
                    deleted[set, default: []].append(key)
                }
                touchedBackends.formUnion(before.backendAddresses)
            }
            if let after {
                for (set, key, data) in RulesetState.contents(of: origin, after).1 where old.elements[set]?[key] != data {
                    added[set, default: []].append((key, data))
                }
                touchedBackends.formUnion(after.backendAddresses)
            }
        }
        if let onlyServices, old.everyOriginOwned, new.everyOriginOwned {
            // Both states name an owner for every origin: the changed Services' old and
            // new origins are all that can differ (a freed address another Service
            // claimed too is among the old ones).
            var candidates: Set<RulesetState.Origin> = []
            for service in onlyServices {
                candidates.formUnion(old.origins[service] ?? [])
                candidates.formUnion(new.origins[service] ?? [])
            }
            for origin in candidates {
                let before = old.destinations[origin], after = new.destinations[origin]
                if before != after { visit(origin, before, after) }
            }
        } else {
            for (origin, before) in old.destinations {
                let after = new.destinations[origin]
                if after != before { visit(origin, before, after) }
            }
            for (origin, after) in new.destinations where old.destinations[origin] == nil { visit(origin, nil, after) }
        }
        // The hairpin set is every backend of any destination: only those of changed ones can come or go.
        for address in touchedBackends {
            let key = RulesetState.hairpinKey(address)
            let before = old.elements[.hairpin]?[key] != nil
            let after = new.elements[.hairpin]?[key] != nil
            if before && !after { deleted[.hairpin, default: []].append(key) }
            if after && !before { added[.hairpin, default: []].append((key, ElementData.none)) }
        }
        for set in NFTSet.allCases where set.isProgrammed {
            if let keys = deleted[set] { deletions[set] = keys.sorted { $0.description < $1.description } }
            if let elements = added[set] { additions[set] = elements.sorted { $0.0.description < $1.0.description } }
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
