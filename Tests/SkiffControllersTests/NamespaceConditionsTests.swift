import SkiffAPI
import Testing

@testable import SkiffControllers

@Suite struct NamespaceConditionsTests {
    let earlier = Time(nanosecondsSinceEpoch: 1_000_000_000)
    let later = Time(nanosecondsSinceEpoch: 9_000_000_000)

    @Test func allFiveTypesAreFalseWithTheirOkReasonsWhenNothingFailed() {
        var status = NamespaceStatus()
        #expect(NamespaceConditions().apply(to: &status, now: earlier))
        let shown = (status.conditions ?? []).map { "\($0.type) \($0.status) \($0.reason ?? "")" }
        #expect(shown == [
            "NamespaceDeletionDiscoveryFailure False ResourcesDiscovered",
            "NamespaceDeletionGroupVersionParsingFailure False ParsedGroupVersions",
            "NamespaceDeletionContentFailure False ContentDeleted",
            "NamespaceContentRemaining False ContentRemoved",
            "NamespaceFinalizersRemaining False ContentHasNoFinalizers",
        ])
        // The same outcome again changes nothing, so nothing is written.
        #expect(!NamespaceConditions().apply(to: &status, now: later))
    }

    @Test func failuresAndLeftoversAreWordedAsUpstream() {
        var conditions = NamespaceConditions()
        conditions.discoveryFailed(groups: 1, message: "unable to retrieve the complete list of server APIs: x.io/v1: boom")
        conditions.contentDeletionFailed("b failed")
        conditions.contentDeletionFailed("a failed")
        let pods = DiscoveredResource(group: "", version: "v1", resource: "pods", verbs: [])
        let sets = DiscoveredResource(group: "apps", version: "v1", resource: "replicasets", verbs: [])
        conditions.remaining(byResource: [pods: 2, sets: 1], byFinalizer: ["example.com/hold": 2, "other.io/x": 1])
        var status = NamespaceStatus()
        _ = conditions.apply(to: &status, now: earlier)
        func message(_ type: String) -> String? { status.conditions?.first { $0.type == type }?.message }
        #expect(message("NamespaceDeletionDiscoveryFailure")
            == "Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: x.io/v1: boom")
        #expect(message("NamespaceDeletionContentFailure") == "Failed to delete all resource types, 2 remaining: a failed, b failed")
        #expect(message("NamespaceContentRemaining")
            == "Some resources are remaining: pods. has 2 resource instances, replicasets.apps has 1 resource instances")
        #expect(message("NamespaceFinalizersRemaining")
            == "Some content in the namespace has finalizers remaining: example.com/hold in 2 resource instances, other.io/x in 1 resource instances")
        #expect(status.conditions?.filter { $0.status == "True" }.count == 4)
    }

    @Test func aConditionKeepsItsTransitionTimeUnlessItsStatusFlips() {
        var status = NamespaceStatus()
        var first = NamespaceConditions()
        first.remaining(byResource: [DiscoveredResource(group: "", version: "v1", resource: "pods", verbs: []): 2], byFinalizer: [:])
        _ = first.apply(to: &status, now: earlier)
        var second = NamespaceConditions()
        second.remaining(byResource: [DiscoveredResource(group: "", version: "v1", resource: "pods", verbs: []): 1], byFinalizer: [:])
        #expect(second.apply(to: &status, now: later))
        let remaining = status.conditions?.first { $0.type == "NamespaceContentRemaining" }
        #expect(remaining?.message == "Some resources are remaining: pods. has 1 resource instances")
        #expect(remaining?.lastTransitionTime == earlier)
        _ = NamespaceConditions().apply(to: &status, now: later)
        let cleared = status.conditions?.first { $0.type == "NamespaceContentRemaining" }
        #expect(cleared?.status == "False" && cleared?.lastTransitionTime == later)
    }
}
