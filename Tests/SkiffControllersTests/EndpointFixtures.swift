import SkiffAPI

/// Services, pods and nodes as the endpoint controllers see them.
enum EndpointFixtures {
    static func service(
        _ name: String = "web", selector: [String: String]? = ["app": "web"], ports: [ServicePort] = [
            ServicePort(name: "http", protocol: "TCP", port: 80, targetPort: .string("http"))
        ], families: [String]? = ["IPv4"], clusterIP: String = "10.43.0.10"
    ) -> Service {
        var service = Service()
        service.metadata.name = name
        service.metadata.namespace = "default"
        service.metadata.uid = "uid-svc-" + name
        service.spec.selector = selector
        service.spec.ports = ports
        service.spec.ipFamilies = families
        service.spec.clusterIP = clusterIP
        return service
    }

    /// A pod as a kubelet reports it: on `node`, with these IPs, Ready or not.
    static func pod(
        _ name: String, ips: [String], ready: Bool = true, node: String = "node-a", httpPort: Int32 = 8080,
        labels: [String: String] = ["app": "web"], terminating: Bool = false, phase: String = "Running"
    ) -> Pod {
        var pod = Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "default"
        pod.metadata.uid = "uid-" + name
        pod.metadata.labels = labels
        if terminating { pod.metadata.deletionTimestamp = Time(nanosecondsSinceEpoch: 1_000_000_000) }
        var container = Container()
        container.name = "web"
        container.image = "nginx:1"
        container.ports = [ContainerPort(containerPort: httpPort, name: "http", protocol: "TCP")]
        pod.spec.containers = [container]
        pod.spec.nodeName = node
        pod.status = status(ips: ips, ready: ready)
        pod.status.phase = phase
        return pod
    }

    static func status(ips: [String], ready: Bool) -> PodStatus {
        var status = PodStatus()
        status.phase = "Running"
        status.podIP = ips.first
        status.podIPs = ips.isEmpty ? nil : ips.map(PodIP.init(ip:))
        var condition = PodCondition()
        condition.type = "Ready"
        condition.status = ready ? "True" : "False"
        status.conditions = [condition]
        return status
    }

    static func node(_ name: String, zone: String? = nil) -> Node {
        var node = Node()
        node.metadata.name = name
        if let zone { node.metadata.labels = ["topology.kubernetes.io/zone": zone] }
        return node
    }
}
