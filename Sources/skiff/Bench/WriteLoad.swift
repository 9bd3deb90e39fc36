import Foundation
import Synchronization

/// Runs N concurrent writers that each perform a fixed number of writes, timing
/// every write. Two drivers: async tasks (an in-process store) and threads (a
/// blocking network client such as the etcd gateway connection).
enum WriteLoad {
    static func runTasks(
        writers: Int, writesPerWriter: Int,
        write: @escaping @Sendable (_ writer: Int, _ sequence: Int) async throws -> Void
    ) async throws -> LoadResult {
        let start = monotonicSeconds()
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var samples: [Double] = []
                    samples.reserveCapacity(writesPerWriter)
                    for sequence in 0..<writesPerWriter {
                        let begin = monotonicSeconds()
                        try await write(writer, sequence)
                        samples.append(monotonicSeconds() - begin)
                    }
                    return samples
                }
            }
            var all: [Double] = []
            for try await samples in group { all.append(contentsOf: samples) }
            return all
        }
        return LoadResult(concurrency: writers, seconds: monotonicSeconds() - start, latencies: latencies)
    }

    static func runThreads(
        writers: Int, writesPerWriter: Int,
        makeWriter: (_ writer: Int) throws -> (_ sequence: Int) throws -> Void
    ) throws -> LoadResult {
        let writeFunctions = try (0..<writers).map { try makeWriter($0) }
        let results = Mutex<(latencies: [Double], error: String?)>(([], nil))
        let group = DispatchGroup()
        let start = monotonicSeconds()
        for writeFunction in writeFunctions {
            group.enter()
            nonisolated(unsafe) let write = writeFunction
            let thread = Thread {
                var samples: [Double] = []
                samples.reserveCapacity(writesPerWriter)
                do {
                    for sequence in 0..<writesPerWriter {
                        let begin = monotonicSeconds()
                        try write(sequence)
                        samples.append(monotonicSeconds() - begin)
                    }
                } catch {
                    results.withLock { $0.error = "\(error)" }
                }
                results.withLock { $0.latencies.append(contentsOf: samples) }
                group.leave()
            }
            thread.start()
        }
        group.wait()
        let seconds = monotonicSeconds() - start
        let (latencies, error) = results.withLock { ($0.latencies, $0.error) }
        if let error { throw LoopbackHTTPConnection.Failure(description: error) }
        return LoadResult(concurrency: writers, seconds: seconds, latencies: latencies)
    }
}
