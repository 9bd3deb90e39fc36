import Foundation
import SkiffAPI
import SkiffPKI

/// Reads a kubeconfig file as kubectl does: the current context's cluster
/// (`server`, `certificate-authority-data` or `certificate-authority`) and user
/// (`client-certificate-data`/`client-key-data` or their file forms, or `token`
/// / `tokenFile`). Relative file paths are relative to the kubeconfig's folder.
public enum KubeconfigFile {
    public static func load(path: String) throws(ClientError) -> Kubeconfig {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw invalid("cannot read kubeconfig \(path): \(error.localizedDescription)")
        }
        let directory = (path as NSString).deletingLastPathComponent
        return try parse(text, directory: directory)
    }

    public static func parse(_ text: String, directory: String = ".") throws(ClientError) -> Kubeconfig {
        let document: JSONValue
        do { document = try YAMLReader.document(text) } catch { throw invalid("kubeconfig: \(error)") }
        let contextName = document["current-context"]?.stringValue
        let context = try named(document["contexts"], contextName, "context")?["context"]
        let cluster = try named(document["clusters"], context?["cluster"]?.stringValue, "cluster")?["cluster"]
        let user = try named(document["users"], context?["user"]?.stringValue, "user")?["user"]
        guard let server = cluster?["server"]?.stringValue else { throw invalid("kubeconfig: no cluster server") }

        let ca = try material(cluster, data: "certificate-authority-data", file: "certificate-authority", directory)
        let credentials: Kubeconfig.Credentials
        if let certificate = try material(user, data: "client-certificate-data", file: "client-certificate", directory),
            let key = try material(user, data: "client-key-data", file: "client-key", directory)
        {
            credentials = .clientCertificate(certificatePEM: certificate, privateKeyPEM: key)
        } else if let token = user?["token"]?.stringValue {
            credentials = .token(token)
        } else if let file = user?["tokenFile"]?.stringValue {
            credentials = .token(try read(resolve(file, directory)).trimmingCharacters(in: .whitespacesAndNewlines))
        } else {
            throw invalid("kubeconfig: the user has neither a client certificate nor a token")
        }
        return Kubeconfig(
            server: server, certificateAuthorityPEM: ca ?? "", credentials: credentials, name: contextName ?? "default")
    }

    /// The entry called `name` of a list of `{name, <kind>}` entries; the only entry when no name is given.
    private static func named(_ list: JSONValue?, _ name: String?, _ kind: String) throws(ClientError) -> JSONValue? {
        guard case .array(let entries) = list ?? .array([]) else { throw invalid("kubeconfig: \(kind)s is not a list") }
        if let name {
            guard let entry = entries.first(where: { $0["name"]?.stringValue == name }) else {
                throw invalid("kubeconfig: no \(kind) named \"\(name)\"")
            }
            return entry
        }
        return entries.count == 1 ? entries[0] : nil
    }

    private static func material(
        _ section: JSONValue?, data: String, file: String, _ directory: String
    ) throws(ClientError) -> String? {
        if let encoded = section?[data]?.stringValue {
            guard let bytes = Data(base64Encoded: encoded), let text = String(data: bytes, encoding: .utf8) else {
                throw invalid("kubeconfig: \(data) is not base64 PEM")
            }
            return text
        }
        if let path = section?[file]?.stringValue { return try read(resolve(path, directory)) }
        return nil
    }

    private static func resolve(_ path: String, _ directory: String) -> String {
        path.hasPrefix("/") ? path : directory + "/" + path
    }

    private static func read(_ path: String) throws(ClientError) -> String {
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw invalid("cannot read \(path): \(error.localizedDescription)")
        }
    }

    private static func invalid(_ message: String) -> ClientError {
        ClientError(code: 0, reason: .invalid, message: message)
    }
}
