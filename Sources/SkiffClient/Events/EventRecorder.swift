import Foundation
import Logging
import SkiffAPI
import Synchronization

/// Records core/v1 Events about objects, as client-go's recorder does: the
/// caller never waits for the API, events are sent in the background (a few at
/// a time), and an event repeated with the same object, type, reason and
/// message bumps `count` and `lastTimestamp` of the first one instead of making
/// another. When the API falls far behind, new events are dropped (and logged)
/// rather than held without bound.
public final class EventRecorder: Sendable {
    public enum EventType: String, Sendable {
        case normal = "Normal"
        case warning = "Warning"
    }

    private struct Pending: Sendable {
        var event: Event
        /// Count > 1: patch the existing event instead of creating it.
        var repeatOf: String?
    }

    private struct Seen {
        var name: String
        var namespace: String
        var count: Int32
        var firstTimestamp: Time
    }

    private struct State {
        var queue: [Pending] = []
        var seen: [String: Seen] = [:]
        var wake: CheckedContinuation<Void, Never>?
        var dropped = 0
    }

    private let client: APIClient
    private let component: String
    private let host: String?
    private let logger: Logger
    private let maximumQueued: Int
    private let state = Mutex(State())

    public init(
        client: APIClient, component: String, host: String? = nil, maximumQueued: Int = 10_000,
        logger: Logger = Logger(label: "skiff.events")
    ) {
        self.client = client
        self.component = component
        self.host = host
        self.maximumQueued = maximumQueued
        self.logger = logger
    }

    /// Queues an event about `object`; returns at once.
    public func record(_ object: ObjectReference, type: EventType, reason: String, message: String) {
        let now = Time.now()
        let key = [object.uid ?? "", object.kind ?? "", object.namespace ?? "", object.name ?? "", type.rawValue, reason, message]
            .joined(separator: "\u{0}")
        let namespace = object.namespace ?? "default"
        var event = Event()
        event.setTypeMeta()
        event.involvedObject = object
        event.reason = reason
        event.message = message
        event.type = type.rawValue
        event.source = EventSource()
        event.source.component = component
        event.source.host = host
        event.reportingComponent = component
        event.reportingInstance = host ?? ""
        event.lastTimestamp = now
        event.metadata.namespace = namespace
        let wake = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.queue.count >= maximumQueued {
                state.dropped += 1
                return nil
            }
            var pending = Pending(event: event)
            if var seen = state.seen[key] {
                seen.count += 1
                state.seen[key] = seen
                pending.event.metadata.name = seen.name
                pending.event.count = seen.count
                pending.event.firstTimestamp = seen.firstTimestamp
                pending.repeatOf = seen.name
            } else {
                let name = "\(object.name ?? "event").\(String(UInt64(now.nanosecondsSinceEpoch), radix: 16))"
                if state.seen.count >= 4096 { state.seen.removeAll() }
                state.seen[key] = Seen(name: name, namespace: namespace, count: 1, firstTimestamp: now)
                pending.event.metadata.name = name
                pending.event.count = 1
                pending.event.firstTimestamp = now
            }
            state.queue.append(pending)
            defer { state.wake = nil }
            return state.wake
        }
        wake?.resume()
    }

    /// Sends queued events, `concurrency` at a time, until the task is cancelled.
    public func run(concurrency: Int = 4) async {
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            while !Task.isCancelled {
                let batch = await next()
                for pending in batch {
                    if inFlight >= concurrency {
                        await group.next()
                        inFlight -= 1
                    }
                    group.addTask { await self.send(pending) }
                    inFlight += 1
                }
                reportDropped()
            }
            group.cancelAll()
        }
    }

    /// Waits for queued events (or cancellation) and takes them all.
    private func next() async -> [Pending] {
        while !Task.isCancelled {
            let taken = state.withLock { state in
                defer { state.queue.removeAll(keepingCapacity: true) }
                return state.queue
            }
            if !taken.isEmpty { return taken }
            await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let ready = state.withLock { state in
                        if !state.queue.isEmpty || Task.isCancelled { return true }
                        state.wake = continuation
                        return false
                    }
                    if ready { continuation.resume() }
                }
            } onCancel: {
                let wake = state.withLock { state in
                    defer { state.wake = nil }
                    return state.wake
                }
                wake?.resume()
            }
        }
        return []
    }

    private func send(_ pending: Pending) async {
        let event = pending.event
        let namespace = event.metadata.namespace ?? "default"
        if let name = pending.repeatOf, await bumpCount(of: name, namespace: namespace, event) { return }
        do {
            // The reply (the stored event) is not needed: skip decoding it.
            try await client.request(.POST, Event.path(namespace: namespace), body: JSONCodec.encode(event))
        } catch {
            logger.debug("event not recorded", metadata: ["reason": "\(event.reason ?? "")", "error": "\(error)"])
        }
    }

    /// Patches the count of an earlier event; false when it is gone (expired,
    /// or never made), so the series starts again with a new one.
    private func bumpCount(of name: String, namespace: String, _ event: Event) async -> Bool {
        let patch = JSONObject([
            ("count", .integer(event.count ?? 1)),
            ("lastTimestamp", .string(event.lastTimestamp?.description ?? "")),
        ])
        do {
            try await client.patch(Event.self, name, namespace: namespace, .merge, body: JSONCodec.serialize(.object(patch)))
            return true
        } catch {
            if error.isNotFound { return false }
            logger.debug("event not recorded", metadata: ["reason": "\(event.reason ?? "")", "error": "\(error)"])
            return true
        }
    }

    private func reportDropped() {
        let dropped = state.withLock { state in
            defer { state.dropped = 0 }
            return state.dropped
        }
        if dropped > 0 { logger.warning("events dropped: the API is behind", metadata: ["count": "\(dropped)"]) }
    }
}

extension ObjectReference {
    /// A reference to `object` as events and bindings name it.
    public init<T: APIObject>(to object: T) {
        self.init(
            kind: T.kind, namespace: object.metadata.namespace, name: object.metadata.name, uid: object.metadata.uid,
            apiVersion: T.apiVersion)
        resourceVersion = object.metadata.resourceVersion
    }
}
