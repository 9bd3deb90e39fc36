import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Upstream's AtomicWriter: projects a payload into a directory so that readers see
/// either all of the old content or all of the new, never a mix.
///
/// The files live in a hidden timestamped directory (`..2024_05_01_10_00_00.123`);
/// `..data` is a symlink to it, and every user-visible top-level name is a symlink
/// into `..data` (`app.conf -> ..data/app.conf`). An update writes a new timestamped
/// directory, points a new `..data_tmp` link at it and renames that over `..data`
/// (rename is atomic), then drops names the new payload lacks and the old directory.
/// Names starting with `..` are reserved for this.
struct AtomicWriter {
    static let dataDirectoryName = "..data"
    static let newDataDirectoryName = "..data_tmp"
    static let maxFileNameLength = 255
    static let maxPathLength = 4096

    let targetDirectory: String

    /// Writes `payload` unless the directory already holds exactly it. Returns whether
    /// it wrote (the content changed).
    @discardableResult
    func write(_ payload: VolumePayload) throws(VolumeError) -> Bool {
        let payload = try Self.validated(payload)
        let dataLink = targetDirectory + "/" + Self.dataDirectoryName
        let oldDirectory = try VolumeFileSystem.readLink(dataLink).flatMap(Self.timestampDirectoryName)
        try removeLeftovers(keeping: oldDirectory)

        var pathsToRemove: Set<String> = []
        if let oldDirectory {
            let oldPath = targetDirectory + "/" + oldDirectory
            pathsToRemove = Set(VolumeFileSystem.walk(oldPath)).subtracting(Self.pathsAndParents(of: payload.keys))
            if pathsToRemove.isEmpty, !needsWrite(payload, comparedWith: oldPath) { return false }
        }

        let newDirectory = try makeTimestampDirectory()
        let newPath = targetDirectory + "/" + newDirectory
        do throws(VolumeError) {
            try Self.writeFiles(payload, into: newPath)
            try createUserVisibleLinks(for: payload.keys)
            let newDataLink = targetDirectory + "/" + Self.newDataDirectoryName
            try VolumeFileSystem.makeSymlink(newDataLink, to: newDirectory)
            do throws(VolumeError) { try VolumeFileSystem.rename(newDataLink, dataLink) } catch {
                unlink(newDataLink)
                throw error
            }
        } catch {
            try? VolumeFileSystem.removeTree(newPath)
            throw error
        }
        // Only top-level names are links of ours; deeper paths went with the old directory.
        for path in pathsToRemove where !path.contains("/") {
            try VolumeFileSystem.removeTree(targetDirectory + "/" + path)
        }
        if let oldDirectory { try VolumeFileSystem.removeTree(targetDirectory + "/" + oldDirectory) }
        return true
    }

    /// The link's target when it names a timestamped directory of ours. Anything
    /// else (a container that could write to the volume replaced `..data` with
    /// `../../etc`, say) must not be walked or removed; the swap replaces the link.
    static func timestampDirectoryName(_ target: String) -> String? {
        guard target.hasPrefix(".."), target != "..", !target.contains("/"),
              target != dataDirectoryName, target != newDataDirectoryName else { return nil }
        return target
    }

    /// upstream's validatePath, then path.Clean: relative, no `..` element, not
    /// starting with `..`, names up to 255 and paths up to 4096 bytes.
    static func validated(_ payload: VolumePayload) throws(VolumeError) -> VolumePayload {
        var clean: VolumePayload = [:]
        for (path, file) in payload {
            try validate(path)
            let cleaned = path.split(separator: "/").filter { $0 != "." }.joined(separator: "/")
            // "./..data" passes the check above but cleans into a reserved name.
            if cleaned.hasPrefix("..") { throw VolumeError(.invalidPath, "invalid path: must not start with '..': \(path)") }
            clean[cleaned] = file
        }
        return clean
    }

    static func validate(_ path: String) throws(VolumeError) {
        if path.isEmpty { throw VolumeError(.invalidPath, "invalid path: must not be empty: \"\"") }
        if path.hasPrefix("/") { throw VolumeError(.invalidPath, "invalid path: must be relative path: \(path)") }
        if path.utf8.count > maxPathLength {
            throw VolumeError(.invalidPath, "invalid path: must be less than or equal to \(maxPathLength) characters")
        }
        let items = path.split(separator: "/", omittingEmptySubsequences: false)
        for item in items {
            if item == ".." { throw VolumeError(.invalidPath, "invalid path: must not contain '..': \(path)") }
            if item.utf8.count > maxFileNameLength {
                throw VolumeError(.invalidPath, "invalid path: filenames must be less than or equal to \(maxFileNameLength) characters")
            }
        }
        if items[0].hasPrefix(".."), items[0].count > 2 {
            throw VolumeError(.invalidPath, "invalid path: must not start with '..': \(path)")
        }
    }

    /// Every payload path and the directories above it: what the new version keeps.
    static func pathsAndParents(of paths: some Sequence<String>) -> Set<String> {
        var result: Set<String> = []
        for path in paths {
            var components = path.split(separator: "/")
            while !components.isEmpty {
                result.insert(components.joined(separator: "/"))
                components.removeLast()
            }
        }
        return result
    }

    /// Whether any file's bytes or mode differ from the current version, or a
    /// user-visible link is missing. Upstream compares bytes only; a mode compare
    /// costs nothing and keeps `mode` changes from being silently ignored.
    private func needsWrite(_ payload: VolumePayload, comparedWith directory: String) -> Bool {
        for (path, file) in payload {
            let onDisk = directory + "/" + path
            guard VolumeFileSystem.readRegularFile(onDisk) == file.data,
                  VolumeFileSystem.permissions(onDisk) == mode_t(file.mode) & 0o777
            else { return true }
            let top = String(path.prefix { $0 != "/" })
            if (try? VolumeFileSystem.readLink(targetDirectory + "/" + top)) == nil { return true }
        }
        return false
    }

    /// Timestamped directories and `..data_tmp` links that a write stopped halfway
    /// (a crash, a full tmpfs) left behind; upstream keeps them forever, and a stale
    /// `..data_tmp` would make every later write fail.
    private func removeLeftovers(keeping current: String?) throws(VolumeError) {
        for name in VolumeFileSystem.entries(targetDirectory)
        where name.hasPrefix("..") && name != Self.dataDirectoryName && name != current {
            try VolumeFileSystem.removeTree(targetDirectory + "/" + name)
        }
    }

    /// `..2006_01_02_15_04_05.<random>`, as upstream's os.MkdirTemp with a UTC
    /// timestamp prefix; 0755 so any user in the container can read through it.
    private func makeTimestampDirectory() throws(VolumeError) -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        let stamp = String(
            format: "..%04d_%02d_%02d_%02d_%02d_%02d.", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec)
        for _ in 0..<100 {
            let name = stamp + String(UInt32.random(in: 0...UInt32.max))
            let path = targetDirectory + "/" + name
            if mkdir(path, 0o755) == 0 {
                try VolumeFileSystem.setMode(path, 0o755)
                return name
            }
            guard errno == EEXIST else { throw VolumeError(.systemCall, "mkdir \(path)", errno: errno) }
        }
        throw VolumeError(.systemCall, "no free timestamped directory name in \(targetDirectory)", errno: EEXIST)
    }

    private static func writeFiles(_ payload: VolumePayload, into directory: String) throws(VolumeError) {
        for path in payload.keys.sorted() {
            let file = payload[path]!
            let fullPath = directory + "/" + path
            try VolumeFileSystem.makeDirectory((fullPath as NSString).deletingLastPathComponent, mode: 0o755, parentMode: 0o755)
            try VolumeFileSystem.writeNewFile(fullPath, file.data, mode: mode_t(file.mode) & 0o777)
        }
    }

    /// `name -> ..data/name` for each top-level name, where none is yet.
    private func createUserVisibleLinks(for paths: some Sequence<String>) throws(VolumeError) {
        for top in Set(paths.map { String($0.prefix { $0 != "/" }) }) {
            let link = targetDirectory + "/" + top
            if VolumeFileSystem.exists(link) { continue }
            try VolumeFileSystem.makeSymlink(link, to: Self.dataDirectoryName + "/" + top)
        }
    }
}
