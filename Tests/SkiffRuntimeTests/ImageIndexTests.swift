import Foundation
import Testing
@testable import SkiffRuntime

/// Image indexes (multi-platform images) and lying configs, from a layout and
/// from a registry.
@Suite(.enabled(if: isRoot, "needs root: unpacking keeps owners and makes overlay whiteouts"))
struct ImageIndexTests {
    let work: TemporaryDirectory
    let layout: String
    let editor: LayoutEditor
    let store: ImageStore

    init() async throws {
        work = try TemporaryDirectory()
        layout = "\(work.path)/layout"
        try await buildTestImage(into: layout)
        editor = LayoutEditor(layout: layout)
        store = try ImageStore(root: try work.subdirectory("store"))
    }

    @Test func importFollowsAnIndexToTheLinuxAMD64Manifest() async throws {
        let latest = try editor.latestEntry()
        let index = try editor.makeMultiPlatformIndex()
        try editor.setOnlyEntry(index, tag: "multi")
        let images = try await store.importLayout(path: layout).map(\.image)
        #expect(images.count == 1)
        #expect(images.first?.manifestDigest.description == latest["digest"] as? String)
        // A digest reference to the index finds the image pulled through it.
        let byIndex = try ImageReference(parsing: "docker.io/library/busybox@\(index["digest"] as! String)")
        #expect(try store.image(for: byIndex)?.id == images.first?.id)
    }

    @Test func pullFollowsAnIndexFromARegistry() async throws {
        let latest = try editor.latestEntry()
        try editor.setOnlyEntry(try editor.makeMultiPlatformIndex(), tag: "multi")
        let registry = try await FakeAuthRegistry(layout: layout, mode: .bearer, username: "u", password: "p", directory: work)
        let reference = try ImageReference(parsing: "\(registry.authority)/busybox:multi")
        let image = try await store.pull(
            reference, credentials: RegistryCredentials(username: "u", password: "p"), insecureRegistries: [registry.authority])
        #expect(image.manifestDigest.description == latest["digest"] as? String)
        #expect(readLink("\(image.layerDirectories[0])/bin/sh") == "busybox")
    }

    @Test func refusesALayerThatDoesNotUnpackToItsDiffID() async throws {
        try editor.setOnlyEntry(try editor.makeWrongDiffIDManifest(), tag: "lying")
        let error = await #expect(throws: ImageError.self) { try await store.importLayout(path: layout) }
        #expect(error?.code == .digestMismatch)
        #expect(error?.message.contains("unpacks to diff ID") == true, "\(error?.message ?? "")")
        #expect(listTree("\(store.root)/snapshots").isEmpty && listTree("\(store.root)/blobs/sha256").isEmpty)
        #expect(try store.list().isEmpty)
    }
}
