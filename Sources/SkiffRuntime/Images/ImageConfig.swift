/// What an image says a container should run with, from its config blob. The
/// container side merges it with the pod spec as the kubelet does: `command`
/// replaces ``entrypoint``, `args` replace ``cmd``.
public struct ImageConfig: Sendable, Equatable, Codable {
    public var entrypoint: [String]
    public var cmd: [String]
    /// `NAME=value` strings, in the image's order.
    public var env: [String]
    /// Empty when the image sets none (the container then starts in `/`).
    public var workingDir: String
    /// `user`, `uid`, `user:group` or `uid:gid`; empty for root.
    public var user: String
    /// `80/tcp`, `53/udp`, sorted.
    public var exposedPorts: [String]
    public var labels: [String: String]
    public var stopSignal: String?

    public init(
        entrypoint: [String] = [], cmd: [String] = [], env: [String] = [], workingDir: String = "", user: String = "",
        exposedPorts: [String] = [], labels: [String: String] = [:], stopSignal: String? = nil
    ) {
        self.entrypoint = entrypoint
        self.cmd = cmd
        self.env = env
        self.workingDir = workingDir
        self.user = user
        self.exposedPorts = exposedPorts
        self.labels = labels
        self.stopSignal = stopSignal
    }

    init(_ file: OCIImageConfigFile) {
        let config = file.config
        self.init(
            entrypoint: config?.Entrypoint ?? [], cmd: config?.Cmd ?? [], env: config?.Env ?? [],
            workingDir: config?.WorkingDir ?? "", user: config?.User ?? "",
            exposedPorts: (config?.ExposedPorts?.keys).map { $0.sorted() } ?? [], labels: config?.Labels ?? [:],
            stopSignal: config?.StopSignal)
    }
}
