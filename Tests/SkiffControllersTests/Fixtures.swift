import SkiffAPI

/// Pods, replica sets and deployments as the controllers see them in their caches.
enum Fixtures {
    static func pod(
        _ name: String, node: String? = nil, phase: String = "Running", ready: Bool = true,
        readySince: Int64 = 1_000, created: Int64 = 0, restarts: Int32 = 0
    ) -> Pod {
        var pod = Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "default"
        pod.metadata.uid = "uid-" + name
        pod.metadata.creationTimestamp = Time(nanosecondsSinceEpoch: created * 1_000_000_000)
        pod.spec.nodeName = node
        pod.status.phase = phase
        var condition = PodCondition()
        condition.type = "Ready"
        condition.status = ready ? "True" : "False"
        condition.lastTransitionTime = Time(nanosecondsSinceEpoch: readySince * 1_000_000_000)
        pod.status.conditions = [condition]
        var container = ContainerStatus()
        container.restartCount = restarts
        pod.status.containerStatuses = [container]
        return pod
    }

    static func replicaSet(_ name: String, replicas: Int32, available: Int32? = nil, created: Int64 = 0) -> ReplicaSet {
        var set = ReplicaSet()
        set.metadata.name = name
        set.metadata.uid = "uid-" + name
        set.metadata.creationTimestamp = Time(nanosecondsSinceEpoch: created * 1_000_000_000)
        set.spec.replicas = replicas
        set.status.replicas = replicas
        set.status.availableReplicas = available ?? replicas
        set.status.readyReplicas = available ?? replicas
        return set
    }

    static func deployment(
        replicas: Int32, maxSurge: IntOrString? = .string("25%"), maxUnavailable: IntOrString? = .string("25%")
    ) -> Deployment {
        var deployment = Deployment()
        deployment.metadata.name = "web"
        deployment.metadata.generation = 1
        deployment.spec.replicas = replicas
        deployment.spec.strategy.type = "RollingUpdate"
        var rolling = RollingUpdateDeployment()
        rolling.maxSurge = maxSurge
        rolling.maxUnavailable = maxUnavailable
        deployment.spec.strategy.rollingUpdate = rolling
        deployment.spec.progressDeadlineSeconds = 600
        return deployment
    }
}
