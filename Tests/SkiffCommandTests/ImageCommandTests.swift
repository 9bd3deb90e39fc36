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

    private func buildLayout() throws -> String {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let layout = scratch.path + "/layout"
        let built = try SkiffBinary.run(repository + "/scripts/build-test-image", [layout])
        try #require(built.status == 0, "\(built.stderr)")
        return layout
    }

    @Test func importListAndRemove() throws {
        let layout = try buildLayout()
        let imported = try skiff.run(["image", "import", layout] + root)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("imported docker.io/library/busybox:latest sha256:"))
        #expect(imported.stdout.contains("imported docker.io/library/busybox:v2 sha256:"))

        let listed = try skiff.run(["image", "ls"] + root)
        let lines = listed.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(lines.first == ["REPOSITORY", "TAG", "IMAGE", "ID", "SIZE"])
        #expect(lines.dropFirst().map { Array($0.prefix(2)) } == [
            ["docker.io/library/busybox", "latest"], ["docker.io/library/busybox", "v2"],
        ])
        #expect(lines.dropFirst().allSatisfy { $0.count == 4 && $0[2].count == 13 && $0[3].hasSuffix("MB") })

        let removed = try skiff.run(["image", "rm", "busybox:v2"] + root)
        #expect(removed.status == 0 && removed.stdout == "Deleted: docker.io/library/busybox:v2\n", "\(removed.stderr)")
        let ids = try skiff.run(["image", "ls", "--quiet"] + root)
        #expect(ids.stdout.split(separator: "\n").count == 1)
        let pruned = try skiff.run(["image", "prune"] + root)
        #expect(pruned.stdout == "deleted 0 blobs and 0 snapshots\n")
    }

    @Test func failsClearlyOnBadInput() throws {
        let badReference = try skiff.run(["image", "pull", "Not A Reference"] + root)
        #expect(badReference.status != 0)
        #expect(badReference.stderr.contains("invalid image reference"))

        let down = try skiff.run(["image", "pull", "127.0.0.1:1/busybox", "--insecure-registry", "127.0.0.1:1"] + root)
        #expect(down.status != 0)
        #expect(down.stderr.contains("cannot reach 127.0.0.1:1"), "\(down.stderr)")

        let missing = try skiff.run(["image", "rm", "busybox:nope"] + root)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("no image busybox:nope in the store"))

        let notLayout = try skiff.run(["image", "import", scratch.path] + root)
        #expect(notLayout.status != 0)
        #expect(notLayout.stderr.contains("is not an OCI image layout"))
    }
}
