import CArchive
import Foundation
import Testing
@testable import SkiffRuntime

let isRoot = geteuid() == 0

/// A directory under the system temp dir, removed when the test is done with it.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-image-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        // Unpacked layers have read-only directories; without root, they must be
        // made writable before their contents can go.
        if geteuid() != 0, let entries = FileManager.default.enumerator(atPath: path) {
            chmod(path, 0o755)
            for case let entry as String in entries where fileStatus("\(path)/\(entry)").map({ $0.st_mode & S_IFMT == S_IFDIR }) == true {
                chmod("\(path)/\(entry)", 0o755)
            }
        }
        try? FileManager.default.removeItem(atPath: path)
    }

    func subdirectory(_ name: String) throws -> String {
        let directory = "\(path)/\(name)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }
}

/// Writes crafted tar files with libarchive's writer, which (unlike the unpacker)
/// writes whatever names and links it is given: the malicious layers the tests need.
struct TarFixture {
    enum Entry {
        case file(String, contents: String, mode: Int32 = 0o644, uid: Int64 = 0, gid: Int64 = 0)
        case directory(String, mode: Int32 = 0o755)
        case symlink(String, target: String)
        case hardlink(String, target: String)
        case characterDevice(String, major: Int32, minor: Int32)
        case fifo(String)
    }

    enum Compression { case none, gzip, zstd }

    static let mtime = 1_700_000_000

    /// Writes the tar and returns its uncompressed bytes' sha256 (its diff ID).
    @discardableResult
    static func write(_ entries: [Entry], to path: String, compression: Compression = .gzip) throws -> Digest {
        let plainPath = path + ".plain"
        defer { try? FileManager.default.removeItem(atPath: plainPath) }
        try writeArchive(entries, to: plainPath, compression: .none)
        try writeArchive(entries, to: path, compression: compression)
        return Digest.of(try Data(contentsOf: URL(fileURLWithPath: plainPath)))
    }

    private static func writeArchive(_ entries: [Entry], to path: String, compression: Compression) throws {
        let archive = archive_write_new()!
        defer { archive_write_free(archive) }
        archive_write_set_format_pax_restricted(archive)
        switch compression {
        case .none: archive_write_add_filter_none(archive)
        case .gzip: archive_write_add_filter_gzip(archive)
        case .zstd: archive_write_add_filter_zstd(archive)
        }
        guard archive_write_open_filename(archive, path) == ARCHIVE_OK else {
            throw FixtureError(String(cString: archive_error_string(archive)))
        }
        for item in entries {
            let entry = archive_entry_new()!
            defer { archive_entry_free(entry) }
            archive_entry_set_mtime(entry, time_t(mtime), 0)
            var data = Data()
            switch item {
            case .file(let name, let contents, let mode, let uid, let gid):
                data = Data(contents.utf8)
                archive_entry_set_pathname(entry, name)
                archive_entry_set_filetype(entry, UInt32(S_IFREG as mode_t))
                archive_entry_set_perm(entry, mode_t(mode))
                archive_entry_set_uid(entry, uid)
                archive_entry_set_gid(entry, gid)
                archive_entry_set_size(entry, la_int64_t(data.count))
            case .directory(let name, let mode):
                archive_entry_set_pathname(entry, name)
                archive_entry_set_filetype(entry, UInt32(S_IFDIR as mode_t))
                archive_entry_set_perm(entry, mode_t(mode))
            case .symlink(let name, let target):
                archive_entry_set_pathname(entry, name)
                archive_entry_set_filetype(entry, UInt32(S_IFLNK as mode_t))
                archive_entry_set_perm(entry, 0o777)
                archive_entry_set_symlink(entry, target)
            case .hardlink(let name, let target):
                archive_entry_set_pathname(entry, name)
                archive_entry_set_filetype(entry, UInt32(S_IFREG as mode_t))
                archive_entry_set_perm(entry, 0o644)
                archive_entry_set_hardlink(entry, target)
            case .characterDevice(let name, let major, let minor):
                archive_entry_set_pathname(entry, name)
                archive_entry_set_filetype(entry, UInt32(S_IFCHR as mode_t))
                archive_entry_set_perm(entry, 0o666)
                archive_entry_set_rdevmajor(entry, dev_t(major))
                archive_entry_set_rdevminor(entry, dev_t(minor))
            case .fifo(let name):
                archive_entry_set_pathname(entry, name)
                archive_entry_set_filetype(entry, UInt32(S_IFIFO as mode_t))
                archive_entry_set_perm(entry, 0o600)
            }
            guard archive_write_header(archive, entry) == ARCHIVE_OK else {
                throw FixtureError(String(cString: archive_error_string(archive)))
            }
            if !data.isEmpty {
                _ = data.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
            }
        }
        guard archive_write_close(archive) == ARCHIVE_OK else {
            throw FixtureError(String(cString: archive_error_string(archive)))
        }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// What `lstat` says about a path, for assertions.
func fileStatus(_ path: String) -> stat? {
    var status = stat()
    return lstat(path, &status) == 0 ? status : nil
}

func readLink(_ path: String) -> String? {
    try? FileManager.default.destinationOfSymbolicLink(atPath: path)
}

func extendedAttribute(_ name: String, of path: String) -> String? {
    var buffer = [UInt8](repeating: 0, count: 64)
    let count = lgetxattr(path, name, &buffer, buffer.count)
    return count >= 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
}

/// Every path under `directory`, relative, sorted (to show nothing else was written).
func listTree(_ directory: String) -> [String] {
    (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []).sorted()
}
