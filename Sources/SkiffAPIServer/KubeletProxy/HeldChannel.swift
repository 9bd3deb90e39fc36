import NIOCore

/// A connection to a kubelet kept open by a task of its own, inside NIO's scoped
/// `executeThenClose`, while the request handler and later the response stream or
/// WebSocket relay read and write it. The connection closes once ``close()`` is
/// called or the last reference goes away, so a response that is dropped unread
/// (a HEAD request, a client that left before the upgrade) still ends the
/// kubelet's side.
final class HeldChannel<Inbound: Sendable, Outbound: Sendable>: @unchecked Sendable {
    // Unchecked: the iterator is used by one reader at a time — the handler reading
    // a response head, then the one stream or relay task that continues from there.
    private var iterator: NIOAsyncChannelInboundStream<Inbound>.AsyncIterator
    /// Writes to the kubelet; safe to share between tasks.
    let outbound: NIOAsyncChannelOutboundWriter<Outbound>
    private let release: AsyncStream<Void>.Continuation

    private init(
        iterator: NIOAsyncChannelInboundStream<Inbound>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<Outbound>,
        release: AsyncStream<Void>.Continuation
    ) {
        self.iterator = iterator
        self.outbound = outbound
        self.release = release
    }

    deinit {
        release.finish()
    }

    /// Starts the owning task and returns once it has handed the channel over.
    static func hold(_ channel: NIOAsyncChannel<Inbound, Outbound>) async -> HeldChannel {
        let (released, release) = AsyncStream<Void>.makeStream()
        return await withCheckedContinuation { handed in
            Task {
                // The body cannot throw, and closing errors do not matter: the
                // channel is closed either way once this returns.
                try? await channel.executeThenClose { inbound, outbound in
                    handed.resume(
                        returning: HeldChannel(iterator: inbound.makeAsyncIterator(), outbound: outbound, release: release))
                    for await _ in released {}
                }
            }
        }
    }

    /// The next inbound element; nil once the kubelet closed the connection.
    func next() async throws -> Inbound? {
        try await iterator.next()
    }

    /// Closes the connection (once; later calls do nothing).
    func close() {
        release.finish()
    }
}
