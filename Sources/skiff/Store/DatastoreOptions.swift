import ArgumentParser
import Foundation
import SkiffStore

/// `--datastore-endpoint` and its TLS files (k3s's names): keep the cluster in
/// etcd rather than in the embedded SQLite store.
struct DatastoreOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "etcd client URLs, comma-separated (http://host:2379 or https://…): store the cluster in etcd instead of the embedded SQLite store. The first endpoint that answers is used.",
        valueName: "urls"))
    var datastoreEndpoint: String?

    @Option(help: "CA certificate (PEM) that signed etcd's serving certificate, for https:// endpoints.")
    var datastoreCafile: String?

    @Option(help: "Client certificate (PEM) for etcd's --client-cert-auth.")
    var datastoreCertfile: String?

    @Option(help: "Key (PEM) of the client certificate.")
    var datastoreKeyfile: String?

    func validate() throws {
        if let datastoreEndpoint {
            if let problem = Self.problem(datastoreEndpoint) { throw ValidationError("--datastore-endpoint: \(problem)") }
        } else if datastoreCafile != nil || datastoreCertfile != nil || datastoreKeyfile != nil {
            throw ValidationError("--datastore-cafile, --datastore-certfile and --datastore-keyfile need --datastore-endpoint")
        }
        if (datastoreCertfile == nil) != (datastoreKeyfile == nil) {
            throw ValidationError("--datastore-certfile and --datastore-keyfile go together")
        }
    }

    private static func problem(_ endpoints: String) -> String? {
        let parsed = Result { try EtcdEndpoint.list(endpoints) }
        guard case .failure(let error) = parsed else { return nil }
        return (error as? StoreError)?.message ?? "\(error)"
    }

    /// The etcd settings, or nil for the embedded store.
    func etcdConfiguration() throws -> EtcdStore.Configuration? {
        guard let datastoreEndpoint else { return nil }
        var configuration = EtcdStore.Configuration(endpoints: try EtcdEndpoint.list(datastoreEndpoint))
        configuration.tls = EtcdTLS(caFile: datastoreCafile, certFile: datastoreCertfile, keyFile: datastoreKeyfile)
        return configuration
    }

    /// Connects to etcd; the error says which endpoints failed and why.
    func connect(_ configuration: EtcdStore.Configuration) async throws -> EtcdStore {
        do {
            return try await EtcdStore.connect(configuration)
        } catch let error as StoreError {
            throw CommandFailure("cannot use etcd at \(datastoreEndpoint ?? ""): \(error)")
        }
    }
}
