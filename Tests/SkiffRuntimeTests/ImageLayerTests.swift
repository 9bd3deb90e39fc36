import Foundation
import Testing
@testable import SkiffRuntime

/// The layer unpacker on crafted tar files: what a layer may do (files, links,
/// whiteouts) and what it must not (escape the snapshot, make devices).
@Suite struct ImageLayerTests {
    let temporary: TemporaryDirectory
    let snapshot: String

    init() throws {
        temporary = try TemporaryDirectory()
        snapshot = try temporary.subdirectory("fs")
    }

    private func unpack(_ entries: [TarFixture.Entry], compression: TarFixture.Compression = .gzip) throws -> Digest {
        let layer = "\(temporary.path)/layer.tar"
        try TarFixture.write(entries, to: layer, compression: compression)
        let mediaCompression: LayerCompression = switch compression {
        case .none: .none
        case .gzip: .gzip
        case .zstd: .zstd
        }
        return try LayerUnpacker.unpack(blobPath: layer, compression: mediaCompression, into: snapshot)
    }

    private func expectRefusal(_ entries: [TarFixture.Entry], mentioning fragment: String) throws {
        let layer = "\(temporary.path)/layer.tar"
        try TarFixture.write(entries, to: layer)
        let error = #expect(throws: ImageError.self) {
            try LayerUnpacker.unpack(blobPath: layer, compression: .gzip, into: snapshot)
        }
        #expect(error?.code == .invalidLayer)
        #expect(error?.message.contains(fragment) == true, "\(error?.message ?? "no error")")
    }

    @Test(arguments: [TarFixture.Compression.none, .gzip, .zstd])
    func unpacksFilesDirectoriesAndLinksWithTheirMetadata(compression: TarFixture.Compression) throws {
        let entries: [TarFixture.Entry] = [
            .directory("./", mode: 0o755),
            .directory("./bin/", mode: 0o755),
            .file("./bin/tool", contents: "#!/bin/sh\necho hi\n", mode: 0o4755, uid: 1000, gid: 1001),
            .symlink("./bin/sh", target: "tool"),
            .symlink("./etc-link", target: "/etc"),
            .hardlink("./bin/tool-again", target: "./bin/tool"),
            .file("deep/parents/made/file", contents: "x"),
            .directory("./readonly/", mode: 0o555),
            .file("./readonly/inside", contents: "y"),
            .fifo("./pipe"),
        ]
        let diffID = try unpack(entries, compression: compression)
        let plain = "\(temporary.path)/plain.tar"
        #expect(try TarFixture.write(entries, to: plain, compression: .none) == diffID)

        #expect(try String(contentsOfFile: "\(snapshot)/bin/tool", encoding: .utf8) == "#!/bin/sh\necho hi\n")
        let tool = try #require(fileStatus("\(snapshot)/bin/tool"))
        #expect(tool.st_mode & 0o7777 == 0o4755)
        #expect(tool.st_mtim.tv_sec == TarFixture.mtime)
        if isRoot {
            #expect(tool.st_uid == 1000 && tool.st_gid == 1001)
        }
        #expect(readLink("\(snapshot)/bin/sh") == "tool")
        // Absolute symlinks are kept as written: they resolve inside the container.
        #expect(readLink("\(snapshot)/etc-link") == "/etc")
        #expect(fileStatus("\(snapshot)/bin/tool-again")?.st_ino == tool.st_ino)
        #expect(fileStatus("\(snapshot)/deep/parents/made")?.st_mode == S_IFDIR | 0o755)
        #expect(fileStatus("\(snapshot)/readonly")?.st_mode == S_IFDIR | 0o555)
        #expect(fileStatus("\(snapshot)/readonly")?.st_mtim.tv_sec == TarFixture.mtime)
        #expect(fileStatus("\(snapshot)/pipe")?.st_mode == S_IFIFO | 0o600)
    }

    @Test(.enabled(if: isRoot, "needs root: overlay whiteouts are trusted.* xattrs and 0/0 devices"))
    func convertsWhiteoutsToOverlayFormat() throws {
        _ = try unpack([
            .file("etc/.wh.removed.conf", contents: ""),
            .directory("var/cache/"),
            .file("var/cache/.wh..wh..opq", contents: ""),
            .file("var/cache/fresh", contents: "new"),
            .file(".wh..wh.plnk", contents: ""),
        ])
        let whiteout = try #require(fileStatus("\(snapshot)/etc/removed.conf"))
        #expect(whiteout.st_mode & S_IFMT == S_IFCHR)
        #expect(whiteout.st_rdev == 0)
        #expect(fileStatus("\(snapshot)/etc/.wh.removed.conf") == nil)
        #expect(extendedAttribute("trusted.overlay.opaque", of: "\(snapshot)/var/cache") == "y")
        #expect(fileStatus("\(snapshot)/var/cache/.wh..wh..opq") == nil)
        #expect(listTree(snapshot) == ["etc", "etc/removed.conf", "var", "var/cache", "var/cache/fresh"])
    }

    @Test func laterEntriesReplaceEarlierOnes() throws {
        _ = try unpack([
            .file("a", contents: "first"),
            .file("a", contents: "second"),
            .directory("d/"),
            .file("d/x", contents: "x"),
            .symlink("d", target: "elsewhere"),
        ])
        #expect(try String(contentsOfFile: "\(snapshot)/a", encoding: .utf8) == "second")
        #expect(readLink("\(snapshot)/d") == "elsewhere")
    }

    @Test func refusesParentDirectoryEscapes() throws {
        try expectRefusal([.file("../escaped", contents: "x")], mentioning: "'..'")
        try expectRefusal([.file("ok/../../escaped", contents: "x")], mentioning: "'..'")
        #expect(fileStatus("\(temporary.path)/escaped") == nil)
    }

    @Test func refusesAbsolutePaths() throws {
        try expectRefusal([.file("/\(temporary.path)/absolute", contents: "x")], mentioning: "absolute path")
        #expect(fileStatus("\(temporary.path)/absolute") == nil)
    }

    /// The classic: `a -> <outside>` then `a/passwd`. It must fail, not write outside.
    @Test func neverWritesThroughASymlink() throws {
        let outside = try temporary.subdirectory("outside")
        try expectRefusal(
            [.symlink("a", target: outside), .file("a/passwd", contents: "owned")], mentioning: "goes through symlink a")
        try expectRefusal(
            [.symlink("up", target: "../outside"), .file("up/passwd", contents: "owned")], mentioning: "symlink up")
        try expectRefusal(
            [.symlink("w", target: outside), .file("w/.wh..wh..opq", contents: "")], mentioning: "symlink w")
        #expect(listTree(outside).isEmpty)
    }

    @Test func refusesHardLinksOutOfTheLayer() throws {
        let outside = "\(temporary.path)/outside-file"
        try "secret".write(toFile: outside, atomically: false, encoding: .utf8)
        try expectRefusal([.hardlink("link", target: "../outside-file")], mentioning: "'..'")
        try expectRefusal([.hardlink("link", target: outside)], mentioning: "absolute path")
        try expectRefusal(
            [.symlink("s", target: temporary.path), .hardlink("link", target: "s/outside-file")], mentioning: "symlink s")
        try expectRefusal([.hardlink("link", target: "missing")], mentioning: "not in the layer")
        #expect(fileStatus(outside)?.st_nlink == 1)
    }

    @Test func refusesDeviceNodes() throws {
        try expectRefusal([.characterDevice("dev/null", major: 1, minor: 3)], mentioning: "character device")
    }

    @Test func reportsTruncatedLayers() throws {
        let layer = "\(temporary.path)/layer.tar"
        let big = String(repeating: "0123456789abcdef", count: 64 * 1024)
        try TarFixture.write([.file("big", contents: big), .file("after", contents: "z")], to: layer)
        let size = try #require(fileStatus(layer)).st_size
        #expect(truncate(layer, size / 2) == 0)
        let error = #expect(throws: ImageError.self) {
            try LayerUnpacker.unpack(blobPath: layer, compression: .gzip, into: snapshot)
        }
        #expect(error?.code == .invalidLayer)
    }

    @Test func reportsALayerWhoseCompressionIsNotWhatItsMediaTypeSays() throws {
        let layer = "\(temporary.path)/layer.tar"
        try TarFixture.write([.file("a", contents: "a")], to: layer, compression: .none)
        let error = #expect(throws: ImageError.self) {
            try LayerUnpacker.unpack(blobPath: layer, compression: .gzip, into: snapshot)
        }
        #expect(error?.code == .invalidLayer)
    }

    @Test func acceptsEntryNamesOnlyInsideTheRoot() throws {
        #expect(try LayerPath(entryName: "./usr//bin/./sh").components == ["usr", "bin", "sh"])
        #expect(try LayerPath(entryName: "./").isRoot)
        #expect(throws: ImageError.self) { try LayerPath(entryName: "a/../../b") }
        #expect(throws: ImageError.self) { try LayerPath(entryName: "/etc/passwd") }
    }
}
