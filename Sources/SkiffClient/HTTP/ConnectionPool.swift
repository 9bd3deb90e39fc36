import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// Keep-alive HTTP/1.1 connections to one server, at most `limit` at a time;
/// callers beyond that wait for a connection to come back. Streams (watches) get
/// a connection of their own, outside the limit, closed when the stream ends.
final class ConnectionPool: Sendable {
    private struct State {
        var idle: [HTTPConnection] = []
        var open = 0
        var waiters: [CheckedContinuation<HTTPConnection?, Never>] = []
        var closed = false
    }

    private let host: String
    private let port: Int
    private let tls: NIOSSLContext?
    private let serverName: String?
    private let limit: Int
    private let state = Mutex(State())

    init(host: String, port: Int, tls: NIOSSLContext?, serverName: String?, limit: Int) {
        self.host = host
        self.port = port
        self.tls = tls
        self.serverName = serverName
        self.limit = max(1, limit)
    }

    /// Sends one request on a pooled connection. A request that fails before any
    /// reply on a reused connection (the server closed it while idle) is retried
    /// once on a fresh one.
    func send(_ head: HTTPRequestHead, body: [UInt8]?) async throws(ClientError) -> HTTPReply {
        var attempts = 0
        while true {
            attempts += 1
            let (connection, reused) = try await checkOut()
            do {
                let reply = try await connection.send(head, body: body)
                checkIn(connection)
                return reply
            } catch {
                checkIn(connection)
                if !reused || attempts > 1 || error.reason != .transport { throw error }
            }
        }
    }

    /// Opens a dedicated connection for a streamed response.
    func stream(_ head: HTTPRequestHead) async throws(ClientError) -> (HTTPConnection, HTTPStreamedReply) {
        let connection = try await HTTPConnection.connect(host: host, port: port, tls: tls, serverName: serverName)
        do {
            return (connection, try await connection.stream(head))
        } catch {
            connection.close()
            throw error
        }
    }

    /// Closes idle connections and refuses new requests.
    func close() {
        let (idle, waiters) = state.withLock { state in
            state.closed = true
            defer { state.idle.removeAll(); state.waiters.removeAll() }
            return (state.idle, state.waiters)
        }
        idle.forEach { $0.close() }
        waiters.forEach { $0.resume(returning: nil) }
    }

    private enum Grant {
        case reuse(HTTPConnection)
        case connect
        case wait
        case closed
    }

    private func checkOut() async throws(ClientError) -> (HTTPConnection, reused: Bool) {
        while true {
            let grant = state.withLock { state -> Grant in
                if state.closed { return .closed }
                while let connection = state.idle.popLast() {
                    if connection.isUsable { return .reuse(connection) }
                    state.open -= 1
                }
                if state.open < limit {
                    state.open += 1
                    return .connect
                }
                return .wait
            }
            switch grant {
            case .reuse(let connection):
                return (connection, true)
            case .connect:
                do {
                    return (try await HTTPConnection.connect(host: host, port: port, tls: tls, serverName: serverName), false)
                } catch {
                    release(slot: true)
                    throw error
                }
            case .closed:
                throw .transport("client closed")
            case .wait:
                let handed = await withCheckedContinuation { continuation in
                    let queued = state.withLock { state in
                        if state.closed { return false }
                        state.waiters.append(continuation)
                        return true
                    }
                    if !queued { continuation.resume(returning: nil) }
                }
                if let handed { return (handed, true) }
                if state.withLock({ $0.closed }) { throw .transport("client closed") }
            }
        }
    }

    /// Returns a connection: to a waiter, to the idle list, or closes it and frees its slot.
    private func checkIn(_ connection: HTTPConnection) {
        if !connection.isUsable {
            connection.close()
            release(slot: true)
            return
        }
        let waiter = state.withLock { state -> CheckedContinuation<HTTPConnection?, Never>? in
            if state.closed { return nil }
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.idle.append(connection)
            return nil
        }
        if let waiter {
            waiter.resume(returning: connection)
        } else if state.withLock({ $0.closed }) {
            connection.close()
        }
    }

    /// A slot freed: wake one waiter so it can open a connection of its own.
    private func release(slot: Bool) {
        let waiter = state.withLock { state -> CheckedContinuation<HTTPConnection?, Never>? in
            state.open -= 1
            return state.waiters.isEmpty ? nil : state.waiters.removeFirst()
        }
        waiter?.resume(returning: nil)
    }
}
