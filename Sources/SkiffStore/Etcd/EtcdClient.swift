import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// The gRPC methods of etcd's v3 API that Skiff calls.
enum EtcdMethod {
    static let range = "/etcdserverpb.KV/Range"
    static let put = "/etcdserverpb.KV/Put"
    static let deleteRange = "/etcdserverpb.KV/DeleteRange"
    static let txn = "/etcdserverpb.KV/Txn"
    static let compact = "/etcdserverpb.KV/Compact"
    static let watch = "/etcdserverpb.Watch/Watch"
}

/// One connection to etcd at a time, to the first endpoint that answers.
///
/// A lost connection fails the calls on it with ``GRPCTransportError`` (which
/// the store reports as ``StoreError/Code/unavailable``); the next call dials
/// again, trying the endpoints in order. Calls are never retried: a write whose
/// answer was lost may or may not have been applied.
final class EtcdClient: Sendable {
    private struct State {
        var connection: GRPCConnection?
        var dialing: Task<GRPCConnection, any Error>?
        var closed = false
        var inFlight = 0
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    let endpoints: [EtcdEndpoint]
    let requestTimeout: Duration
    let dialTimeout: Duration
    private let sslContext: NIOSSLContext?
    private let group: any EventLoopGroup
    private let logger: Logger
    private let state = Mutex(State())

    init(
        endpoints: [EtcdEndpoint], sslContext: NIOSSLContext?, requestTimeout: Duration, dialTimeout: Duration,
        logger: Logger
    ) {
        self.endpoints = endpoints
        self.sslContext = sslContext
        self.requestTimeout = requestTimeout
        self.dialTimeout = dialTimeout
        self.logger = logger
        group = MultiThreadedEventLoopGroup.singleton
    }

    /// The endpoint of the current connection, if there is one.
    var connectedEndpoint: EtcdEndpoint? {
        state.withLock { $0.connection?.isActive == true ? $0.connection?.endpoint : nil }
    }

    /// Calls a unary method.
    func call<Response: ProtoDecodable>(
        _ method: String, _ request: some ProtoEncodable, as _: Response.Type = Response.self
    ) async throws -> Response {
        try begin()
        defer { end() }
        let connection = try await connection()
        let bytes = try await connection.unary(method, request.encoded(), timeout: requestTimeout)
        do {
            return try Response(decoding: bytes)
        } catch {
            throw GRPCTransportError("cannot decode etcd's answer to \(method): \(error)")
        }
    }

    /// Opens a watch and hands each response to `receive` (on the connection's
    /// event loop) until it returns false, the task is cancelled or `timeout`
    /// (if any) passes.
    func watch(
        _ request: EtcdWatchCreateRequest, timeout: Duration?,
        receive: @escaping @Sendable (EtcdWatchResponse) throws -> Bool
    ) async throws {
        let connection = try await connection()
        try await connection.call(EtcdMethod.watch, request.encoded(), halfClose: false, timeout: timeout) { bytes in
            let response: EtcdWatchResponse
            do {
                response = try EtcdWatchResponse(decoding: bytes)
            } catch {
                throw GRPCTransportError("cannot decode an etcd watch response: \(error)")
            }
            return try receive(response)
        }
    }

    /// Refuses new calls, lets the calls under way finish, then closes the connection.
    func close() async {
        let idle: Bool = state.withLock { state in
            state.closed = true
            return state.inFlight == 0
        }
        if !idle {
            // Each call ends within the request timeout, so this wait is bounded.
            await withCheckedContinuation { continuation in
                let resumeNow: Bool = state.withLock { state in
                    guard state.inFlight > 0 else { return true }
                    state.drained.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
        let (connection, dialing) = state.withLock { state in
            defer {
                state.connection = nil
                state.dialing = nil
            }
            return (state.connection, state.dialing)
        }
        dialing?.cancel()
        connection?.close()
    }

    private func begin() throws(StoreError) {
        try state.withLock { state throws(StoreError) in
            guard !state.closed else { throw StoreError.closed }
            state.inFlight += 1
        }
    }

    private func end() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.inFlight -= 1
            guard state.inFlight == 0 else { return [] }
            defer { state.drained = [] }
            return state.drained
        }
        waiters.forEach { $0.resume() }
    }

    /// The live connection, dialing one (once, for all callers waiting) if needed.
    private func connection() async throws -> GRPCConnection {
        enum Next { case ready(GRPCConnection), wait(Task<GRPCConnection, any Error>) }
        let next: Next = try state.withLock { state throws(StoreError) in
            guard !state.closed else { throw StoreError.closed }
            if let connection = state.connection, connection.isActive { return .ready(connection) }
            state.connection = nil
            if let dialing = state.dialing { return .wait(dialing) }
            let dialing = Task { try await self.dial() }
            state.dialing = dialing
            return .wait(dialing)
        }
        switch next {
        case .ready(let connection): return connection
        case .wait(let dialing): return try await adopt(dialing)
        }
    }

    /// Waits for a dial and keeps its connection for later calls.
    private func adopt(_ dialing: Task<GRPCConnection, any Error>) async throws -> GRPCConnection {
        do {
            let connection = try await dialing.value
            let keep: Bool = state.withLock { state in
                if state.dialing == dialing { state.dialing = nil }
                guard !state.closed else { return false }
                if state.connection == nil { state.connection = connection }
                return true
            }
            if !keep {
                connection.close()
                throw StoreError.closed
            }
            return connection
        } catch {
            state.withLock { state in
                if state.dialing == dialing { state.dialing = nil }
            }
            throw error
        }
    }

    /// Connects to the first endpoint that connects and answers a read.
    private func dial() async throws -> GRPCConnection {
        var failures: [String] = []
        for endpoint in endpoints {
            do {
                let connection = try await GRPCConnection.connect(
                    to: endpoint, sslContext: sslContext, group: group, timeout: dialTimeout)
                do {
                    let probe = EtcdRangeRequest(key: EtcdStore.probeKey, countOnly: true)
                    _ = try await connection.unary(EtcdMethod.range, probe.encoded(), timeout: dialTimeout)
                } catch {
                    connection.close()
                    throw error
                }
                logger.info("connected to etcd", metadata: ["endpoint": "\(endpoint)"])
                return connection
            } catch {
                logger.warning("etcd endpoint unhealthy", metadata: ["endpoint": "\(endpoint)", "error": "\(error)"])
                failures.append("\(endpoint): \(error)")
            }
        }
        throw GRPCTransportError("no etcd endpoint is healthy (\(failures.joined(separator: "; ")))")
    }
}
