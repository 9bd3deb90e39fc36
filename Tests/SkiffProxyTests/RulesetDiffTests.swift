import SkiffProxy
import Testing

/// The partial sync's diff — comparing two states destination by destination, or
/// changing the applied state in place — against the plain comparison of every
/// element of both states.
@Suite struct RulesetDiffTests {
    /// Every element of every programmed set compared: the definition the fast diff must meet.
    func referenceChanges(_ old: RulesetState, _ new: RulesetState) -> (deleted: Set<String>, added: Set<String>) {
        var deleted: Set<String> = [], added: Set<String> = []
        for set in NFTSet.allCases where set != .affinity {
            let before = old.elements[set] ?? [:], after = new.elements[set] ?? [:]
            for (key, data) in before where after[key] != data { deleted.insert("\(set) \(key)") }
            for (key, data) in after where before[key] != data { added.insert("\(set) \(key) \(data)") }
        }
        return (deleted, added)
    }

    func changes(_ diff: RulesetDiff) -> (deleted: Set<String>, added: Set<String>) {
        let deleted = diff.deletions.flatMap { set, keys in keys.map { "\(set) \($0)" } }
        let added = diff.additions.flatMap { set, elements in elements.map { "\(set) \($0.0) \($0.1)" } }
        #expect(deleted.count == Set(deleted).count && added.count == Set(added).count, "no element twice")
        return (Set(deleted), Set(added))
    }

    /// A small random cluster: few addresses, so Services share endpoints (hairpin
    /// entries with several owners) and destinations often change shape or kind.
    func randomModel(_ random: inout SeededRandom) -> ProxyModel {
        var model = ProxyModel()
        func destination() -> Destination {
            switch random.next(9) {
            case 0: return .reject
            case 1: return .drop
            default:
                let count = 1 + random.next(3)
                let backends = Set((0..<count).map { _ in Objects.backend("10.42.0.\(2 + random.next(6))", UInt16(8080 + random.next(2))) })
                return .balance(
                    backends: backends.sorted(), affinitySeconds: random.next(4) == 0 ? 10800 : nil,
                    masquerade: random.next(3) == 0 ? .always : .outsideClusterCIDR)
            }
        }
        for index in 0..<random.next(8) {
            model.clusterIPs[Objects.address("10.43.0.\(10 + index)", 80, random.next(4) == 0 ? .udp : .tcp)] = destination()
        }
        for index in 0..<random.next(4) { model.nodePorts[NodePortKey(proto: .tcp, port: UInt16(30080 + index))] = destination() }
        return model
    }

    @Test func randomChangesGiveExactlyTheElementsThatDiffer() {
        var random = SeededRandom(seed: 0x5EED)
        for _ in 0..<500 {
            let old = RulesetState(model: randomModel(&random))
            let new = RulesetState(model: randomModel(&random))
            let diff = RulesetDiff(from: old, to: new)
            let expected = referenceChanges(old, new)
            let actual = changes(diff)
            #expect(actual.deleted == expected.deleted)
            #expect(actual.added == expected.added)
            #expect(Set(diff.addedShapes) == new.shapes.subtracting(old.shapes))
        }
    }

    @Test func changingTheAppliedStateInPlaceGivesTheSameElementsAndDiff() {
        var random = SeededRandom(seed: 0xD1FF)
        for _ in 0..<500 {
            let oldModel = randomModel(&random), newModel = randomModel(&random)
            let old = RulesetState(model: oldModel), new = RulesetState(model: newModel)
            var state = old
            let diff = state.apply(ModelChanges(from: oldModel, to: newModel))
            let expected = referenceChanges(old, new)
            let actual = changes(diff)
            #expect(actual.deleted == expected.deleted)
            #expect(actual.added == expected.added)
            #expect(Set(diff.addedShapes) == new.shapes.subtracting(old.shapes))
            #expect(state.elements.filter { !$0.value.isEmpty } == new.elements.filter { !$0.value.isEmpty })
            // Shapes stay until a full sync removes their chains.
            #expect(state.shapes == old.shapes.union(new.shapes))
        }
    }

    @Test func oneMoreServiceAmongManyIsItsElementsOnly() {
        let old = RulesetState(model: Fixtures.model(extraServices: 1000))
        let new = RulesetState(model: Fixtures.model(extraServices: 1001))
        let diff = RulesetDiff(from: old, to: new)
        // Its ClusterIP entry and its two slots; its endpoints are already in the hairpin set.
        #expect(diff.deletions.isEmpty)
        #expect(diff.additions.mapValues(\.count) == [.serviceIPs: 1, .slots: 2])
    }

    @Test func anEndpointSharedByTwoServicesStaysInTheHairpinSetUntilBothLetGo() {
        var both = ProxyModel()
        let shared = Objects.backend("10.42.0.2")
        both.clusterIPs[Objects.address("10.43.0.10")] = .balance(backends: [shared], affinitySeconds: nil, masquerade: .outsideClusterCIDR)
        both.clusterIPs[Objects.address("10.43.0.11")] = .balance(backends: [shared], affinitySeconds: nil, masquerade: .outsideClusterCIDR)
        var one = both
        one.clusterIPs[Objects.address("10.43.0.11")] = .reject
        var none = one
        none.clusterIPs[Objects.address("10.43.0.10")] = nil
        #expect(RulesetDiff(from: RulesetState(model: both), to: RulesetState(model: one)).deletions[.hairpin] == nil)
        #expect(RulesetDiff(from: RulesetState(model: one), to: RulesetState(model: none)).deletions[.hairpin]?.count == 1)
    }
}

/// A deterministic generator, so a failure names a case that can be run again.
struct SeededRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }
}
