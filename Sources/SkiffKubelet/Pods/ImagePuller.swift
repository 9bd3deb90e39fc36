import Foundation
import Logging
import SkiffAPI
import SkiffRuntime

/// Gets a container's image by its imagePullPolicy, as the kubelet's image
/// manager does: Never uses only what the node has, IfNotPresent pulls when
/// missing, Always asks the registry every time. Pulls of one reference are
/// shared by every pod asking for it at once.
actor ImagePuller {
    /// What happened, for the Pulling/Pulled events and the container's status.
    enum Outcome: Sendable {
        case present(Image)
        case pulled(Image, seconds: Double)
    }

    /// Why the image is not there: reason (ErrImagePull, ErrImageNeverPull,
    /// InvalidImageName) and message as `kubectl describe` shows them.
    struct Failure: Error, Sendable {
        var reason: String
        var message: String
    }

    private let store: ImageStore
    private let insecureRegistries: Set<String>
    private let logger: Logger
    private var pulls: [String: Task<Image, any Error>] = [:]

    init(store: ImageStore, insecureRegistries: Set<String>, logger: Logger) {
        self.store = store
        self.insecureRegistries = insecureRegistries
        self.logger = logger
    }

    /// The policy the API server's defaulting gives a container without one.
    static func policy(of container: Container) -> String {
        if let policy = container.imagePullPolicy, !policy.isEmpty { return policy }
        let reference = try? ImageReference(parsing: container.image ?? "")
        return reference?.digest == nil && (reference?.tag ?? "latest") == "latest" ? "Always" : "IfNotPresent"
    }

    /// Runs `willPull` just before contacting the registry (the Pulling event).
    func image(
        for container: Container, credentials: [String: RegistryCredentials],
        willPull: @Sendable (String) -> Void
    ) async throws(Failure) -> Outcome {
        let name = container.image ?? ""
        let reference: ImageReference
        do { reference = try ImageReference(parsing: name) } catch {
            throw Failure(reason: "InvalidImageName", message: "Failed to apply default image tag \"\(name)\": \(error)")
        }
        let local = try? store.image(for: reference)
        switch Self.policy(of: container) {
        case "Never":
            guard let local else {
                throw Failure(
                    reason: "ErrImageNeverPull",
                    message: "Container image \"\(name)\" is not present with pull policy of Never")
            }
            return .present(local)
        case "IfNotPresent":
            if let local { return .present(local) }
        default:
            break
        }
        willPull(name)
        let started = Date()
        do {
            let image = try await shared(reference, credentials: credentials[reference.registry])
            return .pulled(image, seconds: Date().timeIntervalSince(started))
        } catch {
            throw Failure(reason: "ErrImagePull", message: "Failed to pull image \"\(name)\": \(error)")
        }
    }

    private func shared(_ reference: ImageReference, credentials: RegistryCredentials?) async throws -> Image {
        let key = reference.description
        if let running = pulls[key] { return try await running.value }
        let store = self.store, insecure = insecureRegistries
        let task = Task { () throws -> Image in
            try await store.pull(reference, credentials: credentials, insecureRegistries: insecure)
        }
        pulls[key] = task
        defer { pulls[key] = nil }
        return try await task.value
    }
}

/// Registry credentials from a pod's imagePullSecrets: `kubernetes.io/dockerconfigjson`
/// (`.dockerconfigjson`) and the older `kubernetes.io/dockercfg` (`.dockercfg`), keyed by
/// registry host. Secrets that are missing or malformed are skipped, as upstream does.
enum PullSecretCredentials {
    static func parse(_ secrets: [Secret]) -> [String: RegistryCredentials] {
        var result: [String: RegistryCredentials] = [:]
        for secret in secrets {
            let data = secret.data ?? [:]
            var auths: [String: Any] = [:]
            if let bytes = data[".dockerconfigjson"]?.bytes,
                let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
            {
                auths = object["auths"] as? [String: Any] ?? [:]
            } else if let bytes = data[".dockercfg"]?.bytes,
                let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
            {
                auths = object
            }
            for (server, value) in auths {
                guard let entry = value as? [String: Any], let credentials = credentials(entry) else { continue }
                result[host(of: server)] = credentials
            }
        }
        return result
    }

    private static func credentials(_ entry: [String: Any]) -> RegistryCredentials? {
        if let user = entry["username"] as? String, let password = entry["password"] as? String {
            return RegistryCredentials(username: user, password: password)
        }
        guard let auth = entry["auth"] as? String, let decoded = Data(base64Encoded: auth),
            let text = String(data: decoded, encoding: .utf8)
        else { return nil }
        return try? RegistryCredentials(userColonPassword: text)
    }

    /// `https://index.docker.io/v1/` and `registry:5000/path` → the host as references name it.
    static func host(of server: String) -> String {
        var text = Substring(server)
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text = text.dropFirst(scheme.count) }
        let host = String(text.split(separator: "/").first ?? "")
        return host == "index.docker.io" ? ImageReference.defaultRegistry : host
    }
}
