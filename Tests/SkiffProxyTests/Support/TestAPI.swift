import SkiffAPI
import SkiffAPIServer
import SkiffClient
import SkiffStore

/// A real API server in this process (plain HTTP on 127.0.0.1, memory store).
enum TestAPI {
    static func with<T>(_ body: (APIClient) async throws -> T) async throws -> T {
        var configuration = APIServer.Configuration()
        configuration.plainHTTP = true
        let api = APIServer(store: MemoryStore(), configuration: configuration)
        try await api.start()
        let http = APIHTTPServer(handler: api)
        let port = try await http.start(host: "127.0.0.1", port: 0, tls: nil)
        let client = try APIClient(.plainHTTP(port: port))
        func stop() async {
            client.close()
            await http.stop(gracePeriod: .seconds(1))
            await api.stop()
        }
        do {
            let result = try await body(client)
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }
}

/// Retries `check` until it holds (or gives up after `attempts`), for state that
/// converges asynchronously; no timing is asserted.
func eventually(attempts: Int = 100, _ check: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<attempts {
        if try await check() { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return false
}
