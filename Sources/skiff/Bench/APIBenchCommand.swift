import ArgumentParser
import Foundation

/// `skiff bench api`: the API server over HTTPS, driven from this process while
/// `skiff server` runs as a child on 127.0.0.1.
struct BenchAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "API server requests/s, latency, watch latency and memory, over HTTPS on 127.0.0.1."
    )

    @Option(help: "Open-loop create rate, requests/s.")
    var createRate = 200.0

    @Option(help: "Seconds of open-loop creates.")
    var createSeconds = 10.0

    @Option(help: "Connections for closed-loop creates and gets.")
    var connections = 16

    @Option(help: "Pods created by the closed-loop create run.")
    var closedCreates = 3000

    @Option(help: "Seconds of each closed-loop read run (get, list).")
    var readSeconds = 5.0

    @Option(help: "Concurrent watchers.")
    var watchers = 100

    @Option(help: "Pods stored when the server's memory is read.")
    var storedPods = 10_000

    @Option(help: "Store of the server: sqlite or memory.")
    var store = "sqlite"

    @Option(help: "The skiff binary to run as the server (default: this one).")
    var serverBinary: String?

    func validate() throws {
        guard createRate > 0, createSeconds > 0, connections > 0, closedCreates > 0, readSeconds > 0, watchers > 0
        else { throw ValidationError("rates, counts and durations must be positive") }
        guard ["sqlite", "memory"].contains(store) else { throw ValidationError("--store must be sqlite or memory") }
    }

    func run() async throws {
        let executable = try serverBinary ?? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-bench-api-\(getpid())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try APIServerProcess(executable: executable, directory: directory, store: store)
        defer { server.stop() }

        var benchmark = APIBenchmark()
        benchmark.createRate = createRate
        benchmark.createSeconds = createSeconds
        benchmark.connections = connections
        benchmark.closedCreates = closedCreates
        benchmark.readSeconds = readSeconds
        benchmark.watchers = watchers
        benchmark.storedPods = storedPods

        let podBytes = APIBenchObjects.pod(name: "pod-0", namespace: "bench").count
        say("api benchmark: skiff server (pid \(server.pid)) on https://127.0.0.1:\(server.port), store \(store)")
        say("load: this process (pid \(getpid())), HTTP/1.1 keep-alive over TLS, bearer token; pods of \(podBytes) bytes as sent")
        say("latency: from the scheduled send time (open loop) or the send (closed loop) to the last byte of the reply\n")
        say("| operation | workload | conns | requests | req/s | p50 ms | p99 ms | p99 goal; upstream SLO | CPU ms/req server, load | notes |")
        say("|---|---|---:|---:|---:|---:|---:|---|---:|---|")
        let memory: APIBenchmark.Memory
        do {
            memory = try await benchmark.run(server: server) { row in
                let result = row.result
                let rate = row.isWatch ? "—" : String(Int(result.perSecond.rounded()))
                say(
                    "| \(row.operation) | \(row.workload) | \(result.concurrency) | \(result.operations) | \(rate) "
                        + "| \(format(result.percentile(50))) | \(format(result.percentile(99))) | \(row.goal) "
                        + "| \(format(row.cpu.server)), \(format(row.cpu.load)) | \(row.note) |")
            }
        } catch {
            say("\nbenchmark failed: \(error)\nserver log (end):\n\(server.logTail())")
            throw error
        }
        say("\n| server memory | MiB |")
        say("|---|---:|")
        say("| VmRSS, namespaces only | \(mebibytes(memory.residentEmpty)) |")
        say("| VmRSS, \(memory.pods) pods stored, before the reads (goal < 150 MiB) | \(mebibytes(memory.residentStored)) |")
        say("| VmRSS at the end, after the gets, lists and watches | \(mebibytes(memory.residentAfterReads)) |")
        say("| VmHWM, peak over the run | \(mebibytes(memory.peak)) |")
    }

    /// Writes a line unbuffered, so rows appear as they are measured also through a pipe.
    private func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    private func format(_ number: Double) -> String { String(format: "%.2f", number) }
    private func mebibytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
}
