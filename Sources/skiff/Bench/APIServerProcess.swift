import Foundation
import NIOSSL
import SkiffPKI

/// A throwaway `skiff server` — this same binary — run as a child process on
/// 127.0.0.1 with its data in a temporary directory, a token file holding one
/// cluster-admin bearer token, and a free HTTPS port. Stopped by its pid.
final class APIServerProcess {
    let directory: URL
    let port: UInt16
    let token: String
    private let process: Process

    private var logPath: String { directory.appendingPathComponent("server.log").path }
    var dataDirectory: URL { directory.appendingPathComponent("data") }
    var pid: Int32 { process.processIdentifier }

    /// Starts the server and waits until it logs "api server ready".
    init(executable: String, directory: URL, store: String, extraArguments: [String] = []) throws {
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        token = BearerToken.generate()
        let tokenFile = directory.appendingPathComponent("tokens.csv").path
        try TokenFile(entries: [.init(token: token, user: "bench", uid: "bench", groups: ["system:masters"])])
            .write(to: tokenFile)
        guard FileManager.default.createFile(atPath: directory.appendingPathComponent("server.log").path, contents: nil)
        else { throw LoopbackHTTPConnection.Failure(description: "cannot create \(directory.path)/server.log") }

        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "server", "--data-dir", directory.appendingPathComponent("data").path, "--store", store,
            "--bind-address", "127.0.0.1", "--https-port", "0",
            "--write-kubeconfig", directory.appendingPathComponent("admin.kubeconfig").path,
            "--token-auth-file", tokenFile,
        ] + extraArguments
        process.standardOutput = FileHandle(forWritingAtPath: directory.appendingPathComponent("server.log").path)
        process.standardError = process.standardOutput
        try process.run()
        do {
            port = try Self.waitForPort(logPath: directory.appendingPathComponent("server.log").path, process: process)
        } catch {
            Self.stop(process)
            throw error
        }
    }

    /// The port from the "api server ready … port=N" line of the server's log.
    private static func waitForPort(logPath: String, process: Process) throws -> UInt16 {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if let line = log.split(separator: "\n").first(where: { $0.contains("api server ready") }),
                let field = line.split(separator: " ").first(where: { $0.hasPrefix("port=") }),
                let port = UInt16(field.dropFirst("port=".count))
            {
                return port
            }
            guard process.isRunning else {
                throw LoopbackHTTPConnection.Failure(description: "skiff server exited early:\n\(log.suffix(2000))")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw LoopbackHTTPConnection.Failure(description: "skiff server did not become ready in 60 s; see \(logPath)")
    }

    /// Where and how to reach the server: its port, the bearer token, and TLS
    /// that trusts only the server CA the server generated.
    func endpoint() throws -> APIEndpoint {
        let caPath = dataDirectory.appendingPathComponent("server/tls/\(ClusterPKI.FileName.serverCA).crt").path
        guard let pem = FileManager.default.contents(atPath: caPath) else {
            throw LoopbackHTTPConnection.Failure(description: "no server CA at \(caPath)")
        }
        return APIEndpoint(port: port, token: token, tls: try LoopbackHTTPConnection.tlsContext(trustingCAPEM: Array(pem)))
    }

    /// Resident and peak resident memory in bytes.
    func memory() throws -> (resident: Int, peak: Int) { try processMemory(pid: pid) }

    /// CPU seconds (user + system) the server has used so far, from /proc/<pid>/stat.
    func cpuSeconds() throws -> Double {
        let stat = try String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
        let fields = stat[stat.index(after: stat.lastIndex(of: ")") ?? stat.startIndex)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw LoopbackHTTPConnection.Failure(description: "cannot read CPU time of pid \(pid)")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The last part of the server's log, for an error report.
    func logTail() -> String {
        String(((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").suffix(2000))
    }

    /// SIGTERM to the server's pid, SIGKILL if it has not stopped within 10 s.
    func stop() { Self.stop(process) }

    private static func stop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// The API server as the load sees it.
struct APIEndpoint: Sendable {
    var port: UInt16
    var token: String
    var tls: NIOSSLContext

    /// A keep-alive HTTPS connection that authenticates with the bearer token.
    func connect() async throws -> LoopbackHTTPConnection {
        try await LoopbackHTTPConnection.connect(port: port, tls: tls, headers: [("Authorization", "Bearer \(token)")])
            .get()
    }
}
