import Foundation
import SkiffAPI
import Testing
@testable import SkiffKubelet

/// PodVolumes without root: plain directories stand in for the tmpfs mounts.
@Suite struct VolumeSetUpTests {
    typealias F = VolumeFixtures

    func setUpError(_ volumes: PodVolumes, _ pod: Pod, _ source: FakeConfigSource = FakeConfigSource()) async -> VolumeError? {
        do {
            _ = try await volumes.setUp(pod: pod, source: source)
            return nil
        } catch { return error }
    }

    @Test func volumesGetUpstreamsLayout() async throws {
        let scratch = VolumeScratch()
        let volumes = scratch.volumes()
        let pod = F.pod([
            F.volume("scratch") { $0.emptyDir = EmptyDirVolumeSource() },
            F.configMapVolume("config", map: "settings"),
            F.secretVolume("creds", secret: "db"),
            F.volume("info") { $0.downwardAPI = DownwardAPIVolumeSource() },
            F.volume("all") { $0.projected = ProjectedVolumeSource() },
        ])
        let source = FakeConfigSource(maps: ["shop/settings": F.configMap([:])], secrets: ["shop/db": F.secret([:])])
        let paths = try await volumes.setUp(pod: pod, source: source)
        let base = scratch.pods + "/uid-1/volumes"
        #expect(paths == [
            "scratch": base + "/kubernetes.io~empty-dir/scratch",
            "config": base + "/kubernetes.io~configmap/config",
            "creds": base + "/kubernetes.io~secret/creds",
            "info": base + "/kubernetes.io~downward-api/info",
            "all": base + "/kubernetes.io~projected/all",
        ])
        #expect(OnDisk.mode(paths["scratch"]!) == 0o777)
        #expect(OnDisk.mode(scratch.pods + "/uid-1") == 0o750)
        #expect(volumes.podUIDsOnDisk() == ["uid-1"])
    }

    @Test func configMapKeysBecomeFilesAndFollowUpdates() async throws {
        let scratch = VolumeScratch()
        let volumes = scratch.volumes()
        let pod = F.pod([F.configMapVolume("config", map: "settings")])
        var source = FakeConfigSource(maps: ["shop/settings": F.configMap(["color": "blue", "size": "L"], binary: ["logo": [0, 1, 255]])])
        let directory = try #require(try await volumes.setUp(pod: pod, source: source)["config"])
        #expect(OnDisk.text(directory + "/color") == "blue")
        #expect(FileManager.default.contents(atPath: directory + "/logo") == Data([0, 1, 255]))
        #expect(OnDisk.mode(directory + "/size") == 0o644)

        source.maps["shop/settings"] = F.configMap(["color": "green"])
        #expect(try await volumes.setUp(pod: pod, source: source)["config"] == directory)
        #expect(OnDisk.text(directory + "/color") == "green")
        #expect(!OnDisk.exists(directory + "/size"))
        #expect(!OnDisk.exists(directory + "/logo"))
        #expect(OnDisk.entries(directory).filter { $0.hasPrefix("..") }.count == 2)
    }

    @Test func itemsChoosePathsAndModes() async throws {
        let scratch = VolumeScratch()
        let pod = F.pod([
            F.configMapVolume("config", map: "settings", items: [F.item("color", "conf/colour.txt", mode: 0o400), F.item("size", "size")], defaultMode: 0o640),
            F.secretVolume("creds", secret: "db", items: [F.item("password", "db/pass")]),
        ])
        let source = FakeConfigSource(
            maps: ["shop/settings": F.configMap(["color": "blue", "size": "L", "unused": "x"])],
            secrets: ["shop/db": F.secret(["password": "s3cret", "user": "admin"])])
        let paths = try await scratch.volumes().setUp(pod: pod, source: source)
        let config = paths["config"]!, creds = paths["creds"]!
        #expect(OnDisk.text(config + "/conf/colour.txt") == "blue")
        #expect(OnDisk.mode(config + "/conf/colour.txt") == 0o400)
        #expect(OnDisk.mode(config + "/size") == 0o640)
        #expect(!OnDisk.exists(config + "/unused"))
        #expect(OnDisk.text(creds + "/db/pass") == "s3cret")
        // Secrets default to 0644 as well, as the API's defaulting does.
        #expect(OnDisk.mode(creds + "/db/pass") == 0o644)
        #expect(!OnDisk.exists(creds + "/user"))
    }

    @Test func missingObjectsAndKeysFailWithUpstreamsWords() async throws {
        let scratch = VolumeScratch()
        let volumes = scratch.volumes()
        let noMap = await setUpError(volumes, F.pod([F.configMapVolume("config", map: "settings")]))
        #expect(noMap?.code == .notFound)
        #expect(noMap?.description == "MountVolume.SetUp failed for volume \"config\" : configmap \"settings\" not found")
        #expect(noMap?.volume == "config")
        // Nothing is left half made for a volume whose content could not be read.
        #expect(!OnDisk.exists(scratch.pods + "/uid-1/volumes/kubernetes.io~configmap/config"))

        let noSecret = await setUpError(volumes, F.pod([F.secretVolume("creds", secret: "db")]))
        #expect(noSecret?.description == "MountVolume.SetUp failed for volume \"creds\" : secret \"db\" not found")

        let source = FakeConfigSource(maps: ["shop/settings": F.configMap(["a": "1"])], secrets: ["shop/db": F.secret(["a": "1"])])
        let noKey = await setUpError(volumes, F.pod([F.configMapVolume("config", map: "settings", items: [F.item("b", "b")])]), source)
        #expect(noKey?.code == .missingKey)
        #expect(noKey?.message == "configmap references non-existent config key: b")
        let noSecretKey = await setUpError(volumes, F.pod([F.secretVolume("creds", secret: "db", items: [F.item("b", "b")])]), source)
        #expect(noSecretKey?.message == "references non-existent secret key: b")
    }

    @Test func optionalObjectsAndKeysMayBeMissing() async throws {
        let scratch = VolumeScratch()
        let volumes = scratch.volumes()
        let pod = F.pod([
            F.configMapVolume("config", map: "settings", optional: true),
            F.secretVolume("creds", secret: "db", items: [F.item("a", "a"), F.item("b", "b")], optional: true),
        ])
        var source = FakeConfigSource(secrets: ["shop/db": F.secret(["a": "1"])])
        let paths = try await volumes.setUp(pod: pod, source: source)
        #expect(OnDisk.entries(paths["config"]!).filter { !$0.hasPrefix("..") }.isEmpty)
        #expect(OnDisk.text(paths["creds"]! + "/a") == "1")
        #expect(!OnDisk.exists(paths["creds"]! + "/b"))
        // The optional ConfigMap appears later: the next sync projects it.
        source.maps["shop/settings"] = F.configMap(["late": "yes"])
        _ = try await volumes.setUp(pod: pod, source: source)
        #expect(OnDisk.text(paths["config"]! + "/late") == "yes")
    }

    @Test func otherVolumesAreStillSetUpWhenOneFails() async throws {
        let scratch = VolumeScratch()
        let volumes = scratch.volumes()
        let pod = F.pod([F.configMapVolume("config", map: "missing"), F.secretVolume("creds", secret: "db")])
        let error = await setUpError(volumes, pod, FakeConfigSource(secrets: ["shop/db": F.secret(["a": "1"])]))
        #expect(error?.volume == "config")
        #expect(OnDisk.text(scratch.pods + "/uid-1/volumes/kubernetes.io~secret/creds/a") == "1")
    }

    @Test func downwardAPIFilesFollowThePod() async throws {
        let scratch = VolumeScratch()
        let volumes = scratch.volumes()
        func file(_ path: String, field: String? = nil, resource: String? = nil, container: String? = nil, mode: Int32? = nil) -> DownwardAPIVolumeFile {
            var file = DownwardAPIVolumeFile()
            file.path = path
            file.mode = mode
            if let field {
                file.fieldRef = ObjectFieldSelector()
                file.fieldRef?.fieldPath = field
            }
            if let resource {
                file.resourceFieldRef = ResourceFieldSelector()
                file.resourceFieldRef?.resource = resource
                file.resourceFieldRef?.containerName = container
                file.resourceFieldRef?.divisor = "1Mi"
            }
            return file
        }
        var downward = DownwardAPIVolumeSource()
        downward.items = [
            file("labels", field: "metadata.labels"), file("name", field: "metadata.name", mode: 0o400),
            file("tier", field: "metadata.labels['tier']"), file("mem", resource: "limits.memory", container: "app"),
        ]
        var pod = F.pod([F.volume("info") { $0.downwardAPI = downward }]) { pod in
            pod.metadata.labels = ["app": "web", "tier": "front"]
            pod.spec.containers[0].resources = ResourceRequirements(limits: ["memory": "64Mi"])
        }
        let directory = try await volumes.setUp(pod: pod, source: FakeConfigSource())["info"]!
        #expect(OnDisk.text(directory + "/labels") == "app=\"web\"\ntier=\"front\"")
        #expect(OnDisk.text(directory + "/name") == "web")
        #expect(OnDisk.mode(directory + "/name") == 0o400)
        #expect(OnDisk.text(directory + "/tier") == "front")
        #expect(OnDisk.text(directory + "/mem") == "64")

        pod.metadata.labels?["tier"] = "back"
        _ = try await volumes.setUp(pod: pod, source: FakeConfigSource())
        #expect(OnDisk.text(directory + "/labels") == "app=\"web\"\ntier=\"back\"")

        downward.items = [file("mem", resource: "limits.memory", container: "nope"), file("bad", field: "spec.nope")]
        let error = await setUpError(volumes, F.pod(uid: "uid-2", [F.volume("info") { $0.downwardAPI = downward }]))
        #expect(error?.message == "[container nope not found, unsupported fieldRef fieldPath spec.nope]")
    }

    @Test func projectedVolumesMergeTheirSources() async throws {
        let scratch = VolumeScratch()
        var projected = ProjectedVolumeSource()
        projected.defaultMode = 0o440
        var fromMap = VolumeProjection()
        fromMap.configMap = ConfigMapProjection()
        fromMap.configMap?.name = "settings"
        var fromSecret = VolumeProjection()
        fromSecret.secret = SecretProjection()
        fromSecret.secret?.name = "db"
        fromSecret.secret?.items = [F.item("password", "secret/password", mode: 0o400)]
        var fromPod = VolumeProjection()
        fromPod.downwardAPI = DownwardAPIProjection()
        var name = DownwardAPIVolumeFile()
        name.path = "pod/name"
        name.fieldRef = ObjectFieldSelector()
        name.fieldRef?.fieldPath = "metadata.name"
        fromPod.downwardAPI?.items = [name]
        projected.sources = [fromMap, fromSecret, fromPod]
        let source = FakeConfigSource(maps: ["shop/settings": F.configMap(["color": "blue"])], secrets: ["shop/db": F.secret(["password": "p"])])
        let directory = try await scratch.volumes().setUp(pod: F.pod([F.volume("all") { $0.projected = projected }]), source: source)["all"]!
        #expect(OnDisk.text(directory + "/color") == "blue")
        #expect(OnDisk.mode(directory + "/color") == 0o440)
        #expect(OnDisk.text(directory + "/secret/password") == "p")
        #expect(OnDisk.mode(directory + "/secret/password") == 0o400)
        #expect(OnDisk.text(directory + "/pod/name") == "web")

        var token = VolumeProjection()
        token.serviceAccountToken = ServiceAccountTokenProjection()
        projected.sources = [token]
        let error = await setUpError(scratch.volumes(), F.pod(uid: "uid-2", [F.volume("token") { $0.projected = projected }]), source)
        #expect(error?.code == .unsupported)
        #expect(error?.message == "serviceAccountToken projections are not supported on this node")
    }

    @Test func unsupportedTypesAreReportedNotIgnored() async throws {
        let scratch = VolumeScratch()
        var claim = PersistentVolumeClaimVolumeSource()
        claim.claimName = "data"
        let error = await setUpError(scratch.volumes(), F.pod([F.volume("data") { $0.persistentVolumeClaim = claim }]))
        #expect(error?.code == .unsupported)
        #expect(error?.description == "MountVolume.SetUp failed for volume \"data\" : volume type persistentVolumeClaim is not supported on this node (no volume plugin matched)")
        var hugePages = EmptyDirVolumeSource()
        hugePages.medium = "HugePages"
        let medium = await setUpError(scratch.volumes(), F.pod([F.volume("huge") { $0.emptyDir = hugePages }]))
        #expect(medium?.message == "emptyDir medium HugePages is not supported on this node")
    }

    @Test func namesThatAreNotPathComponentsAreRefused() async throws {
        let scratch = VolumeScratch()
        let uid = await setUpError(scratch.volumes(), F.pod(uid: "../etc", []))
        #expect(uid?.code == .invalidPath)
        let name = await setUpError(scratch.volumes(), F.pod([F.volume("..") { $0.emptyDir = EmptyDirVolumeSource() }]))
        #expect(name?.code == .invalidPath)
        #expect(throws: VolumeError.self) { try scratch.volumes().tearDown(podUID: "a/b") }
    }

    @Test func tearDownDoesNotFollowSymlinksOutOfThePod() async throws {
        let scratch = VolumeScratch()
        let volumes = scratch.volumes()
        let outside = scratch.directory + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: outside + "/precious"))
        let paths = try await volumes.setUp(pod: F.pod([F.volume("scratch") { $0.emptyDir = EmptyDirVolumeSource() }]), source: FakeConfigSource())
        // What a container may leave in its emptyDir.
        try FileManager.default.createSymbolicLink(atPath: paths["scratch"]! + "/escape", withDestinationPath: outside)
        try volumes.tearDown(podUID: "uid-1")
        #expect(!OnDisk.exists(scratch.pods + "/uid-1"))
        #expect(OnDisk.text(outside + "/precious") == "keep")
    }

    @Test func tearDownRemovesThePodsDirectory() async throws {
        let scratch = VolumeScratch()
        let volumes = scratch.volumes()
        let source = FakeConfigSource(maps: ["shop/settings": F.configMap(["a": "1"])])
        let pod = F.pod([F.configMapVolume("config", map: "settings"), F.volume("scratch") { $0.emptyDir = EmptyDirVolumeSource() }])
        let paths = try await volumes.setUp(pod: pod, source: source)
        _ = try await volumes.setUp(pod: F.pod(uid: "uid-2", []), source: source)
        try Data("work".utf8).write(to: URL(fileURLWithPath: paths["scratch"]! + "/file"))
        #expect(volumes.podUIDsOnDisk() == ["uid-1", "uid-2"])

        try volumes.tearDown(podUID: "uid-1")
        #expect(!OnDisk.exists(scratch.pods + "/uid-1"))
        #expect(volumes.podUIDsOnDisk() == ["uid-2"])
        // Again, or for a pod never set up: nothing to do.
        try volumes.tearDown(podUID: "uid-1")
        try volumes.tearDown(podUID: "never")
    }
}
