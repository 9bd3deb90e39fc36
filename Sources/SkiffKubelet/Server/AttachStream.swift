import Foundation
import SkiffAPIServer
import SkiffRuntime

/// One `attach` session: the container's output as its monitor relays it, and
/// (when asked for and the container was made with stdin) the client's input and
/// terminal size. It ends when the container's output ends (it exited) or the
/// client leaves; the container runs on after a detach.
struct AttachStream: Sendable {
    let runtime: ContainerRuntime
    let containerID: String
    let options: RemoteCommandOptions
    /// The container was created with `stdinOnce`: the client's end of stdin ends the container's.
    let stdinOnce: Bool
    let channelProtocol: ChannelProtocol
    var closingGrace: Duration = .seconds(5)

    func run(_ connection: WebSocketConnection) async {
        let writer = ChannelWriter(outbound: connection.outbound, channelProtocol: channelProtocol)
        try? await writer.send(channel: options.readyChannel, [])
        let session: SkiffRuntime.AttachSession
        do {
            session = try await runtime.attach(id: containerID)
        } catch {
            let reader = Task { await Self.ignore(connection.inbound) }
            await RemoteCommandEnding.finish(
                .internalError("error attaching to container: \(error)"), writer: writer,
                version: channelProtocol.version, clientReader: reader, grace: closingGrace)
            return
        }
        let clientReader = Task { [options, stdinOnce, channelProtocol] in
            await Self.pumpInput(
                connection.inbound, to: session, options: options, stdinOnce: stdinOnce,
                channelProtocol: channelProtocol)
            // Detached: the output stream ends too.
            session.close()
        }
        outputs: for await output in session.output {
            do {
                switch output {
                case .stdout(let bytes) where options.stdout:
                    try await writer.send(channel: 1, bytes)
                case .stderr(let bytes) where options.stderr:
                    try await writer.send(channel: 2, bytes)
                case .stdout, .stderr:
                    continue
                }
            } catch {
                break outputs
            }
        }
        session.close()
        await RemoteCommandEnding.finish(
            .success, writer: writer, version: channelProtocol.version, clientReader: clientReader,
            grace: closingGrace)
    }

    private static func pumpInput(
        _ inbound: WebSocketInbound, to session: SkiffRuntime.AttachSession, options: RemoteCommandOptions,
        stdinOnce: Bool, channelProtocol: ChannelProtocol
    ) async {
        do {
            for try await message in inbound {
                guard let (channel, payload) = channelProtocol.decode(message) else { continue }
                switch channel {
                case 0 where options.stdin:
                    try? session.send(stdin: payload)
                case 4:
                    guard let size = try? JSONDecoder().decode(TerminalSize.self, from: Data(payload)) else { continue }
                    try? session.resize(rows: size.Height, columns: size.Width)
                case ChannelProtocol.streamClose where channelProtocol.version >= .v5 && payload.first == 0:
                    // Other attachers may still type: only a stdinOnce container's stdin ends with one.
                    if options.stdin && stdinOnce { try? session.closeStdin() }
                default:
                    continue
                }
            }
        } catch {}
    }

    static func ignore(_ inbound: WebSocketInbound) async {
        do {
            for try await _ in inbound {}
        } catch {}
    }
}
