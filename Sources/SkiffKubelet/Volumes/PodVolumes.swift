import SkiffAPI
#if canImport(Glibc)
import Glibc
#endif

/// The kubelet's volume manager: makes a pod's volumes on the host before its
/// containers start, keeps ConfigMap, Secret and downward API content current, and
/// removes it all when the pod goes.
///
/// Layout as upstream: `<podsDirectory>/<uid>/volumes/kubernetes.io~<plugin>/<name>`.
/// Not done here (yet): fsGroup ownership and SELinux relabelling, persistent volumes.
public struct PodVolumes: Sendable {
    /// `/var/lib/skiff/kubelet/pods` for the kubelet.
    public let podsDirectory: String
    public let memoryBacking: MemoryBacking
    let layout: PodVolumeLayout

    public init(podsDirectory: String, memoryBacking: MemoryBacking = .tmpfs) {
        self.podsDirectory = podsDirectory
        self.memoryBacking = memoryBacking
        layout = PodVolumeLayout(podsDirectory: podsDirectory)
    }

    /// Makes the pod's volumes, or on later calls (every pod sync) brings their
    /// ConfigMap, Secret and downward API content up to date in place. Returns each
    /// volume's host path by name, for `PodContainerConfig.volumes`.
    ///
    /// Every volume is attempted; the first failure is thrown, named after its volume
    /// (its `description` is the FailedMount event's message), so the kubelet can
    /// report it and call again. Calls for one pod must not overlap (its pod worker
    /// serializes them), as upstream's atomic writer requires; pods are independent.
    public func setUp(
        pod: Pod, source: any PodConfigSource, nodeAllocatable: ResourceList = [:]
    ) async throws(VolumeError) -> [String: String] {
        let uid = pod.metadata.uid ?? ""
        try PodVolumeLayout.validateComponent(uid, what: "pod UID")
        try VolumeFileSystem.makeDirectory(layout.volumesDirectory(uid), mode: 0o750)
        var paths: [String: String] = [:]
        var firstError: VolumeError?
        for volume in pod.spec.volumes ?? [] {
            do throws(VolumeError) {
                try PodVolumeLayout.validateComponent(volume.name, what: "volume name")
                paths[volume.name] = try await setUp(volume, pod: pod, uid: uid, source: source, nodeAllocatable: nodeAllocatable)
            } catch {
                if firstError == nil { firstError = error.forVolume(volume.name) }
            }
        }
        if let firstError { throw firstError }
        return paths
    }

    /// Unmounts everything mounted under the pod's directory (tmpfs volumes, and
    /// anything else found there) and removes the directory. A pod never set up, or
    /// already torn down, is fine.
    public func tearDown(podUID: String) throws(VolumeError) {
        try PodVolumeLayout.validateComponent(podUID, what: "pod UID")
        let directory = layout.podDirectory(podUID)
        guard VolumeFileSystem.exists(directory) else { return }
        let canonical = VolumeFileSystem.canonical(directory)
        for mount in try HostMounts.mounts(under: canonical) {
            try HostMounts.unmountAll(at: mount.mountPoint)
        }
        // Removing files under a mount that is still there would delete what the
        // mount shows (a hostPath bound there by hand, say), so refuse instead.
        let remaining = try HostMounts.mounts(under: canonical)
        guard remaining.isEmpty else {
            let mountPoints = remaining.map(\.mountPoint).joined(separator: ", ")
            throw VolumeError(.systemCall, "pod directory \(directory) still has mounts: \(mountPoints)")
        }
        try VolumeFileSystem.removeTree(directory)
    }

    /// The UIDs of pods with a directory here: after a restart, the kubelet tears
    /// down those of pods that no longer exist.
    public func podUIDsOnDisk() -> [String] {
        VolumeFileSystem.entries(podsDirectory)
            .filter { !$0.hasPrefix(".") && VolumeFileSystem.isDirectory(podsDirectory + "/" + $0, followingSymlinks: false) }
            .sorted()
    }

    private func setUp(
        _ volume: Volume, pod: Pod, uid: String, source: any PodConfigSource, nodeAllocatable: ResourceList
    ) async throws(VolumeError) -> String {
        let namespace = pod.metadata.namespace ?? "default"
        // Content is read before the directory is made, so a missing ConfigMap or
        // Secret leaves no empty volume (or tmpfs) behind.
        switch VolumeKind(volume) {
        case .emptyDir(let emptyDir):
            let directory = layout.volumeDirectory(uid, .emptyDir, volume.name)
            switch emptyDir.medium ?? "" {
            case "":
                try VolumeFileSystem.makeDirectory(directory, mode: 0o777)
            case "Memory":
                let size = MemoryVolumeSize.bytes(pod: pod, sizeLimit: emptyDir.sizeLimit, nodeAllocatable: nodeAllocatable)
                try makeMemoryDirectory(directory, sizeBytes: size)
            case let medium:
                throw VolumeError(.unsupported, "emptyDir medium \(medium) is not supported on this node")
            }
            return directory
        case .hostPath(let hostPath):
            try HostPathCheck.check(hostPath.path, type: hostPath.type)
            return hostPath.path
        case .configMap(let reference):
            let optional = reference.optional ?? false
            let map = try await source.volumeConfigMap(namespace: namespace, name: reference.name ?? "", optional: optional)
            let payload = try ConfigMapPayload.make(
                items: reference.items, configMap: map, defaultMode: reference.defaultMode, optional: optional)
            // On disk, as upstream: its tmpfs would be charged to no pod's memory.
            let directory = layout.volumeDirectory(uid, .configMap, volume.name)
            try VolumeFileSystem.makeDirectory(directory, mode: 0o777)
            try AtomicWriter(targetDirectory: directory).write(payload)
            return directory
        case .secret(let reference):
            let optional = reference.optional ?? false
            let secret = try await source.volumeSecret(namespace: namespace, name: reference.secretName ?? "", optional: optional)
            let payload = try SecretPayload.make(items: reference.items, secret: secret, defaultMode: reference.defaultMode, optional: optional)
            return try writeMemoryVolume(.secret, uid: uid, name: volume.name, payload, pod: pod, nodeAllocatable: nodeAllocatable)
        case .downwardAPI(let downward):
            let payload = try DownwardAPIPayload.make(
                items: downward.items, pod: pod, defaultMode: downward.defaultMode, nodeAllocatable: nodeAllocatable)
            return try writeMemoryVolume(.downwardAPI, uid: uid, name: volume.name, payload, pod: pod, nodeAllocatable: nodeAllocatable)
        case .projected(let projected):
            let payload = try await ProjectedPayload.make(projected, pod: pod, source: source, nodeAllocatable: nodeAllocatable)
            return try writeMemoryVolume(.projected, uid: uid, name: volume.name, payload, pod: pod, nodeAllocatable: nodeAllocatable)
        case .unsupported(let type):
            throw VolumeError(.unsupported, "volume type \(type) is not supported on this node (no volume plugin matched)")
        case .none:
            throw VolumeError(.unsupported, "volume has no source (no volume plugin matched)")
        }
    }

    /// Secret, downward API and projected volumes sit on a tmpfs of their own, as
    /// upstream wraps them in an emptyDir of medium Memory, sized like one.
    private func writeMemoryVolume(
        _ plugin: PodVolumeLayout.Plugin, uid: String, name: String, _ payload: VolumePayload, pod: Pod,
        nodeAllocatable: ResourceList
    ) throws(VolumeError) -> String {
        let directory = layout.volumeDirectory(uid, plugin, name)
        try makeMemoryDirectory(directory, sizeBytes: MemoryVolumeSize.bytes(pod: pod, sizeLimit: nil, nodeAllocatable: nodeAllocatable))
        try AtomicWriter(targetDirectory: directory).write(payload)
        return directory
    }

    /// The directory (0777, as upstream's emptyDir) with a tmpfs on it unless one is
    /// there already. The tmpfs root keeps the kernel's 1777, as upstream's does.
    private func makeMemoryDirectory(_ directory: String, sizeBytes: Int64?) throws(VolumeError) {
        try VolumeFileSystem.makeDirectory(directory, mode: 0o777)
        guard memoryBacking == .tmpfs else { return }
        if try HostMounts.isTmpfs(VolumeFileSystem.canonical(directory)) { return }
        try HostMounts.mountTmpfs(at: directory, sizeBytes: sizeBytes)
    }
}
