import SkiffAPI
import SkiffAPIServer
import SkiffClient
import SkiffStore

/// A real API server in this process (plain HTTP on 127.0.0.1, memory store),
/// single-stack on 10.43.0.0/16 or dual-stack with fd43::/108 as well.
enum TestAPI {
    static func with<T>(dualStack: Bool = false, _ body: (APIClient) async throws -> T) async throws -> T {
        var configuration = APIServer.Configuration()
        configuration.plainHTTP = true
        var context = Registry.Context.server
        if dualStack {
            context.serviceNetwork = try ServiceNetwork(
                serviceCIDRs: ServiceNetwork.parseServiceCIDRs("10.43.0.0/16,fd43::/108"), nodePorts: NodePortRange(30000...32767))
        }
        let api = APIServer(store: MemoryStore(), configuration: configuration, context: context)
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
