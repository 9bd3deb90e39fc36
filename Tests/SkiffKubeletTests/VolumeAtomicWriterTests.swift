import Foundation
import Testing
@testable import SkiffKubelet

@Suite struct VolumeAtomicWriterTests {
    func writer(_ scratch: VolumeScratch) throws -> AtomicWriter {
        let target = scratch.directory + "/target"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        return AtomicWriter(targetDirectory: target)
    }

    func hiddenEntries(_ writer: AtomicWriter) -> [String] {
        OnDisk.entries(writer.targetDirectory).filter { $0.hasPrefix("..") }
    }

    @Test func filesAreLinksIntoATimestampedDirectoryBehindData() throws {
        let scratch = VolumeScratch()
        let writer = try writer(scratch)
        let target = writer.targetDirectory
        #expect(try writer.write(["app.conf": FileProjection("v1", mode: 0o644), "conf/nested/deep.yaml": FileProjection("d", mode: 0o600)]))

        #expect(OnDisk.link(target + "/app.conf") == "..data/app.conf")
        #expect(OnDisk.link(target + "/conf") == "..data/conf")
        let stamp = try #require(OnDisk.link(target + "/..data"))
        #expect(stamp.wholeMatch(of: /\.\.\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}\.\d+/) != nil)
        #expect(OnDisk.mode(target + "/" + stamp) == 0o755)
        #expect(OnDisk.text(target + "/app.conf") == "v1")
        #expect(OnDisk.text(target + "/conf/nested/deep.yaml") == "d")
        #expect(OnDisk.mode(target + "/conf/nested/deep.yaml") == 0o600)
        #expect(OnDisk.mode(target + "/conf/nested") == 0o755)
        #expect(OnDisk.entries(target) == ["..data", stamp, "app.conf", "conf"].sorted())
    }

    @Test func anUpdateSwapsDataAndLeavesNoStaleDirectory() throws {
        let scratch = VolumeScratch()
        let writer = try writer(scratch)
        let target = writer.targetDirectory
        try writer.write(["a": FileProjection("1", mode: 0o644), "b": FileProjection("2", mode: 0o644)])
        let first = try #require(OnDisk.link(target + "/..data"))

        #expect(try writer.write(["a": FileProjection("1 changed", mode: 0o644)]))
        let second = try #require(OnDisk.link(target + "/..data"))
        #expect(second != first)
        #expect(OnDisk.text(target + "/a") == "1 changed")
        // The removed key's link goes, and only the current timestamped directory stays.
        #expect(!OnDisk.exists(target + "/b"))
        #expect(hiddenEntries(writer) == ["..data", second].sorted())
    }

    @Test func theSamePayloadWritesNothing() throws {
        let scratch = VolumeScratch()
        let writer = try writer(scratch)
        let payload: VolumePayload = ["a": FileProjection("1", mode: 0o644), "d/b": FileProjection("2", mode: 0o400)]
        try writer.write(payload)
        let stamp = OnDisk.link(writer.targetDirectory + "/..data")
        #expect(try !writer.write(payload))
        #expect(OnDisk.link(writer.targetDirectory + "/..data") == stamp)
        // A changed mode alone is an update too.
        #expect(try writer.write(["a": FileProjection("1", mode: 0o600), "d/b": FileProjection("2", mode: 0o400)]))
        #expect(OnDisk.mode(writer.targetDirectory + "/a") == 0o600)
    }

    @Test func aNestedPathThatGoesAwayTakesItsDirectoryLink() throws {
        let scratch = VolumeScratch()
        let writer = try writer(scratch)
        let target = writer.targetDirectory
        try writer.write(["dir/one": FileProjection("1", mode: 0o644), "dir/two": FileProjection("2", mode: 0o644), "top": FileProjection("t", mode: 0o644)])
        try writer.write(["dir/one": FileProjection("1", mode: 0o644), "top": FileProjection("t", mode: 0o644)])
        #expect(OnDisk.text(target + "/dir/one") == "1")
        #expect(!OnDisk.exists(target + "/dir/two"))
        try writer.write(["top": FileProjection("t", mode: 0o644)])
        #expect(!OnDisk.exists(target + "/dir"))
        try writer.write([:])
        #expect(OnDisk.entries(target).filter { !$0.hasPrefix("..") }.isEmpty)
    }

    @Test func leftoversOfAnInterruptedWriteAreRemoved() throws {
        let scratch = VolumeScratch()
        let writer = try writer(scratch)
        let target = writer.targetDirectory
        try writer.write(["a": FileProjection("1", mode: 0o644)])
        try FileManager.default.createDirectory(atPath: target + "/..2020_01_01_00_00_00.1", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: target + "/..data_tmp", withDestinationPath: "..2020_01_01_00_00_00.1")
        try writer.write(["a": FileProjection("2", mode: 0o644)])
        #expect(OnDisk.text(target + "/a") == "2")
        #expect(hiddenEntries(writer) == ["..data", try #require(OnDisk.link(target + "/..data"))].sorted())
    }

    @Test func aDataLinkPointingElsewhereIsReplacedNotFollowed() throws {
        let scratch = VolumeScratch()
        let writer = try writer(scratch)
        let target = writer.targetDirectory
        let outside = scratch.directory + "/outside"
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: outside + "/precious"))
        try writer.write(["a": FileProjection("1", mode: 0o644)])
        let stamp = try #require(OnDisk.link(target + "/..data"))
        try FileManager.default.removeItem(atPath: target + "/..data")
        try FileManager.default.createSymbolicLink(atPath: target + "/..data", withDestinationPath: "../outside")

        try writer.write(["a": FileProjection("2", mode: 0o644)])
        #expect(OnDisk.text(outside + "/precious") == "keep")
        #expect(OnDisk.text(target + "/a") == "2")
        #expect(OnDisk.link(target + "/..data") != "../outside")
        #expect(!OnDisk.exists(target + "/" + stamp))
    }

    @Test func pathsAreCheckedAsUpstream() throws {
        let scratch = VolumeScratch()
        let writer = try writer(scratch)
        func message(_ path: String) -> String? {
            do {
                try writer.write([path: FileProjection("x", mode: 0o644)])
                return nil
            } catch { return error.message }
        }
        #expect(message("/etc/passwd") == "invalid path: must be relative path: /etc/passwd")
        #expect(message("a/../../b") == "invalid path: must not contain '..': a/../../b")
        #expect(message("..data") == "invalid path: must not start with '..': ..data")
        #expect(message("") == "invalid path: must not be empty: \"\"")
        #expect(message(String(repeating: "x", count: 256)) == "invalid path: filenames must be less than or equal to 255 characters")
        #expect(message("./a//b") == nil)
        #expect(OnDisk.text(writer.targetDirectory + "/a/b") == "x")
        #expect(OnDisk.entries(writer.targetDirectory).filter { $0.hasPrefix("..") }.count == 2)
    }
}
