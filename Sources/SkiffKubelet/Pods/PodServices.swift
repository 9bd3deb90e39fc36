import Logging
import SkiffAPI
import SkiffClient
import SkiffRuntime

/// What every pod worker uses: the runtime, sandboxes, images, volumes, the API
/// and the event recorder. One per kubelet.
struct PodServices: Sendable {
    let configuration: KubeletConfiguration
    let client: APIClient
    let runtime: ContainerRuntime
    let sandboxes: PodSandboxes
    let images: ImagePuller
    let volumes: any PodVolumeSetUp
    let configSource: any PodConfigSource
    let events: EventRecorder
    let probes: ProbeManager
    let hooks: LifecycleHookRunner
    let nodeAllocatable: ResourceList
    let logger: Logger

    func event(_ pod: Pod, _ type: EventRecorder.EventType, _ reason: String, _ message: String, fieldPath: String? = nil) {
        var reference = ObjectReference(to: pod)
        reference.fieldPath = fieldPath
        events.record(reference, type: type, reason: reason, message: message)
    }
}

/// Prepares a pod's volumes on the host before its containers start, and
/// removes them when the pod is gone.
public protocol PodVolumeSetUp: Sendable {
    /// Host paths by volume name; called on every sync, so it also refreshes content.
    func setUp(pod: Pod, source: any PodConfigSource, nodeAllocatable: ResourceList) async throws -> [String: String]
    func tearDown(podUID: String) throws
    /// Pods with volumes on disk, to clean up those the node no longer runs.
    func podUIDsOnDisk() -> [String]
}

/// ConfigMaps and Secrets read from the API when a pod needs them.
struct APIConfigSource: PodConfigSource {
    let client: APIClient

    func configMap(namespace: String, name: String) async throws -> ConfigMap? {
        try await notFoundAsNil { try await client.get(ConfigMap.self, name, namespace: namespace) }
    }

    func secret(namespace: String, name: String) async throws -> Secret? {
        try await notFoundAsNil { try await client.get(Secret.self, name, namespace: namespace) }
    }
}

/// The object, or nil when the API answers 404.
func notFoundAsNil<T>(isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T) async throws -> T? {
    do {
        return try await body()
    } catch {
        if (error as? ClientError)?.reason == .notFound { return nil }
        throw error
    }
}
