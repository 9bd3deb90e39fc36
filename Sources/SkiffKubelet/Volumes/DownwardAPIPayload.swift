import SkiffAPI

/// Pod fields and container resources as files: upstream's downwardapi.CollectData.
/// Every item is tried, and the errors come back together as upstream aggregates them.
enum DownwardAPIPayload {
    static func make(
        items: [DownwardAPIVolumeFile]?, pod: Pod, defaultMode: Int32?, nodeAllocatable: ResourceList
    ) throws(VolumeError) -> VolumePayload {
        let defaultMode = defaultMode ?? defaultVolumeFileMode
        var payload: VolumePayload = [:]
        var errors: [VolumeError] = []
        for item in items ?? [] {
            do {
                let text = try value(of: item, pod: pod, nodeAllocatable: nodeAllocatable)
                payload[item.path] = FileProjection(text, mode: item.mode ?? defaultMode)
            } catch {
                errors.append(error)
            }
        }
        if let error = VolumeError.aggregate(errors) { throw error }
        return payload
    }

    static func value(of item: DownwardAPIVolumeFile, pod: Pod, nodeAllocatable: ResourceList) throws(VolumeError) -> String {
        do {
            if let field = item.fieldRef {
                // Whole label and annotation maps exist only in volumes (env takes one key).
                switch field.fieldPath {
                case "metadata.labels": return formatMap(pod.metadata.labels ?? [:])
                case "metadata.annotations": return formatMap(pod.metadata.annotations ?? [:])
                default: return try PodFieldPaths.value(field.fieldPath, of: pod)
                }
            }
            if let resource = item.resourceFieldRef {
                let name = resource.containerName ?? ""
                guard let container = (pod.spec.containers + (pod.spec.initContainers ?? [])).first(where: { $0.name == name }) else {
                    throw VolumeError(.downwardAPI, "container \(name) not found")
                }
                return try ResourceFieldValues.value(resource, container: container, nodeAllocatable: nodeAllocatable)
            }
        } catch let error as ContainerConfigError {
            throw VolumeError(.downwardAPI, error.message)
        } catch let error as VolumeError {
            throw error
        } catch {
            throw VolumeError(.downwardAPI, "\(error)")
        }
        // Validation requires one of the two; upstream writes an empty file otherwise.
        return ""
    }

    /// upstream's fieldpath.FormatMap: `key="value"` lines in byte order of the keys,
    /// values quoted as Go's %q, no newline after the last.
    static func formatMap(_ map: [String: String]) -> String {
        map.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { "\($0)=\(GoText.quote(map[$0]!))" }
            .joined(separator: "\n")
    }
}
