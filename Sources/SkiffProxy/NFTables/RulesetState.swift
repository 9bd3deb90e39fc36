/// The contents of the `skiff` table a ``ProxyModel`` calls for: the shape chains
/// and every set's elements. Two states compare into a ``RulesetDiff``; a state
/// can also be changed in place by ``ModelChanges``, giving the diff as it goes.
public struct RulesetState: Hashable, Sendable {
    public var shapes: Set<Shape> = []
    public var elements: [NFTSet: [ElementKey: ElementData]] = [:]
    /// Each frontend's destination: every element but the hairpin set's follows from
    /// one of them alone, so two states differ only where a destination differs.
    var destinations: [Frontend: Destination] = [:]
    /// How many destinations send to each backend address: the hairpin set holds
    /// an address while any does.
    var backendUses: [IPAddress: Int] = [:]

    public init() {}

    /// The table's contents for `model`.
    public init(model: ProxyModel) {
        for (frontend, destination) in model.frontends { add(frontend, destination) }
    }

    /// Applies `changes` in place and returns what the kernel must be sent to
    /// match. Each changed frontend's old destination is the one this state holds.
    /// Shapes no longer used stay (see ``NFTablesBackend``): removing a chain is
    /// what a partial sync avoids.
    public mutating func apply(_ changes: ModelChanges) -> RulesetDiff {
        var diff = RulesetDiff()
        // Whether each backend address touched was in the hairpin set before any change.
        var hadHairpin: [IPAddress: Bool] = [:]
        for (frontend, change) in changes.frontends {
            let before = destinations[frontend]
            guard before != change.after else { continue }
            for address in (before?.backendAddresses ?? []) + (change.after?.backendAddresses ?? [])
            where hadHairpin[address] == nil {
                hadHairpin[address] = backendUses[address] != nil
            }
            let old = before.map { Self.contents(of: frontend, $0).elements } ?? []
            let new = change.after.map { Self.contents(of: frontend, $0).elements } ?? []
            for (set, key, data) in old where !new.contains(where: { $0.0 == set && $0.1 == key && $0.2 == data }) {
                diff.deletions[set, default: []].append(key)
            }
            for (set, key, data) in new where !old.contains(where: { $0.0 == set && $0.1 == key && $0.2 == data }) {
                diff.additions[set, default: []].append((key, data))
            }
            if let before { remove(frontend, before) }
            if let after = change.after, let shape = add(frontend, after) { diff.addedShapes.append(shape) }
        }
        for (address, had) in hadHairpin {
            let key = Self.hairpinKey(address)
            switch (had, backendUses[address] != nil) {
            case (true, false): diff.deletions[.hairpin, default: []].append(key)
            case (false, true): diff.additions[.hairpin, default: []].append((key, ElementData.none))
            default: break
            }
        }
        diff.sort()
        return diff
    }

    /// Adds one frontend's destination; returns its shape when this state did not have it yet.
    @discardableResult
    private mutating func add(_ frontend: Frontend, _ destination: Destination) -> Shape? {
        destinations[frontend] = destination
        let (shape, contents) = Self.contents(of: frontend, destination)
        for (set, key, data) in contents { elements[set, default: [:]][key] = data }
        for address in destination.backendAddresses {
            backendUses[address, default: 0] += 1
            if backendUses[address] == 1 { elements[.hairpin, default: [:]][Self.hairpinKey(address)] = ElementData.none }
        }
        guard let shape, shapes.insert(shape).inserted else { return nil }
        return shape
    }

    private mutating func remove(_ frontend: Frontend, _ destination: Destination) {
        destinations[frontend] = nil
        for (set, key, _) in Self.contents(of: frontend, destination).elements { elements[set]?[key] = nil }
        for address in destination.backendAddresses {
            let uses = (backendUses[address] ?? 1) - 1
            backendUses[address] = uses > 0 ? uses : nil
            if uses <= 0 { elements[.hairpin]?[Self.hairpinKey(address)] = nil }
        }
    }

    /// The shape chain and the elements one destination stands for.
    static func contents(of frontend: Frontend, _ destination: Destination) -> (shape: Shape?, elements: [(NFTSet, ElementKey, ElementData)]) {
        switch frontend {
        case .clusterIP(let address):
            let key: ElementKey = [.address(address.address), .proto(address.proto), .port(address.port)]
            switch destination {
            case .balance(let backends, let affinity, let masquerade, let allowedSources):
                let shape = Shape.address(endpoints: backends.count, affinitySeconds: affinity, masquerade: masquerade)
                let firewall: [(NFTSet, ElementKey, ElementData)] = allowedSources.map { sources in
                    [(.firewalled, key, .none)] + sources.map { (.firewallAllowed, key + [.prefix($0)], .none) }
                } ?? []
                return (shape, balanced(key, over: backends, shape: shape, from: .serviceIPs, slots: .slots) + firewall)
            case .reject: return (nil, [(.noEndpoints, key, .goto(BaseChain.rejectEndpointless.rawValue))])
            // Dropped in the nat chains, after the shortcuts: this node's pods and the node
            // itself still reach a Local Service's other endpoints through its external address.
            case .drop: return (nil, [(.serviceIPs, key, .drop)])
            }
        case .nodePort(let nodePort):
            let key: ElementKey = [.proto(nodePort.proto), .port(nodePort.port)]
            switch destination {
            case .balance(let backends, let affinity, let masquerade, _):
                let masquerades = masquerade != .never
                let shape: Shape = affinity.map {
                    .stickyNodePort(endpoints: backends.count, seconds: $0, masquerade: masquerades)
                } ?? .nodePort(endpoints: backends.count, masquerade: masquerades)
                return (shape, balanced(key, over: backends, shape: shape, from: .nodePorts, slots: .nodePortSlots))
            case .reject: return (nil, [(.noEndpointNodePorts, key, .goto(BaseChain.rejectEndpointless.rawValue))])
            case .drop: return (nil, [(.noEndpointNodePorts, key, .drop)])
            }
        case .shortcut(let address):
            // Only a balance: without endpoints the Service has no shortcut.
            guard case .balance(let backends, let affinity, _, _) = destination else { return (nil, []) }
            let key: ElementKey = [.address(address.address), .proto(address.proto), .port(address.port)]
            let shape = Shape.shortcut(endpoints: backends.count, seconds: affinity)
            return (shape, balanced(key, over: backends, shape: shape, from: .shortcuts, slots: .shortcutSlots))
        case .nodePortShortcut(let nodePort):
            guard case .balance(let backends, let affinity, _, _) = destination else { return (nil, []) }
            let key: ElementKey = [.proto(nodePort.proto), .port(nodePort.port)]
            let shape = Shape.nodePortShortcut(endpoints: backends.count, seconds: affinity)
            return (shape, balanced(key, over: backends, shape: shape, from: .nodePortShortcuts, slots: .nodePortShortcutSlots))
        }
    }

    /// A balanced frontend's elements: `key` in the `dispatch` map → goto the shape
    /// chain, and one `slots` element per backend (slot . key → backend).
    private static func balanced(
        _ key: ElementKey, over backends: [Backend], shape: Shape, from dispatch: NFTSet, slots: NFTSet
    ) -> [(NFTSet, ElementKey, ElementData)] {
        [(dispatch, key, .goto(shape.chainName))] + backends.enumerated().map { slot, backend in
            (slots, [.mark(UInt32(slot))] + key, .backend(backend))
        }
    }

    static func hairpinKey(_ address: IPAddress) -> ElementKey { [.address(address), .address(address)] }

    /// How many elements the proxy programmed, per set (for metrics).
    public var elementCounts: [NFTSet: Int] { elements.mapValues(\.count) }
}
