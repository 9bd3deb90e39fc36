import SkiffAPI
import Testing

@testable import SkiffControllers

@Suite struct RolloutMathTests {
    @Test func percentagesRoundUpForSurgeAndDownForUnavailable() {
        #expect(RolloutMath.scaledValue(.string("25%"), total: 10, roundUp: true) == 3)
        #expect(RolloutMath.scaledValue(.string("25%"), total: 10, roundUp: false) == 2)
        #expect(RolloutMath.scaledValue(.int(4), total: 10, roundUp: false) == 4)
        let fenceposts = RolloutMath.fenceposts(Fixtures.deployment(replicas: 10))
        #expect(fenceposts.surge == 3 && fenceposts.unavailable == 2)
    }

    @Test func zeroSurgeAndZeroUnavailableStillAllowsOneUnavailable() {
        let deployment = Fixtures.deployment(replicas: 3, maxSurge: .int(0), maxUnavailable: .string("10%"))
        #expect(RolloutMath.maxSurge(deployment) == 0)
        #expect(RolloutMath.maxUnavailable(deployment) == 1)
    }

    @Test func theNewSetGrowsOnlyAsFarAsSurgeAllows() {
        let deployment = Fixtures.deployment(replicas: 4, maxSurge: .int(1), maxUnavailable: .int(0))
        let old = Fixtures.replicaSet("old", replicas: 4)
        var new = Fixtures.replicaSet("new", replicas: 0, created: 10)
        #expect(RolloutMath.newReplicaSetTarget(deployment, all: [old, new], new: new) == 1)
        new.spec.replicas = 1
        // 5 = 4 + maxSurge already: wait for old pods to go.
        #expect(RolloutMath.newReplicaSetTarget(deployment, all: [old, new], new: new) == nil)
    }

    @Test func oldSetsShrinkOnlyAsFarAsAvailabilityAllows() {
        let deployment = Fixtures.deployment(replicas: 4, maxSurge: .int(1), maxUnavailable: .int(0))
        let old = Fixtures.replicaSet("old", replicas: 4)
        // The new pod is not available yet: nothing may go.
        var new = Fixtures.replicaSet("new", replicas: 1, available: 0, created: 10)
        #expect(RolloutMath.oldReplicaSetTargets(deployment, old: [old], new: new).isEmpty)
        // Once it is, one old pod may go.
        new.status.availableReplicas = 1
        #expect(RolloutMath.oldReplicaSetTargets(deployment, old: [old], new: new) == ["old": 3])
    }

    @Test func unavailableOldPodsGoFirst() {
        let deployment = Fixtures.deployment(replicas: 4, maxSurge: .int(0), maxUnavailable: .int(2))
        // Two of the old set's pods are not available: they go first, and with them
        // the budget of two is spent, so no available pod goes.
        let old = Fixtures.replicaSet("old", replicas: 4, available: 2)
        let new = Fixtures.replicaSet("new", replicas: 0, created: 10)
        #expect(RolloutMath.oldReplicaSetTargets(deployment, old: [old], new: new) == ["old": 2])
    }

    @Test func oldestSetsShrinkFirst() {
        let deployment = Fixtures.deployment(replicas: 4, maxSurge: .int(0), maxUnavailable: .int(2))
        let oldest = Fixtures.replicaSet("v1", replicas: 1, created: 1)
        let older = Fixtures.replicaSet("v2", replicas: 3, created: 2)
        let new = Fixtures.replicaSet("v3", replicas: 0, created: 3)
        #expect(RolloutMath.oldReplicaSetTargets(deployment, old: [older, oldest], new: new) == ["v1": 0, "v2": 2])
    }

    @Test func scalingMidRolloutIsProportional() {
        // 10 replicas mid-rollout: old 8, new 5 (maxSurge 3); scaled to 20 (maxSurge 5).
        var deployment = Fixtures.deployment(replicas: 20)
        deployment.status.replicas = 13
        var old = Fixtures.replicaSet("old", replicas: 8, created: 1)
        var new = Fixtures.replicaSet("new", replicas: 5, available: 0, created: 2)
        old.metadata.annotations = [DeploymentAnnotations.maxReplicas: "13", DeploymentAnnotations.desiredReplicas: "10"]
        new.metadata.annotations = old.metadata.annotations
        let targets = RolloutMath.scalingTargets(deployment, new: new, old: [old])
        // 25 allowed = 20 + 5: each set grows by 25/13 of itself, 8 → 15 and 5 → 10.
        #expect(targets == ["old": 15, "new": 10])
    }

    @Test func aSingleActiveSetTakesTheNewCount() {
        let deployment = Fixtures.deployment(replicas: 7)
        let old = Fixtures.replicaSet("old", replicas: 0, created: 1)
        let new = Fixtures.replicaSet("new", replicas: 3, created: 2)
        #expect(RolloutMath.scalingTargets(deployment, new: new, old: [old]) == ["new": 7])
    }

    @Test func theTemplateHashIgnoresItsOwnLabel() {
        var template = PodTemplateSpec()
        template.metadata.labels = ["app": "web"]
        let hash = PodTemplateHash.compute(template, collisionCount: nil)
        #expect(hash.count >= 6)
        #expect(hash.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
        #expect(PodTemplateHash.compute(template, collisionCount: 1) != hash)
        var labelled = template
        labelled.metadata.labels?["pod-template-hash"] = hash
        #expect(PodTemplateHash.equalIgnoringHash(template, labelled))
        // `stdin: false` from a protobuf body is Go's absent stdin.
        labelled.spec.containers = [Container()]
        labelled.spec.containers[0].stdin = false
        var plain = template
        plain.spec.containers = [Container()]
        #expect(PodTemplateHash.equalIgnoringHash(plain, labelled))
        labelled.spec.containers[0].stdin = true
        #expect(!PodTemplateHash.equalIgnoringHash(plain, labelled))
        labelled.spec.hostname = "other"
        #expect(!PodTemplateHash.equalIgnoringHash(template, labelled))
    }
}
