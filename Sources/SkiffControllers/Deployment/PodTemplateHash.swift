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

    /// Whether two templates are the same but for `pod-template-hash` (EqualIgnoreHash).
    public static func equalIgnoringHash(_ a: PodTemplateSpec, _ b: PodTemplateSpec) -> Bool {
        withoutHash(a) == withoutHash(b)
    }

    private static func withoutHash(_ template: PodTemplateSpec) -> PodTemplateSpec {
        var template = template
        template.metadata.labels?.removeValue(forKey: DeploymentAnnotations.templateHashLabel)
        if template.metadata.labels?.isEmpty == true { template.metadata.labels = nil }
        return template
    }
}
