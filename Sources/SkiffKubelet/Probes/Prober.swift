import SkiffAPI

/// Carries out one attempt of a probe against a container.
public protocol ContainerProbing: Sendable {
    /// Runs `probe`'s handler against `target`, giving up after `timeout`.
    func probe(_ probe: Probe, target: ProbeTarget, timeout: Duration) async -> ProbeResult
}

/// The kubelet's prober: exec inside the container, httpGet and tcpSocket from the
/// host's network namespace to the pod's IP.
public struct Prober: ContainerProbing {
    private let exec: ExecProbe
    private let http = HTTPProbe()
    private let tcp = TCPProbe()

    /// `commands` runs exec probes inside containers.
    public init(commands: any ContainerCommandRunning) {
        exec = ExecProbe(commands: commands)
    }

    public func probe(_ probe: Probe, target: ProbeTarget, timeout: Duration) async -> ProbeResult {
        if let action = probe.exec { return await exec.run(action, target: target, timeout: timeout) }
        if let action = probe.httpGet { return await http.run(action, target: target, timeout: timeout) }
        if let action = probe.tcpSocket { return await tcp.run(action, target: target, timeout: timeout) }
        if probe.grpc != nil {
            // A gRPC health check needs HTTP/2 with the pod; a clear failure beats a
            // probe that silently passes.
            return .failure("gRPC probes are not supported by this kubelet")
        }
        return .unknown("missing probe handler for container \(GoText.quote(target.container.name))")
    }
}
