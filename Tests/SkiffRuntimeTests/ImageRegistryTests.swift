import Foundation
import Testing
@testable import SkiffRuntime

/// Pulls from a real registry (Debian's docker-registry) on loopback, imports
/// OCI layouts, and the failures: registry down, unknown tag, corrupt blob.
@Suite(.enabled(if: isRoot, "needs root: unpacking keeps owners and makes overlay whiteouts"))
struct ImageRegistryTests {
    let storeDirectory: TemporaryDirectory
    let store: ImageStore

    init() throws {
        storeDirectory = try TemporaryDirectory()
        store = try ImageStore(root: storeDirectory.path)
    }

    /// blobs, snapshots, staging and the image list, to show a failure left nothing.
    private func storeContents() -> [String] {
        ["blobs/sha256", "snapshots", "staging"].flatMap { directory in
            listTree("\(storeDirectory.path)/\(directory)").map { "\(directory)/\($0)" }
        } + (try! store.list()).flatMap(\.references)
    }

    @Test func pullsTheBusyboxImageFromALocalRegistry() async throws {
        let registry = try await LocalRegistry()
        let image = try await store.pull(try registry.reference(), insecureRegistries: [registry.authority])

        #expect(image.references == ["\(registry.authority)/busybox:latest"])
        #expect(image.config.cmd == ["sh"])
        #expect(image.config.env.contains("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"))
        #expect(image.config.labels["org.skiff.test-image.variant"] == "v1")
        #expect(image.layerDirectories.count == 1)
        let fs = image.layerDirectories[0]
        #expect(fs.hasPrefix(storeDirectory.path + "/snapshots/"))
        let busybox = try #require(fileStatus("\(fs)/bin/busybox"))
        #expect(busybox.st_mode & S_IFMT == S_IFREG && busybox.st_mode & 0o111 != 0)
        #expect(readLink("\(fs)/bin/sh") == "busybox")
        #expect(fileStatus("\(fs)/tmp")?.st_mode == S_IFDIR | 0o1777)
        #expect(try String(contentsOfFile: "\(fs)/etc/passwd", encoding: .utf8).hasPrefix("root:x:0:0:"))
        #expect(try store.image(for: try registry.reference()) == image)
        #expect(listTree("\(storeDirectory.path)/staging").isEmpty)

        // The second tag shares the layer: same snapshot, different image.
        let v2 = try await store.pull(try registry.reference("v2"), insecureRegistries: [registry.authority])
        #expect(v2.id != image.id)
        #expect(v2.layerDirectories == image.layerDirectories)
        #expect(v2.config.labels["org.skiff.test-image.variant"] == "v2")
        #expect(try store.list().map(\.references) == [[image.references[0]], [v2.references[0]]])
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(storeDirectory.path)/snapshots").count == 1)

        // By digest: the manifest's digest names the same image.
        let pinned = try ImageReference(parsing: "\(registry.authority)/busybox@\(image.manifestDigest)")
        let byDigest = try await store.pull(pinned, insecureRegistries: [registry.authority])
        #expect(byDigest.id == image.id)
        #expect(byDigest.references.contains(pinned.description))
    }

    @Test func concurrentPullsShareTheLayerSnapshot() async throws {
        let registry = try await LocalRegistry()
        let insecure: Set<String> = [registry.authority]
        let (store, latestReference, v2Reference) = (self.store, try registry.reference("latest"), try registry.reference("v2"))
        async let latest = store.pull(latestReference, insecureRegistries: insecure)
        async let v2 = store.pull(v2Reference, insecureRegistries: insecure)
        let images = try await [latest, v2]
        #expect(images[0].layerDirectories == images[1].layerDirectories)
        #expect(try store.list().count == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(storeDirectory.path)/snapshots").count == 1)
        #expect(listTree("\(storeDirectory.path)/staging").isEmpty)
    }

    @Test func reportsARegistryThatIsDown() async throws {
        let port = try freeLoopbackPort()
        let reference = try ImageReference(parsing: "127.0.0.1:\(port)/busybox:latest")
        let error = await #expect(throws: ImageError.self) {
            try await store.pull(reference, insecureRegistries: ["127.0.0.1:\(port)"])
        }
        #expect(error?.code == .registryUnreachable)
        #expect(error?.description == "cannot reach 127.0.0.1:\(port) (GET http://127.0.0.1:\(port)/v2/): connection refused")
        #expect(storeContents().isEmpty)
    }

    @Test func reportsAnUnknownTag() async throws {
        let registry = try await LocalRegistry()
        let error = await #expect(throws: ImageError.self) {
            try await store.pull(try registry.reference("no-such-tag"), insecureRegistries: [registry.authority])
        }
        #expect(error?.code == .notFound)
        #expect(error?.message.contains("MANIFEST_UNKNOWN") == true, "\(error?.message ?? "")")
        let unknownRepository = try ImageReference(parsing: "\(registry.authority)/nothing-here:latest")
        let missing = await #expect(throws: ImageError.self) {
            try await store.pull(unknownRepository, insecureRegistries: [registry.authority])
        }
        #expect(missing?.code == .notFound)
        #expect(storeContents().isEmpty)
    }

    @Test func refusesACorruptedBlobAndKeepsNothing() async throws {
        let registry = try await LocalRegistry()
        let layer = try largestBlob(in: registry.layout)
        let handle = try #require(FileHandle(forUpdatingAtPath: registry.blobData(layer)))
        try handle.seek(toOffset: 5000)
        try handle.write(contentsOf: Data(repeating: 0x42, count: 64))
        try handle.close()

        let error = await #expect(throws: ImageError.self) {
            try await store.pull(try registry.reference(), insecureRegistries: [registry.authority])
        }
        #expect(error?.code == .digestMismatch)
        #expect(error?.message.contains(layer.description) == true)
        #expect(storeContents().isEmpty)
    }

    @Test func refusesAManifestThatChangedInTheRegistry() async throws {
        let registry = try await LocalRegistry()
        let manifest = try Digest(parsing: try LayoutEditor(layout: registry.layout).latestEntry()["digest"] as! String)
        let stored = registry.blobData(manifest)
        let original = try String(contentsOfFile: stored, encoding: .utf8)
        try (original + " ").write(toFile: stored, atomically: false, encoding: .utf8)

        let error = await #expect(throws: ImageError.self) {
            try await store.pull(try registry.reference(), insecureRegistries: [registry.authority])
        }
        #expect(error?.code == .digestMismatch)
        #expect(error?.message.contains("as \(manifest)") == true, "\(error?.message ?? "")")
        #expect(try store.image(for: try registry.reference()) == nil)
    }

    @Test func refusesHTTPSWhenTheRegistryIsNotConfiguredInsecure() async throws {
        let registry = try await LocalRegistry()
        let error = await #expect(throws: ImageError.self) { try await store.pull(try registry.reference()) }
        #expect(error?.code == .registryUnreachable)
        #expect(error?.description.contains("seems to speak plain http") == true, "\(String(reflecting: error?.cause))")
        #expect(storeContents().isEmpty)
    }

    @Test func importsALayoutDirectoryAndArchiveWithoutARegistry() async throws {
        let work = try TemporaryDirectory()
        let layout = "\(work.path)/layout"
        try await buildTestImage(into: layout)
        let images = try await store.importLayout(path: layout).map(\.image)
        #expect(images.map(\.references) == [["docker.io/library/busybox:latest"], ["docker.io/library/busybox:v2"]])
        #expect(readLink("\(images[0].layerDirectories[0])/bin/sh") == "busybox")

        let archive = "\(work.path)/busybox.tar"
        try await runTool("/usr/bin/tar", ["-C", layout, "-cf", archive, "."])
        let otherStore = try TemporaryDirectory()
        let fromArchive = try await ImageStore(root: otherStore.path).importLayout(path: archive)
        #expect(fromArchive.map(\.image.id) == images.map(\.id))
        #expect(listTree("\(otherStore.path)/staging").isEmpty)
    }

    @Test func importNamesTagOnlyEntriesAfterTheBaseName() async throws {
        let work = try TemporaryDirectory()
        let layout = "\(work.path)/layout"
        try await buildTestImage(into: layout)
        // What `skopeo copy … oci:DIR:TAG` writes: the tag alone.
        try await runTool("/usr/bin/sed", ["-i", "s/\"io.containerd.image.name\":\"[^\"]*\",//g", "\(layout)/index.json"])
        let unnamed = await #expect(throws: ImageError.self) { try await store.importLayout(path: layout) }
        #expect(unnamed?.message.contains("named only by tag") == true)
        let imported = try await store.importLayout(path: layout, baseName: try ImageReference(parsing: "test/busybox"))
        #expect(imported.map(\.reference.description) == ["docker.io/test/busybox:latest", "docker.io/test/busybox:v2"])
    }

    @Test func importOfACorruptLayoutLeavesTheStoreUnchanged() async throws {
        let work = try TemporaryDirectory()
        let layout = "\(work.path)/layout"
        try await buildTestImage(into: layout)
        let layer = try largestBlob(in: layout)
        #expect(truncate("\(layout)/blobs/sha256/\(layer.hex)", 1000) == 0)
        let error = await #expect(throws: ImageError.self) { try await store.importLayout(path: layout) }
        #expect(error?.code == .sizeMismatch)
        #expect(storeContents().isEmpty)
    }

    @Test func removesAndPrunesWhatNothingUses() async throws {
        let work = try TemporaryDirectory()
        try await buildTestImage(into: "\(work.path)/layout")
        let images = try await store.importLayout(path: "\(work.path)/layout").map(\.image)
        let (latest, v2) = (images[0], images[1])

        let pruned = try store.pruneUnused(inUse: [latest.id.description])
        #expect(pruned.references == v2.references)
        // v2's config and manifest go; the layer blob and snapshot stay: latest uses them.
        #expect(pruned.deletedBlobs == 2)
        #expect(pruned.deletedSnapshots == 0)
        #expect(try store.list() == [latest])
        #expect(fileStatus("\(latest.layerDirectories[0])/bin/busybox") != nil)

        let missing = #expect(throws: ImageError.self) { try store.remove("busybox:v2") }
        #expect(missing?.code == .notFound)
        let removed = try store.remove(String(latest.id.hex.prefix(12)))
        #expect(removed.references == latest.references)
        #expect(removed.deletedSnapshots == 1)
        #expect(storeContents().isEmpty)
    }
}
