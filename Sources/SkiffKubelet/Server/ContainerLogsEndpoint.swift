import Foundation
import SkiffAPIServer
import SkiffRuntime

/// `GET /containerLogs/{namespace}/{pod}/{container}`: the container's CRI log as
/// text, selected by PodLogOptions. With `follow` the response stays open and
/// carries new lines until the container ends, `limitBytes` are out, or the client
/// leaves (which cancels the stream and stops the follower).
struct ContainerLogsEndpoint: Sendable {
    let directory: any KubeletContainerDirectory
    let runtime: ContainerRuntime
    /// How often a followed log is looked at again when nothing new came.
    var pollInterval: Duration = .milliseconds(100)

    func serve(namespace: String, pod podName: String, container: String, query: QueryItems) async throws(KubeletRefusal)
        -> APIResponse
    {
        let options = try ContainerLogQuery(query: query)
        guard let pod = await directory.pod(namespace: namespace, name: podName) else {
            throw .notFound("pod \(GoFormat.quoted(podName)) does not exist")
        }
        let target = try LogTarget.resolve(pod: pod, container: container, previous: options.previous)
        let selection = options.readOptions(now: Date())
        let renderer = LogRenderer(timestamps: selection.timestamps, limitBytes: selection.limitBytes)
        let lines: AsyncStream<CRILogLine>
        if options.follow {
            let runtime = self.runtime
            let id = target.id
            lines = CRILogFollower.follow(target.logPath, options: selection, pollInterval: pollInterval) {
                // Ended, removed or unknown to the runtime: nothing more will be written.
                (try? await runtime.status(id: id).state) != .running
            }
        } else {
            let selected = CRILogReader.read(target.logPath, options: selection)
            lines = AsyncStream { continuation in
                for line in selected { continuation.yield(line) }
                continuation.finish()
            }
        }
        return APIResponse(
            status: 200, contentType: "text/plain; charset=utf-8", stream: Self.body(lines, renderer: renderer))
    }

    /// Pulls lines only as the client reads, so a slow reader holds the reading back.
    static func body(_ lines: AsyncStream<CRILogLine>, renderer: LogRenderer) -> AsyncThrowingStream<[UInt8], any Error> {
        let cursor = LineCursor(lines: lines, renderer: renderer)
        return AsyncThrowingStream { await cursor.next() }
    }
}

/// The reading side of a log response: one consumer (the response writer) at a time.
/// Dropping it (the response ended, or the client left) drops the stream's only
/// iterator, which terminates the stream and so stops a follower.
private actor LineCursor {
    private var iterator: AsyncStream<CRILogLine>.AsyncIterator
    private var renderer: LogRenderer

    init(lines: AsyncStream<CRILogLine>, renderer: LogRenderer) {
        iterator = lines.makeAsyncIterator()
        self.renderer = renderer
    }

    /// The next non-empty chunk; nil at the end of the log or of `limitBytes`.
    func next() async -> [UInt8]? {
        while !renderer.isExhausted {
            // A copy: an actor's stored property cannot be passed inout across an await.
            var lines = iterator
            let line = await lines.next(isolation: self)
            iterator = lines
            guard let line else { return nil }
            let bytes = renderer.render(line)
            if !bytes.isEmpty { return bytes }
        }
        return nil
    }
}
