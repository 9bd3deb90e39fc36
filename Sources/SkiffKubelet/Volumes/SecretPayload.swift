import SkiffAPI

/// A Secret's keys as files: upstream's secret.MakePayload. Only `data` counts
/// (the API server has merged `stringData` into it).
enum SecretPayload {
    static func make(
        items: [KeyToPath]?, secret: Secret, defaultMode: Int32?, optional: Bool
    ) throws(VolumeError) -> VolumePayload {
        let defaultMode = defaultMode ?? defaultVolumeFileMode
        var payload: VolumePayload = [:]
        guard let items, !items.isEmpty else {
            for (key, bytes) in secret.data ?? [:] { payload[key] = FileProjection(bytes.bytes, mode: defaultMode) }
            return payload
        }
        for item in items {
            guard let bytes = secret.data?[item.key] else {
                if optional { continue }
                throw VolumeError(.missingKey, "references non-existent secret key: \(item.key)")
            }
            payload[item.path] = FileProjection(bytes.bytes, mode: item.mode ?? defaultMode)
        }
        return payload
    }
}
