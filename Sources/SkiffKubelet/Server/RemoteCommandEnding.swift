/// How exec and attach sessions end: the outcome on the error channel, a normal
/// close, then the client's answer to it (read by the task that reads the client),
/// for at most a grace period.
enum RemoteCommandEnding {
    static func finish(
        _ outcome: RemoteCommandStatus, writer: ChannelWriter, version: ChannelProtocol.Version,
        clientReader: Task<Void, Never>, grace: Duration
    ) async {
        if let payload = outcome.payload(for: version) {
            try? await writer.send(channel: RemoteCommandStatus.errorChannel, payload)
        }
        try? await writer.outbound.close(code: 1000)
        await awaitClient(clientReader, grace: grace)
    }

    /// Waits for the task reading the client to see the client's close, for at most `grace`.
    static func awaitClient(_ clientReader: Task<Void, Never>, grace: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await clientReader.value }
            group.addTask { try? await Task.sleep(for: grace) }
            await group.next()
            group.cancelAll()
        }
        clientReader.cancel()
    }
}
