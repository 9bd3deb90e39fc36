import NIOCore
import NIOPosix
import SkiffAPI

/// A tcpSocket probe: healthy when a connection opens within the timeout; it is
/// closed at once (with a reset, so no TIME_WAIT stays behind).
struct TCPProbe: Sendable {
    func run(_ action: TCPSocketAction, target: ProbeTarget, timeout: Duration) async -> ProbeResult {
        guard let host = action.host.flatMap({ $0.isEmpty ? nil : $0 }) ?? target.podIP, !host.isEmpty else {
            return .unknown("the pod has no IP address yet")
        }
        let port: Int
        do { port = try ProbePort.resolve(action.port, in: target.container) } catch { return .unknown(error.description) }
        let authority = HTTPGetURL(scheme: "tcp", host: host, port: port, target: "").authority
        do {
            let channel = try await ProbeDialer.bootstrap(connectTimeout: timeout)
                .channelInitializer { ProbeDialer.lingerNot($0) }
                .connect(host: host, port: port).get()
            try? await channel.close()
            return .success
        } catch {
            return .failure(ProbeDialer.describe(error, authority: authority))
        }
    }
}
