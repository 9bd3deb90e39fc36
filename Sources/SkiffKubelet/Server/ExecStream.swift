import Foundation
import SkiffAPIServer
import SkiffRuntime
import Synchronization

/// One `exec` session over a channel protocol: the command runs in the container
/// with the streams asked for; stdin (0) and resizes (4) flow in, stdout (1) and
/// stderr (2) out; once the command has exited and its output is drained, the
/// outcome goes on the error channel (3) and the connection closes. A client that
/// leaves first gets the command killed, as containerd does when the stream ends.
struct ExecStream: Sendable {
    let runtime: ContainerRuntime
    let containerID: String
    let command: [String]
    let options: RemoteCommandOptions
    let channelProtocol: ChannelProtocol
    /// How long the client may take to answer the close.
    var closingGrace: Duration = .seconds(5)

    func run(_ connection: WebSocketConnection) async {
        let writer = ChannelWriter(outbound: connection.outbound, channelProtocol: channelProtocol)
        try? await writer.send(channel: options.readyChannel, [])
        let outcome: RemoteCommandStatus
        let clientReader: Task<Void, Never>
        do throws(ExecStartFailure) {
            (outcome, clientReader) = try await execute(connection: connection, writer: writer)
        } catch {
            outcome = .internalError("error executing command in container: \(error.reason)")
            clientReader = Task { await ExecInput.ignore(connection.inbound) }
        }
        await RemoteCommandEnding.finish(
            outcome, writer: writer, version: channelProtocol.version, clientReader: clientReader,
            grace: closingGrace)
    }

    private func execute(connection: WebSocketConnection, writer: ChannelWriter) async throws(ExecStartFailure)
        -> (RemoteCommandStatus, Task<Void, Never>)
    {
        let stdio: ExecStdio
        let process: SkiffRuntime.ExecSession
        do {
            stdio = try ExecStdio.make(options)
        } catch {
            throw ExecStartFailure(reason: "\(error)")
        }
        do {
            process = try await runtime.exec(
                id: containerID, ExecProcessConfig(command: command, tty: options.tty), stdio: stdio.child)
        } catch {
            stdio.closeChildEnds()
            throw ExecStartFailure(reason: "\(error)")
        }
        stdio.closeChildEnds()

        let finished = Mutex(false)
        let clientReader = Task { [channelProtocol] in
            await ExecInput(stdio: stdio, channelProtocol: channelProtocol).pump(connection.inbound)
            // The client left before the end: nobody reads the command any more. SIGKILL
            // goes to the command itself: the shim would forward a signal it can catch,
            // but SIGKILL would end only the shim.
            let running = finished.withLock { !$0 }
            if running { kill(process.pid, SIGKILL) }
            stdio.output?.cancel()
            stdio.errorOutput?.cancel()
        }
        let code = await withTaskGroup(of: Void.self) { [options] group in
            if let output = stdio.output {
                group.addTask { await Self.forward(output, to: writer, channel: 1, sending: options.stdout) }
            }
            if let errorOutput = stdio.errorOutput {
                group.addTask { await Self.forward(errorOutput, to: writer, channel: 2, sending: true) }
            }
            let code = await process.wait()
            finished.withLock { $0 = true }
            await group.waitForAll()
            return code
        }
        // Stops stdin writes still waiting for a command that is gone.
        stdio.input?.cancel()
        guard code != 0 else { return (.success, clientReader) }
        // containerd's wording for the exit error that upstream's message wraps.
        let detail = "command '\(command.joined(separator: " "))' exited with \(code)"
        return (.nonZeroExit(code: code, detail: detail), clientReader)
    }

    /// Copies output to its channel until the end of it; a client that cannot take
    /// more stops the copying (the command then gets EPIPE or SIGPIPE).
    static func forward(_ descriptor: PolledDescriptor, to writer: ChannelWriter, channel: UInt8, sending: Bool) async {
        while let bytes = await descriptor.read() {
            guard sending else { continue }
            do { try await writer.send(channel: channel, bytes) } catch {
                descriptor.cancel()
                return
            }
        }
    }
}

/// The command could not be started; the reason is the runtime's.
private struct ExecStartFailure: Error {
    var reason: String
}

/// The client's side of an exec: stdin, resizes and (v5) stdin's end of file.
private struct ExecInput {
    let stdio: ExecStdio
    let channelProtocol: ChannelProtocol

    /// Returns when the client closes or leaves.
    func pump(_ inbound: WebSocketInbound) async {
        var stdin = stdio.input
        do {
            for try await message in inbound {
                guard let (channel, payload) = channelProtocol.decode(message) else { continue }
                switch channel {
                case 0:
                    // A failed write means the command closed its stdin: later input has nowhere to go.
                    if let input = stdin, !(await input.write(payload)) { stdin = nil }
                case 4:
                    guard let terminal = stdio.terminal,
                        let size = try? JSONDecoder().decode(TerminalSize.self, from: Data(payload))
                    else { continue }
                    PseudoTerminal.resize(master: terminal.fd, to: size)
                case ChannelProtocol.streamClose where channelProtocol.version >= .v5 && payload.first == 0:
                    guard let input = stdin else { continue }
                    if stdio.terminal != nil {
                        // A terminal has no end of file of its own: ^D is what a user would type.
                        _ = await input.write([0x04])
                    } else {
                        input.close()
                        stdin = nil
                    }
                default:
                    continue
                }
            }
        } catch {
            // The connection failed: the same as the client leaving.
        }
    }

    /// Reads the client to its close when there is nothing to feed.
    static func ignore(_ inbound: WebSocketInbound) async {
        do {
            for try await _ in inbound {}
        } catch {}
    }
}
