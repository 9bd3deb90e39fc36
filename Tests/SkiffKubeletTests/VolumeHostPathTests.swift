import Foundation
import SkiffAPI
import Testing
@testable import SkiffKubelet

@Suite struct VolumeHostPathTests {
    func setUp(_ path: String, type: String?, in scratch: VolumeScratch) async throws(VolumeError) -> String? {
        var hostPath = HostPathVolumeSource()
        hostPath.path = path
        hostPath.type = type
        let pod = VolumeFixtures.pod([VolumeFixtures.volume("host") { $0.hostPath = hostPath }])
        return try await scratch.volumes().setUp(pod: pod, source: FakeConfigSource())["host"]
    }

    func message(_ path: String, type: String?, in scratch: VolumeScratch) async -> String? {
        do {
            _ = try await setUp(path, type: type, in: scratch)
            return nil
        } catch { return error.message }
    }

    @Test func theVolumeIsThePathItself() async throws {
        let scratch = VolumeScratch()
        #expect(try await setUp("/nowhere/at/all", type: nil, in: scratch) == "/nowhere/at/all")
        #expect(try await setUp("/nowhere/at/all", type: "", in: scratch) == "/nowhere/at/all")
        #expect(try await setUp("/dev/null", type: "CharDevice", in: scratch) == "/dev/null")
    }

    @Test func orCreateTypesMakeWhatIsMissing() async throws {
        let scratch = VolumeScratch()
        let directory = scratch.directory + "/made/dir"
        let file = scratch.directory + "/file"
        _ = try await setUp(directory, type: "DirectoryOrCreate", in: scratch)
        _ = try await setUp(file, type: "FileOrCreate", in: scratch)
        let umask = Int(Self.currentUmask())
        #expect(OnDisk.mode(directory) == 0o755 & ~umask)
        #expect(OnDisk.mode(file) == 0o644 & ~umask)
        #expect(FileManager.default.contents(atPath: file) == Data())
        // Existing ones are kept, and must be of the type.
        _ = try await setUp(directory, type: "DirectoryOrCreate", in: scratch)
        #expect(await message(file, type: "DirectoryOrCreate", in: scratch) == "hostPath type check failed: \(file) is not a directory, it's a File")
        #expect(await message(directory, type: "FileOrCreate", in: scratch) == "hostPath type check failed: \(directory) is not a file, it's a Directory")
    }

    @Test func typesMustMatchWhatIsThere() async throws {
        let scratch = VolumeScratch()
        let file = scratch.directory + "/file"
        try #require(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        let missing = scratch.directory + "/missing"
        #expect(await message(missing, type: "Directory", in: scratch) == "hostPath \(missing) doesn't exist")
        #expect(await message(missing, type: "File", in: scratch) == "hostPath \(missing) doesn't exist")
        #expect(await message(file, type: "File", in: scratch) == nil)
        #expect(await message(scratch.directory, type: "Directory", in: scratch) == nil)
        #expect(await message(file, type: "Directory", in: scratch) == "hostPath type check failed: \(file) is not a directory, it's a File")
        #expect(await message(file, type: "Socket", in: scratch) == "hostPath type check failed: \(file) is not a socket file, it's a File")
        #expect(await message(file, type: "CharDevice", in: scratch) == "hostPath type check failed: \(file) is not a character device, it's a File")
        #expect(await message("/dev/null", type: "BlockDevice", in: scratch) == "hostPath type check failed: /dev/null is not a block device, it's a CharDevice")
        #expect(await message(file, type: "Fifo", in: scratch) == "Fifo is an invalid volume type")
        // A symlink is followed, as upstream's stat.
        let link = scratch.directory + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        #expect(await message(link, type: "File", in: scratch) == nil)
    }

    @Test func aSocketIsASocket() async throws {
        let scratch = VolumeScratch()
        let path = scratch.directory + "/s.sock"
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() where index < buffer.count - 1 { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(bound == 0)
        #expect(await message(path, type: "Socket", in: scratch) == nil)
        #expect(await message(path, type: "File", in: scratch) == "hostPath type check failed: \(path) is not a file, it's a Socket")
    }

    /// Read from /proc: calling umask(2) to learn it would change it, for a moment,
    /// under the tests running in parallel.
    static func currentUmask() -> mode_t {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("Umask:") }
        return line.flatMap { mode_t($0.dropFirst("Umask:".count).trimmingCharacters(in: .whitespaces), radix: 8) } ?? 0o022
    }
}
