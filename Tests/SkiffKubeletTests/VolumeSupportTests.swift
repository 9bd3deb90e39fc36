import Foundation
import SkiffAPI
import Testing
@testable import SkiffKubelet

/// A temporary pods directory. Going away it unmounts whatever is still mounted
/// below it (a root test that failed halfway) and removes it.
final class VolumeScratch: @unchecked Sendable {
    let directory: String

    init() {
        directory = VolumeFileSystem.canonical(NSTemporaryDirectory()) + "/skiff-volumes-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        for mount in (try? HostMounts.mounts(under: directory)) ?? [] {
            try? HostMounts.unmountAll(at: mount.mountPoint)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    var pods: String { directory + "/pods" }

    func volumes(_ backing: MemoryBacking = .plainDirectory) -> PodVolumes {
        PodVolumes(podsDirectory: pods, memoryBacking: backing)
    }
}

enum VolumeFixtures {
    static func pod(uid: String = "uid-1", _ volumes: [Volume], change: (inout Pod) -> Void = { _ in }) -> Pod {
        var pod = Pod()
        pod.metadata.name = "web"
        pod.metadata.namespace = "shop"
        pod.metadata.uid = uid
        var container = Container()
        container.name = "app"
        pod.spec.containers = [container]
        pod.spec.volumes = volumes
        change(&pod)
        return pod
    }

    static func volume(_ name: String, change: (inout Volume) -> Void) -> Volume {
        var volume = Volume(name: name)
        change(&volume)
        return volume
    }

    static func configMapVolume(_ name: String, map: String, items: [KeyToPath]? = nil, defaultMode: Int32? = nil, optional: Bool? = nil) -> Volume {
        volume(name) {
            var source = ConfigMapVolumeSource()
            source.name = map
            source.items = items
            source.defaultMode = defaultMode
            source.optional = optional
            $0.configMap = source
        }
    }

    static func secretVolume(_ name: String, secret: String, items: [KeyToPath]? = nil, optional: Bool? = nil) -> Volume {
        volume(name) {
            var source = SecretVolumeSource()
            source.secretName = secret
            source.items = items
            source.optional = optional
            $0.secret = source
        }
    }

    static func item(_ key: String, _ path: String, mode: Int32? = nil) -> KeyToPath {
        var item = KeyToPath()
        item.key = key
        item.path = path
        item.mode = mode
        return item
    }

    static func configMap(_ data: [String: String], binary: [String: [UInt8]] = [:]) -> ConfigMap {
        var map = ConfigMap()
        map.data = data
        map.binaryData = binary.isEmpty ? nil : binary.mapValues { Base64Bytes($0) }
        return map
    }

    static func secret(_ data: [String: String]) -> Secret {
        var secret = Secret()
        secret.data = data.mapValues { Base64Bytes(utf8: $0) }
        return secret
    }
}

/// What a path on disk is, for assertions.
enum OnDisk {
    static func text(_ path: String) -> String? {
        (try? Data(contentsOf: URL(fileURLWithPath: path))).map { String(decoding: $0, as: UTF8.self) }
    }

    static func link(_ path: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: path)
    }

    /// Permission bits, following symlinks.
    static func mode(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_mode & 0o7777)
    }

    static func entries(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}

/// The small pure pieces behind the volumes: Go quoting, mountinfo, tmpfs sizing.
@Suite struct VolumeSupportTests {
    @Test func goQuoteMatchesPercentQ() {
        #expect(GoText.quote("plain") == "\"plain\"")
        #expect(GoText.quote("say \"hi\"\\") == #""say \"hi\"\\""#)
        #expect(GoText.quote("a\nb\tc\u{01}\u{7f}") == #""a\nb\tc\x01\x7f""#)
        #expect(GoText.quote("café ☕") == "\"café ☕\"")
        #expect(GoText.quote("\u{200B}") == #""\u200b""#)
    }

    @Test func labelsFormatAsUpstreamFormatMap() {
        #expect(DownwardAPIPayload.formatMap(["b": "2", "a": "x \"y\"", "B": ""]) == "B=\"\"\na=\"x \\\"y\\\"\"\nb=\"2\"")
        #expect(DownwardAPIPayload.formatMap([:]) == "")
    }

    @Test func mountInfoLinesGiveMountPointsAndTypes() {
        let text = """
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
            98 22 0:50 / /var/lib/skiff/kubelet/pods/u1/volumes/kubernetes.io~secret/a\\040b rw shared:60 - tmpfs tmpfs rw,size=1024k
            """
        #expect(HostMounts.parseMountInfo(text) == [
            .init(mountPoint: "/", fileSystemType: "ext4"),
            .init(mountPoint: "/var/lib/skiff/kubelet/pods/u1/volumes/kubernetes.io~secret/a b", fileSystemType: "tmpfs"),
        ])
    }

    @Test func memoryVolumeSizeIsTheSmallestOfNodePodAndSizeLimit() {
        func pod(limits: [Quantity?], initLimit: Quantity? = nil) -> Pod {
            VolumeFixtures.pod([]) { pod in
                pod.spec.containers = limits.enumerated().map { index, limit in
                    var container = Container()
                    container.name = "c\(index)"
                    if let limit { container.resources = ResourceRequirements(limits: ["memory": limit]) }
                    return container
                }
                if let initLimit {
                    var container = Container()
                    container.name = "init"
                    container.resources = ResourceRequirements(limits: ["memory": initLimit])
                    pod.spec.initContainers = [container]
                }
            }
        }
        let node: ResourceList = ["memory": "4Gi"]
        #expect(MemoryVolumeSize.bytes(pod: pod(limits: [nil]), sizeLimit: nil, nodeAllocatable: node) == 4 << 30)
        #expect(MemoryVolumeSize.bytes(pod: pod(limits: ["64Mi", "32Mi"]), sizeLimit: nil, nodeAllocatable: node) == 96 << 20)
        // One container without a limit: the pod cgroup has none, so the node's applies.
        #expect(MemoryVolumeSize.bytes(pod: pod(limits: ["64Mi", nil]), sizeLimit: nil, nodeAllocatable: node) == 4 << 30)
        #expect(MemoryVolumeSize.bytes(pod: pod(limits: ["64Mi"], initLimit: "128Mi"), sizeLimit: nil, nodeAllocatable: node) == 128 << 20)
        #expect(MemoryVolumeSize.bytes(pod: pod(limits: ["64Mi"]), sizeLimit: "16Mi", nodeAllocatable: node) == 16 << 20)
        // A sizeLimit above what the pod may use does not raise it.
        #expect(MemoryVolumeSize.bytes(pod: pod(limits: ["64Mi"]), sizeLimit: "1Gi", nodeAllocatable: node) == 64 << 20)
        #expect(MemoryVolumeSize.bytes(pod: pod(limits: [nil]), sizeLimit: nil, nodeAllocatable: [:]) == nil)
        #expect(MemoryVolumeSize.bytes(pod: pod(limits: [nil]), sizeLimit: "8Mi", nodeAllocatable: [:]) == 8 << 20)
    }
}
