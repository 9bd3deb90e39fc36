import SkiffAPI
import Testing

@testable import SkiffAPIServer

/// Objects and a fixed clock for the table tests.
enum TableFixtures {
    static let now = try! Time(rfc3339: "2024-05-01T12:00:00Z")

    /// `seconds` before `now`.
    static func ago(_ seconds: Int64) -> Time {
        Time(nanosecondsSinceEpoch: now.nanosecondsSinceEpoch - seconds * 1_000_000_000)
    }

    static func metadata(_ name: String, namespace: String? = "default", age seconds: Int64 = 3600) -> ObjectMeta {
        var metadata = ObjectMeta(name: name, namespace: namespace)
        metadata.creationTimestamp = ago(seconds)
        metadata.uid = "uid-\(name)"
        metadata.resourceVersion = "42"
        return metadata
    }

    /// A scheduled pod with one app container and no status yet.
    static func pod(_ name: String = "web", containers: [String] = ["app"]) -> Pod {
        var pod = Pod()
        pod.metadata = metadata(name)
        pod.spec.containers = containers.map { Container(name: $0, image: "nginx:1.25") }
        pod.spec.nodeName = "node-1"
        pod.status.phase = PodPhase.pending
        return pod
    }

    static func running(_ name: String, ready: Bool = true, restarts: Int32 = 0) -> ContainerStatus {
        var status = ContainerStatus()
        status.name = name
        status.ready = ready
        status.started = true
        status.restartCount = restarts
        status.state.running = ContainerStateRunning()
        status.state.running?.startedAt = ago(60)
        return status
    }

    static func waiting(_ name: String, reason: String?, restarts: Int32 = 0) -> ContainerStatus {
        var status = ContainerStatus()
        status.name = name
        status.restartCount = restarts
        status.state.waiting = ContainerStateWaiting()
        status.state.waiting?.reason = reason
        return status
    }

    static func terminated(_ name: String, exitCode: Int32, reason: String?, signal: Int32? = nil) -> ContainerStatus {
        var status = ContainerStatus()
        status.name = name
        var state = ContainerStateTerminated()
        state.exitCode = exitCode
        state.reason = reason
        state.signal = signal
        state.finishedAt = ago(30)
        status.state.terminated = state
        return status
    }

    /// `status` after a restart whose previous run finished `seconds` ago.
    static func restarted(_ status: ContainerStatus, finished seconds: Int64) -> ContainerStatus {
        var status = status
        var last = ContainerStateTerminated()
        last.exitCode = 1
        last.reason = "Error"
        last.finishedAt = ago(seconds)
        status.lastState.terminated = last
        return status
    }

    static func condition(_ type: String, _ status: String, reason: String? = nil) -> PodCondition {
        var condition = PodCondition(type: type, status: status)
        condition.reason = reason
        return condition
    }

    static func node(_ name: String, ready: String? = "True", labels: [String: String] = [:]) -> Node {
        var node = Node()
        node.metadata = metadata(name, namespace: nil)
        node.metadata.labels = labels
        if let ready {
            var condition = NodeCondition()
            condition.type = "Ready"
            condition.status = ready
            node.status.conditions = [condition]
        }
        node.status.nodeInfo.kubeletVersion = "v1.32.0"
        return node
    }

    static func service(
        _ name: String, type: String, ports: [ServicePort], clusterIP: String = "10.43.0.10"
    ) -> Service {
        var service = Service()
        service.metadata = metadata(name)
        service.spec.type = type
        service.spec.ports = ports
        service.spec.clusterIP = clusterIP
        service.spec.clusterIPs = [clusterIP]
        return service
    }

    static func port(_ port: Int32, nodePort: Int32? = nil, protocol: String = "TCP") -> ServicePort {
        var servicePort = ServicePort(protocol: `protocol`, port: port, targetPort: .int(port))
        servicePort.nodePort = nodePort
        return servicePort
    }

    /// The one row of a table of `object`.
    static func row<T: APIObject>(_ object: T) throws -> TableRow {
        let table = try TableConversion.table(of: T.self, objects: [object], includeObject: .none, now: now)
        return try #require(table.rows.first)
    }

    /// The cells of `object`'s row, by column name.
    static func cells<T: APIObject>(_ object: T) throws -> [String: JSONValue] {
        let table = try TableConversion.table(of: T.self, objects: [object], includeObject: .none, now: now)
        let row = try #require(table.rows.first)
        #expect(row.cells.count == table.columnDefinitions.count)
        return Dictionary(uniqueKeysWithValues: zip(table.columnDefinitions.map(\.name), row.cells))
    }
}
