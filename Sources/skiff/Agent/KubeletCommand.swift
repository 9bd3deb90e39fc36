import ArgumentParser
import Foundation
import Logging
import SkiffAPIServer
import SkiffClient
import SkiffKubelet

/// `skiff kubelet`: the kubelet alone, against any API server.
struct KubeletCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kubelet", abstract: "Run the kubelet against an API server.")

    @Option(help: "The kubeconfig to reach the API server with.")
    var kubeconfig: String

    @OptionGroup var agent: AgentOptions

    @Option(help: "The kubelet server's certificate (PEM), signed by the cluster's server CA.")
    var tlsCertFile: String?

    @Option(help: "Its private key (PEM).")
    var tlsPrivateKeyFile: String?

    @Option(help: "The CA (PEM) whose client certificates the kubelet server accepts: the cluster's client CA.")
    var clientCAFile: String?

    func validate() throws {
        let given = [tlsCertFile, tlsPrivateKeyFile, clientCAFile].filter { $0 != nil }.count
        guard given == 0 || given == 3 else {
            throw ValidationError("--tls-cert-file, --tls-private-key-file and --client-ca-file go together")
        }
    }

    func run() async throws {
        let shutdown = ShutdownSignal()
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "skiff.kubelet")
        var clientConfiguration = try ClientConfiguration.load(kubeconfigPath: kubeconfig)
        clientConfiguration.userAgent = "skiff-kubelet"
        let client = try APIClient(clientConfiguration)
        var serving: TLSSettings?
        if let tlsCertFile, let tlsPrivateKeyFile, let clientCAFile {
            serving = TLSSettings(
                certificateChainPEM: try Self.read(tlsCertFile), privateKeyPEM: try Self.read(tlsPrivateKeyFile),
                clientCAPEM: try Self.read(clientCAFile))
        }
        let running = try await AgentRunner.start(
            client: client, options: agent, configuration: agent.kubeletConfiguration(), serving: serving, logger: logger)
        let signal = await shutdown.wait()
        logger.info("shutting down", metadata: ["signal": "\(signal)"])
        await running.stop()
        client.close()
    }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        return Array(data)
    }
}
