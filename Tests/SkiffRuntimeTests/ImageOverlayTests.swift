import Foundation
import Testing
@testable import SkiffRuntime

/// Unpacked layers stack under overlayfs as lowerdirs in the order `Image`
/// documents (topmost first), with whiteouts and opaque directories honoured.
@Suite(.enabled(if: isRoot, "needs root: mounts overlayfs"))
struct ImageOverlayTests {
    @Test func whiteoutsAndOpaqueDirectoriesHideLowerLayers() throws {
        let work = try TemporaryDirectory()
        let lower = try work.subdirectory("lower")
        let upper = try work.subdirectory("upper")
        let merged = try work.subdirectory("merged")
        try TarFixture.write([
            .file("a", contents: "a"),
            .file("kept", contents: "kept"),
            .file("d/old", contents: "old"),
            .file("e/y", contents: "y"),
            .file("e/z", contents: "z"),
        ], to: "\(work.path)/lower.tar")
        try TarFixture.write([
            .file(".wh.a", contents: ""),
            .directory("d/"),
            .file("d/.wh..wh..opq", contents: ""),
            .file("d/new", contents: "new"),
            .file("e/.wh.y", contents: ""),
        ], to: "\(work.path)/upper.tar")
        _ = try LayerUnpacker.unpack(blobPath: "\(work.path)/lower.tar", compression: .gzip, into: lower)
        _ = try LayerUnpacker.unpack(blobPath: "\(work.path)/upper.tar", compression: .gzip, into: upper)

        // Two lowerdirs and no upperdir: a read-only overlay, as an image's rootfs base.
        let options = "lowerdir=\([upper, lower].joined(separator: ":"))"
        guard mount("overlay", merged, "overlay", UInt(MS_RDONLY), options) == 0 else {
            Issue.record("mount overlay: \(String(cString: strerror(errno)))")
            return
        }
        defer { umount2(merged, Int32(MNT_DETACH)) }
        #expect(listTree(merged) == ["d", "d/new", "e", "e/z", "kept"])
    }
}
