import SkiffRuntime

/// The runtime's containers of one pod, grouped by the pod's container name and
/// ordered by attempt. Every start of a container is a new runtime container
/// `<pod uid>_<name>_<attempt>`, labelled with the pod and the attempt, so the
/// restart count and the previous instance (for lastState and `logs --previous`)
/// survive an agent restart: they are on disk with the runtime's records.
struct ContainerInstances: Sendable {
    static let podUIDLabel = "io.kubernetes.pod.uid"
    static let containerNameLabel = "io.kubernetes.container.name"
    static let attemptLabel = "io.kubernetes.container.restartCount"

    private(set) var byName: [String: [ContainerRecord]] = [:]

    init(podUID: String, records: [ContainerRecord]) {
        for record in records where record.config.labels[Self.podUIDLabel] == podUID {
            guard let name = record.config.labels[Self.containerNameLabel] else { continue }
            byName[name, default: []].append(record)
        }
        for name in byName.keys { byName[name]!.sort { Self.attempt(of: $0) < Self.attempt(of: $1) } }
    }

    static func id(podUID: String, container: String, attempt: Int) -> String {
        "\(podUID)_\(container)_\(attempt)"
    }

    static func attempt(of record: ContainerRecord) -> Int {
        record.config.labels[attemptLabel].flatMap { Int($0) } ?? 0
    }

    /// The newest instance of a container, if it ever started.
    func latest(_ name: String) -> ContainerRecord? { byName[name]?.last }

    /// The instance before the newest one.
    func previous(_ name: String) -> ContainerRecord? {
        guard let all = byName[name], all.count >= 2 else { return nil }
        return all[all.count - 2]
    }

    /// The attempt number the next start of `name` gets.
    func nextAttempt(_ name: String) -> Int { latest(name).map { Self.attempt(of: $0) + 1 } ?? 0 }

    var all: [ContainerRecord] { byName.values.flatMap { $0 } }
    var running: [ContainerRecord] { all.filter { $0.state == .running } }

    /// Instances older than the previous one of each container: nothing reads them.
    var superseded: [ContainerRecord] { byName.values.flatMap { $0.dropLast(2) } }
}
