import Foundation
import Testing
@testable import SkiffRuntime

/// Bearer-token and Basic auth against a fake registry on loopback.
@Suite(.enabled(if: isRoot, "needs root: unpacking keeps owners and makes overlay whiteouts"))
struct ImageAuthTests {
    let work: TemporaryDirectory
    let layout: String
    let store: ImageStore

    init() async throws {
        work = try TemporaryDirectory()
        layout = "\(work.path)/layout"
        try await buildTestImage(into: layout)
        store = try ImageStore(root: try work.subdirectory("store"))
    }

    @Test(arguments: [FakeAuthRegistry.Mode.bearer, .basic])
    func pullsWithCredentials(mode: FakeAuthRegistry.Mode) async throws {
        let registry = try await FakeAuthRegistry(layout: layout, mode: mode, username: "puller", password: "s3cret", directory: work)
        let reference = try ImageReference(parsing: "\(registry.authority)/busybox:latest")
        let credentials = RegistryCredentials(username: "puller", password: "s3cret")
        let image = try await store.pull(reference, credentials: credentials, insecureRegistries: [registry.authority])
        #expect(image.config.cmd == ["sh"])
        #expect(readLink("\(image.layerDirectories[0])/bin/sh") == "busybox")
    }

    @Test(arguments: [FakeAuthRegistry.Mode.bearer, .basic])
    func refusesWrongOrMissingCredentials(mode: FakeAuthRegistry.Mode) async throws {
        let registry = try await FakeAuthRegistry(layout: layout, mode: mode, username: "puller", password: "s3cret", directory: work)
        let reference = try ImageReference(parsing: "\(registry.authority)/busybox:latest")
        for credentials in [RegistryCredentials(username: "puller", password: "wrong"), nil] {
            let error = await #expect(throws: ImageError.self) {
                try await store.pull(reference, credentials: credentials, insecureRegistries: [registry.authority])
            }
            #expect(error?.code == .unauthorized, "\(error?.description ?? "")")
        }
        #expect(try store.list().isEmpty)
    }
}
