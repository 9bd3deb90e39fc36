import SkiffAPI

/// The size of a memory-backed volume's tmpfs, as upstream's
/// calculateEmptyDirMemorySize (SizeMemoryBackedVolumes, GA in 1.32):
/// min(node allocatable memory, the pod's memory limit, the emptyDir's sizeLimit),
/// each counted only when set and above zero. nil (no `size=`, the kernel's half of
/// RAM) only when the node reports no allocatable memory and nothing else applies.
enum MemoryVolumeSize {
    static func bytes(pod: Pod, sizeLimit: Quantity?, nodeAllocatable: ResourceList) -> Int64? {
        var size = nodeAllocatable["memory"].map(\.value).flatMap { $0 > 0 ? $0 : nil }
        for limit in [podMemoryLimit(pod), sizeLimit.map(\.value)] {
            guard let limit, limit > 0 else { continue }
            if size == nil || limit <= size! { size = limit }
        }
        return size
    }

    /// The pod cgroup's memory limit (upstream's ResourceConfigForPod): only when
    /// every container declares one; regular and sidecar containers run together,
    /// each other init container alone after the sidecars before it; plus overhead.
    static func podMemoryLimit(_ pod: Pod) -> Int64? {
        let initContainers = pod.spec.initContainers ?? []
        let all = initContainers + pod.spec.containers
        func limit(_ container: Container) -> Int64 { container.resources.limits?["memory"]?.value ?? 0 }
        guard !all.isEmpty, all.allSatisfy({ limit($0) > 0 }) else { return nil }
        var sidecars: Int64 = 0
        var largestInit: Int64 = 0
        for container in initContainers {
            if container.restartPolicy == "Always" {
                sidecars += limit(container)
            } else {
                largestInit = max(largestInit, sidecars + limit(container))
            }
        }
        let running = sidecars + pod.spec.containers.reduce(0) { $0 + limit($1) }
        return max(running, largestInit) + (pod.spec.overhead?["memory"]?.value ?? 0)
    }
}
