import SkiffAPI

/// The `pod-template-hash` label that names a deployment's replica set after its
/// pod template (controller.ComputeHash): FNV-1a 32 over the template (here its
/// JSON, so values differ from upstream's, which hashes Go's printed form) and
/// the collision count, written in the letters and digits
/// rand.SafeEncodeString uses, so it never spells words.
public enum PodTemplateHash {
    private static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")

    public static func compute(_ template: PodTemplateSpec, collisionCount: Int32?) -> String {
        var hash: UInt32 = 2_166_136_261
        func mix(_ byte: UInt8) {
            hash ^= UInt32(byte)
            hash = hash &* 16_777_619
        }
        for byte in (try? JSONCodec.encode(template)) ?? [] { mix(byte) }
        if let collisionCount {
            withUnsafeBytes(of: UInt32(bitPattern: collisionCount).littleEndian) { $0.forEach(mix) }
        }
        return String(String(hash).utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    /// Whether two templates are the same but for `pod-template-hash`
    /// (EqualIgnoreHash, which compares Go structs semantically).
    public static func equalIgnoringHash(_ a: PodTemplateSpec, _ b: PodTemplateSpec) -> Bool {
        let (first, second) = (withoutHash(a), withoutHash(b))
        if first == second { return true }
        guard let left = try? JSONCodec.encodeValue(first), let right = try? JSONCodec.encodeValue(second) else { return false }
        return withoutGoZeroValues(left) == withoutGoZeroValues(right)
    }

    /// Go value fields (not pointers) with `omitempty` that are the same absent
    /// or zero in Go, but that a protobuf body (`kubectl create deployment`)
    /// carries as `false` or `0` while kubectl's JSON (`rollout undo`) leaves
    /// them out.
    private static let goValueFields: Set<String> = [
        "stdin", "stdinOnce", "tty", "hostNetwork", "hostPID", "hostIPC", "generation", "hostPort", "readOnly",
    ]

    private static func withoutGoZeroValues(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var entries: [(key: String, value: JSONValue)] = []
            for (key, item) in object {
                if goValueFields.contains(key), item == .bool(false) || item == .number("0") { continue }
                entries.append((key, withoutGoZeroValues(item)))
            }
            return .object(JSONObject(entries))
        case .array(let items):
            return .array(items.map(withoutGoZeroValues))
        default:
            return value
        }
    }

    private static func withoutHash(_ template: PodTemplateSpec) -> PodTemplateSpec {
        var template = template
        template.metadata.labels?.removeValue(forKey: DeploymentAnnotations.templateHashLabel)
        if template.metadata.labels?.isEmpty == true { template.metadata.labels = nil }
        return template
    }
}
