import Foundation
import Testing

/// `skiff image` as an operator uses it, on the project's busybox test image.
@Suite struct ImageCommandTests {
    let skiff: SkiffBinary
    let scratch: ScratchDirectory

    init() throws {
        skiff = try SkiffBinary()
        scratch = try ScratchDirectory()
    }

    private var root: [String] { ["--root", scratch.path + "/images"] }

    private func buildLayout() async throws -> String {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let layout = scratch.path + "/layout"
        let built = try await SkiffBinary.run(repository + "/scripts/build-test-image", [layout])
        try #require(built.status == 0, "\(built.stderr)")
        return layout
    }

    @Test func importListAndRemove() async throws {
        let layout = try await buildLayout()
        let imported = try await skiff.run(["image", "import", layout] + root)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported docker.io/library/busybox:latest sha256:"))
        #expect(imported.stdout.contains("imported docker.io/library/busybox:v2 sha256:"))

        let listed = try await skiff.run(["image", "ls"] + root)
        let lines = listed.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(lines.first == ["REPOSITORY", "TAG", "IMAGE", "ID", "SIZE"])
        #expect(lines.dropFirst().map { Array($0.prefix(2)) } == [
            ["docker.io/library/busybox", "latest"], ["docker.io/library/busybox", "v2"],
        ])
        #expect(lines.dropFirst().allSatisfy { $0.count == 4 && $0[2].count == 13 && $0[3].hasSuffix("MB") })

        let removed = try await skiff.run(["image", "rm", "busybox:v2"] + root)
        #expect(removed.status == 0 && removed.stdout == "Deleted: docker.io/library/busybox:v2\n", "\(removed.stderr)")
        let ids = try await skiff.run(["image", "ls", "--quiet"] + root)
        #expect(ids.stdout.split(separator: "\n").count == 1)
        let pruned = try await skiff.run(["image", "prune"] + root)
        #expect(pruned.stdout == "deleted 0 blobs and 0 snapshots\n")
    }

    @Test func failsClearlyOnBadInput() async throws {
        let badReference = try await skiff.run(["image", "pull", "Not A Reference"] + root)
        #expect(badReference.status != 0)
        #expect(badReference.stderr.contains("invalid image reference"))

        let down = try await skiff.run(["image", "pull", "127.0.0.1:1/busybox", "--insecure-registry", "127.0.0.1:1"] + root)
        #expect(down.status != 0)
        #expect(down.stderr.contains("cannot reach 127.0.0.1:1"), "\(down.stderr)")

        let missing = try await skiff.run(["image", "rm", "busybox:nope"] + root)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no image busybox:nope in the store"))

        let notLayout = try await skiff.run(["image", "import", scratch.path] + root)
        #expect(notLayout.status != 0)
        #expect(notLayout.stderr.contains("is not an OCI image layout"))
    }
}
