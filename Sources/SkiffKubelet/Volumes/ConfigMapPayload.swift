import SkiffAPI

/// A ConfigMap's keys as files: upstream's configmap.MakePayload. Without items every
/// key of `data` and `binaryData` becomes a file; with items only those, at their paths.
enum ConfigMapPayload {
    static func make(
        items: [KeyToPath]?, configMap: ConfigMap, defaultMode: Int32?, optional: Bool
    ) throws(VolumeError) -> VolumePayload {
        let defaultMode = defaultMode ?? defaultVolumeFileMode
        var payload: VolumePayload = [:]
        guard let items, !items.isEmpty else {
            for (key, text) in configMap.data ?? [:] { payload[key] = FileProjection(text, mode: defaultMode) }
            for (key, bytes) in configMap.binaryData ?? [:] { payload[key] = FileProjection(bytes.bytes, mode: defaultMode) }
            return payload
        }
        for item in items {
            let data: [UInt8]
            if let text = configMap.data?[item.key] {
                data = Array(text.utf8)
            } else if let bytes = configMap.binaryData?[item.key] {
                data = bytes.bytes
            } else {
                if optional { continue }
                throw VolumeError(.missingKey, "configmap references non-existent config key: \(item.key)")
            }
            payload[item.path] = FileProjection(data, mode: item.mode ?? defaultMode)
        }
        return payload
    }
}
