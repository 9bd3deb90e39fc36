import Foundation
import SkiffStore

/// Skiff's SQLite store against etcd, same workload, same machine, same run:
/// N concurrent writers each creating fresh keys with ~1 KiB values (the size of a
/// small Pod), every write durable before it is acknowledged.
struct StoreBenchmark {
    var writerCounts: [Int]
    var writes: Int
    var valueSize: Int
    var etcdExecutable: String
    var directory: URL

    struct Row {
        var backend: String
        var result: LoadResult
    }

    private var value: Data {
        let filler = String(repeating: "x", count: max(valueSize - 64, 0))
        return Data(#"{"kind":"Pod","apiVersion":"v1","metadata":{"name":"bench"},"spec":"\#(filler)"}"#.utf8)
    }

    func run(report: (Row) -> Void) async throws {
        for writers in writerCounts {
            report(Row(backend: "skiff sqlite", result: try await runSkiff(writers: writers)))
            report(Row(backend: "etcd", result: try runEtcd(writers: writers)))
        }
    }

    private func runSkiff(writers: Int) async throws -> LoadResult {
        let folder = directory.appendingPathComponent("skiff-\(writers)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: folder.appendingPathComponent("state.db").path)
        let value = self.value
        let result = try await WriteLoad.runTasks(writers: writers, writesPerWriter: max(writes / writers, 1)) {
            writer, sequence in
            _ = try await store.create("/registry/pods/bench/w\(writer)-\(sequence)", value: value)
        }
        await store.close()
        return result
    }

    private func runEtcd(writers: Int) throws -> LoadResult {
        let etcd = try EtcdProcess(executable: etcdExecutable, directory: directory.appendingPathComponent("etcd-\(writers)"))
        defer { etcd.stop() }
        let encodedValue = value.base64EncodedString()
        return try WriteLoad.runThreads(writers: writers, writesPerWriter: max(writes / writers, 1)) { writer in
            let connection = try LoopbackHTTPConnection(port: etcd.clientPort)
            return { sequence in
                // Create-if-absent, as the API server writes a new object.
                let key = Data("/registry/pods/bench/w\(writer)-\(sequence)".utf8).base64EncodedString()
                let body = #"{"compare":[{"key":"\#(key)","target":"CREATE","create_revision":"0","result":"EQUAL"}],"success":[{"request_put":{"key":"\#(key)","value":"\#(encodedValue)"}}]}"#
                let reply = try connection.post("/v3/kv/txn", body: Array(body.utf8))
                guard reply.status == 200, reply.body.starts(with: Array(#"{"header""#.utf8)),
                    String(decoding: reply.body, as: UTF8.self).contains(#""succeeded":true"#)
                else {
                    throw LoopbackHTTPConnection.Failure(
                        description: "etcd txn failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
                }
            }
        }
    }
}
