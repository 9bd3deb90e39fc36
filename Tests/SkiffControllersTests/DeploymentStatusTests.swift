import SkiffAPI
import Testing

@testable import SkiffControllers

@Suite struct DeploymentStatusTests {
    @Test func aFinishedRolloutIsAvailableAndComplete() {
        var deployment = Fixtures.deployment(replicas: 3)
        let new = Fixtures.replicaSet("web-abc", replicas: 3)
        let old = Fixtures.replicaSet("web-old", replicas: 0)
        deployment.status = DeploymentStatusCalculation.calculate(deployment, all: [old, new], new: new, now: .now())
        let status = DeploymentStatusCalculation.rollout(deployment, all: [old, new], new: new, now: .now())
        #expect(status.replicas == 3 && status.updatedReplicas == 3 && status.availableReplicas == 3)
        #expect(status.unavailableReplicas == 0 && status.observedGeneration == 1)
        let available = DeploymentConditions.get(status, "Available")
        #expect(available?.status == "True" && available?.reason == "MinimumReplicasAvailable")
        let progressing = DeploymentConditions.get(status, "Progressing")
        #expect(progressing?.reason == "NewReplicaSetAvailable")
        #expect(progressing?.message == "ReplicaSet \"web-abc\" has successfully progressed.")
    }

    @Test func aRolloutInFlightIsProgressing() {
        let deployment = Fixtures.deployment(replicas: 4)
        let old = Fixtures.replicaSet("web-old", replicas: 3, created: 1)
        let new = Fixtures.replicaSet("web-new", replicas: 2, available: 1, created: 2)
        let status = DeploymentStatusCalculation.rollout(deployment, all: [old, new], new: new, now: .now())
        #expect(status.replicas == 5 && status.updatedReplicas == 2 && status.availableReplicas == 4)
        #expect(DeploymentConditions.get(status, "Progressing")?.reason == "ReplicaSetUpdated")
        #expect(DeploymentConditions.get(status, "Available")?.status == "True")
    }

    @Test func noProgressPastTheDeadlineTimesOut() {
        var deployment = Fixtures.deployment(replicas: 2)
        deployment.spec.progressDeadlineSeconds = 60
        let old = Fixtures.replicaSet("web-old", replicas: 2, created: 1)
        let new = Fixtures.replicaSet("web-new", replicas: 1, available: 0, created: 2)
        let then = Time(nanosecondsSinceEpoch: 1_000 * 1_000_000_000)
        deployment.status = DeploymentStatusCalculation.rollout(deployment, all: [old, new], new: new, now: then)
        let later = Time(nanosecondsSinceEpoch: 1_061 * 1_000_000_000)
        let status = DeploymentStatusCalculation.rollout(deployment, all: [old, new], new: new, now: later)
        let progressing = DeploymentConditions.get(status, "Progressing")
        #expect(progressing?.status == "False" && progressing?.reason == "ProgressDeadlineExceeded")
    }

    @Test func tooFewAvailableIsUnavailable() {
        let deployment = Fixtures.deployment(replicas: 4, maxSurge: .int(1), maxUnavailable: .int(0))
        let new = Fixtures.replicaSet("web-new", replicas: 4, available: 3)
        let status = DeploymentStatusCalculation.calculate(deployment, all: [new], new: new, now: .now())
        let available = DeploymentConditions.get(status, "Available")
        #expect(available?.status == "False" && available?.reason == "MinimumReplicasUnavailable")
        #expect(status.unavailableReplicas == 1)
    }
}
