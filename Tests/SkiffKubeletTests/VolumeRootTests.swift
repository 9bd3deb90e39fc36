import Foundation
import SkiffAPI
@testable import SkiffRuntime
import Testing
@testable import SkiffKubelet

/// Real tmpfs mounts and a real container reading a volume.
@Suite(.enabled(if: isRoot, "\(needsRoot)"))
struct VolumeRootTests {
    typealias F = VolumeFixtures

    /// The size statfs reports for the file system at `path`.
    func fileSystemBytes(_ path: String) throws -> Int64 {
        var info = statvfs()
        try #require(statvfs(path, &info) == 0)
        return Int64(info.f_blocks) * Int64(info.f_frsize)
    }

    @Test func memoryEmptyDirIsATmpfsOfItsSizeUntilTearDown() async throws {
        let scratch = VolumeScratch()
        let volumes = scratch.volumes(.tmpfs)
        var memory = EmptyDirVolumeSource()
        memory.medium = "Memory"
        memory.sizeLimit = "16Mi"
        var unsized = memory
        unsized.sizeLimit = nil
        let pod = F.pod([F.volume("cache") { $0.emptyDir = memory }, F.volume("pod-sized") { $0.emptyDir = unsized }]) {
            $0.spec.containers[0].resources = ResourceRequirements(limits: ["memory": "24Mi"])
        }
        let paths = try await volumes.setUp(pod: pod, source: FakeConfigSource(), nodeAllocatable: ["memory": "1Gi"])
        defer { try? volumes.tearDown(podUID: "uid-1") }
        let cache = try #require(paths["cache"])
        #expect(try HostMounts.isTmpfs(cache))
        #expect(try fileSystemBytes(cache) == 16 << 20)
        // Without a sizeLimit, the pod's memory limit bounds it (below the node's).
        #expect(try fileSystemBytes(paths["pod-sized"]!) == 24 << 20)
        #expect(OnDisk.mode(cache).map { $0 & 0o777 } == 0o777)

        // A second sync mounts nothing more.
        _ = try await volumes.setUp(pod: pod, source: FakeConfigSource(), nodeAllocatable: ["memory": "1Gi"])
        #expect(try HostMounts.mounts(under: scratch.pods).count == 2)

        try volumes.tearDown(podUID: "uid-1")
        #expect(try HostMounts.mounts(under: scratch.pods).isEmpty)
        #expect(!OnDisk.exists(scratch.pods + "/uid-1"))
    }

    @Test func tearDownUnmountsWhateverIsMountedUnderThePodEvenWhenBusy() async throws {
        let scratch = VolumeScratch()
        let volumes = scratch.volumes(.tmpfs)
        let pod = F.pod([F.volume("scratch") { $0.emptyDir = EmptyDirVolumeSource() }, F.secretVolume("creds", secret: "db")])
        let source = FakeConfigSource(secrets: ["shop/db": F.secret(["password": "s3cret"])])
        let paths = try await volumes.setUp(pod: pod, source: source)
        defer { try? volumes.tearDown(podUID: "uid-1") }
        // Something else mounted in the pod's directory (not by PodVolumes), stacked too.
        let nested = try #require(paths["scratch"]) + "/nested"
        try FileManager.default.createDirectory(atPath: nested, withIntermediateDirectories: false)
        try HostMounts.mountTmpfs(at: nested, sizeBytes: 1 << 20)
        try HostMounts.mountTmpfs(at: nested, sizeBytes: 1 << 20)
        // An open file keeps the secret's tmpfs busy; it is detached instead.
        let busy = open(paths["creds"]! + "/password", O_RDONLY)
        try #require(busy >= 0)
        defer { close(busy) }
        #expect(try HostMounts.mounts(under: scratch.pods).count == 3)

        try volumes.tearDown(podUID: "uid-1")
        #expect(try HostMounts.mounts(under: scratch.pods).isEmpty)
        #expect(!OnDisk.exists(scratch.pods + "/uid-1"))
    }

    @Test func secretVolumesLiveOnTmpfs() async throws {
        let scratch = VolumeScratch()
        let volumes = scratch.volumes(.tmpfs)
        let pod = F.pod([F.secretVolume("creds", secret: "db"), F.configMapVolume("config", map: "settings")])
        let source = FakeConfigSource(maps: ["shop/settings": F.configMap(["a": "1"])], secrets: ["shop/db": F.secret(["password": "s3cret"])])
        let paths = try await volumes.setUp(pod: pod, source: source, nodeAllocatable: ["memory": "64Mi"])
        defer { try? volumes.tearDown(podUID: "uid-1") }
        let creds = try #require(paths["creds"])
        #expect(try HostMounts.isTmpfs(creds))
        #expect(try fileSystemBytes(creds) == 64 << 20)
        #expect(OnDisk.text(creds + "/password") == "s3cret")
        // ConfigMaps stay on disk, as upstream's.
        #expect(try !HostMounts.isTmpfs(paths["config"]!))

        try volumes.tearDown(podUID: "uid-1")
        #expect(try HostMounts.mounts(under: scratch.pods).isEmpty)
        #expect(!OnDisk.exists(creds))
    }

    @Test func aContainerReadsAConfigMapAndSeesItsUpdate() async throws {
        let scratch = VolumeScratch()
        let volumes = scratch.volumes(.tmpfs)
        let busybox = try BusyboxRuntime()
        let id = "volume-reader-\(UUID().uuidString.prefix(6).lowercased())"
        let pod = F.pod([F.configMapVolume("config", map: "settings", items: [F.item("color", "app/color")])])
        var source = FakeConfigSource(maps: ["shop/settings": F.configMap(["color": "blue"])])
        let config = try #require(try await volumes.setUp(pod: pod, source: source)["config"])
        defer { try? volumes.tearDown(podUID: "uid-1") }

        let script = "cat /etc/config/app/color; echo; until grep -q green /etc/config/app/color; do sleep 0.1; done; cat /etc/config/app/color; echo"
        try await busybox.start(id, ["sh", "-c", script]) {
            $0.mounts = [.init(source: config, target: "/etc/config", readOnly: true)]
        }
        let logPath = try await busybox.runtime.status(id: id).logPath
        do {
            #expect(try await eventually { Self.logLines(logPath).contains("blue") })
            source.maps["shop/settings"] = F.configMap(["color": "green"])
            _ = try await volumes.setUp(pod: pod, source: source)
            let record = await busybox.runtime.waitForExit(id: id, timeout: 30)
            #expect(record.exit?.exitCode == 0)
            #expect(Self.logLines(logPath) == ["blue", "green"])
        } catch {
            await busybox.removeQuietly(id)
            throw error
        }
        await busybox.removeQuietly(id)
    }

    /// The content of CRI log lines (`<time> stdout F <content>`).
    static func logLines(_ path: String) -> [String] {
        (OnDisk.text(path) ?? "").split(separator: "\n").map { line in
            let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false)
            return parts.count == 4 ? String(parts[3]) : ""
        }
    }
}
