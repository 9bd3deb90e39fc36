import SkiffAPI

/// An exec probe: healthy when the command exits 0; its output is the message of a
/// failure, as upstream's exec prober reports it.
struct ExecProbe: Sendable {
    var commands: any ContainerCommandRunning

    func run(_ action: ExecAction, target: ProbeTarget, timeout: Duration) async -> ProbeResult {
        let command = action.command ?? []
        do {
            switch try await commands.run(command, in: target.containerID, timeout: timeout) {
            case .exited(0, _):
                return .success
            case .exited(_, let output):
                return .failure(output)
            case .timedOut:
                // Upstream's runtime reports a timed-out exec like this, and the prober
                // makes it the failure's message.
                return .failure("command \(GoText.quote(command.joined(separator: " "))) timed out")
            }
        } catch {
            return .unknown("\(error)")
        }
    }
}
