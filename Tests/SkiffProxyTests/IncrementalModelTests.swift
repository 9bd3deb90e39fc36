import SkiffAPI
import SkiffProxy
import Testing

/// The model the proxier keeps and changes one Service at a time, against the
/// model built from scratch, and its recorded changes against a full comparison.
@Suite struct IncrementalModelTests {
    let builder = ModelBuilder(nodeName: "node-a")

    /// A Service among few addresses and NodePorts, so that claims often collide.
    func randomService(_ key: ServiceKey, _ random: inout SeededRandom) -> Service {
        let nodePort: Int32? = random.next(3) == 0 ? Int32(30080 + random.next(3)) : nil
        return Objects.service(
            key.name, clusterIP: "10.43.0.\(10 + random.next(4))", ports: [(nil, 80, 8080, nodePort)],
            namespace: key.namespace)
    }

    func randomSlices(_ key: ServiceKey, _ random: inout SeededRandom) -> [EndpointSlice] {
        let endpoints = (0..<random.next(3)).map { _ in Objects.EP(ip: "10.42.0.\(2 + random.next(4))") }
        return random.next(4) == 0 ? [] : [Objects.slice(for: key.name, endpoints, namespace: key.namespace)]
    }

    @Test func updatingOneServiceAtATimeGivesTheModelBuiltFromScratch() {
        var random = SeededRandom(seed: 0x1C0DE)
        // "a-b" sorts before "a" as a string with its slash ("a-b/" < "a/"), after it as a pair.
        let keys = ["a", "a-b", "b"].flatMap { namespace in ["x", "y"].map { ServiceKey(namespace: namespace, name: $0) } }
        for _ in 0..<100 {
            var incremental = IncrementalModel(builder: builder)
            var services: [ServiceKey: Service] = [:]
            var slices: [ServiceKey: [EndpointSlice]] = [:]
            for _ in 0..<12 {
                let key = keys[random.next(keys.count)]
                if random.next(4) == 0 { services[key] = nil } else { services[key] = randomService(key, &random) }
                slices[key] = randomSlices(key, &random)
                let before = incremental.model
                var changes = ModelChanges()
                incremental.update(key, service: services[key], slices: slices[key] ?? [], changes: &changes)
                let scratch = builder.build(services: Array(services.values), slices: slices.values.flatMap { $0 })
                #expect(incremental.model == scratch.model)
                #expect(incremental.problems == scratch.problems.sorted())
                #expect(incremental.problemCount == scratch.problems.count)
                #expect(changes.frontends == ModelChanges(from: before, to: incremental.model).frontends)
            }
        }
    }

    @Test func theFirstServiceByNamespaceThenNameGetsAContestedAddress() {
        var incremental = IncrementalModel(builder: builder)
        var changes = ModelChanges()
        // As a pair ("a", "web") comes first; as a string "a-b/web" would ("-" < "/").
        let first = ServiceKey(namespace: "a", name: "web"), second = ServiceKey(namespace: "a-b", name: "web")
        incremental.update(second, service: Objects.service("web", clusterIP: "10.43.0.10", namespace: "a-b"), slices: [], changes: &changes)
        let problems = incremental.update(
            first, service: Objects.service("web", clusterIP: "10.43.0.10", namespace: "a"), slices: [], changes: &changes)
        #expect(incremental.model.clusterIPNames[Objects.address("10.43.0.10")] == "a/web", "arriving later, it still wins")
        #expect(problems == [ServiceProblem(second, .frontendInUse, "10.43.0.10 . tcp . 80 is already used by service a/web")])
        #expect(incremental.problemCount == 1)
        // When the winner goes, the other Service gets the address.
        var handover = ModelChanges()
        incremental.update(first, service: nil, slices: [], changes: &handover)
        #expect(incremental.model.clusterIPNames[Objects.address("10.43.0.10")] == "a-b/web")
        #expect(incremental.problemCount == 0)
        #expect(handover.isEmpty, "both Services reject: the destination did not change")
    }

    @Test func changesAccumulateOverSyncsThatWereNotApplied() {
        var changes = ModelChanges()
        let frontend = Frontend.clusterIP(Objects.address("10.43.0.10"))
        let one = Destination.balance(backends: [Objects.backend("10.42.0.2")], affinitySeconds: nil, masquerade: .outsideClusterCIDR)
        changes.note(frontend, before: nil, after: .reject)
        var later = ModelChanges()
        later.note(frontend, before: .reject, after: one)
        changes.append(later)
        #expect(changes.frontends[frontend] == ModelChanges.Change(before: nil, after: one))
        changes.note(frontend, before: one, after: nil)
        #expect(changes.isEmpty, "added and removed again before a sync: nothing to program")
    }
}
