import SkiffAPI

/// One event of a watch, typed.
public enum WatchEvent<T: APIObject>: Sendable {
    case added(T)
    case modified(T)
    case deleted(T)
    /// The server has reached this resourceVersion; no object changed.
    case bookmark(resourceVersion: String)
    /// The watch failed, e.g. 410 Expired when the start revision is compacted.
    case error(ClientError)

    /// Reads one line of a watch body: `{"type":"ADDED","object":{…}}`.
    static func decode(line: [UInt8]) throws(ClientError) -> WatchEvent<T> {
        let document: JSONValue
        do { document = try JSONCodec.parse(line) } catch { throw .undecodable("watch event: \(error)") }
        guard let type = document["type"]?.stringValue, let object = document["object"] else {
            throw .undecodable("watch event without type or object")
        }
        switch type {
        case "ADDED": return .added(try decodeObject(object))
        case "MODIFIED": return .modified(try decodeObject(object))
        case "DELETED": return .deleted(try decodeObject(object))
        case "BOOKMARK":
            return .bookmark(resourceVersion: object["metadata"]?["resourceVersion"]?.stringValue ?? "")
        case "ERROR":
            let status = try? JSONCodec.decode(Status.self, from: object)
            let code = Int(status?.code ?? 500)
            return .error(
                ClientError(
                    code: code, reason: StatusReason(rawValue: status?.reason ?? ""),
                    message: status?.message ?? "watch error", status: status))
        default:
            throw .undecodable("watch event of unknown type \(type)")
        }
    }

    private static func decodeObject(_ value: JSONValue) throws(ClientError) -> T {
        do { return try JSONCodec.decode(T.self, from: value) } catch { throw .undecodable("\(T.kind): \(error)") }
    }
}
