import CArchive
#if canImport(Glibc)
import Glibc
#endif

/// Unpacks one layer into an empty snapshot directory in the form overlayfs reads
/// as a lowerdir, as containerd's overlayfs snapshotter does: `.wh.NAME` becomes a
/// whiteout (a 0/0 character device named NAME) and `.wh..wh..opq` marks its
/// directory opaque (xattr `trusted.overlay.opaque=y`). Entries that would escape
/// the snapshot (absolute or `..` paths, paths through symlinks, hard links to
/// outside) and device nodes are refused. Owners, modes, mtimes and xattrs are kept.
struct LayerUnpacker {
    static let whiteoutPrefix = ".wh."
    static let opaqueMarker = ".wh..wh..opq"

    private let directory: LayerDirectory
    /// Changing owners needs CAP_CHOWN; unprivileged unit tests unpack without it.
    private let keepOwners = geteuid() == 0
    /// Directories get their mode and times after all entries, since writing into a
    /// directory changes its mtime and a read-only mode would stop the writes.
    private var directoryMetadata: [(path: LayerPath, mode: mode_t, times: [timespec])] = []

    private init(directory: LayerDirectory) {
        self.directory = directory
    }

    /// Unpacks `blobPath` into `destination` (an existing empty directory) and
    /// returns the layer's diff ID. On error the destination is left partly written:
    /// the caller unpacks into a staging directory and removes it.
    static func unpack(blobPath: String, compression: LayerCompression, into destination: String) throws(ImageError) -> Digest {
        var unpacker = LayerUnpacker(directory: try LayerDirectory(rootPath: destination))
        let reader = try LayerArchiveReader(blobPath: blobPath, compression: compression)
        while let entry = try reader.nextEntry() {
            try unpacker.apply(entry, from: reader)
        }
        let diffID = try reader.finishDiffID()
        try unpacker.applyDirectoryMetadata()
        return diffID
    }

    private mutating func apply(_ entry: OpaquePointer, from reader: LayerArchiveReader) throws(ImageError) {
        guard let rawName = archive_entry_pathname(entry) else {
            throw ImageError(.invalidLayer, "a layer entry has no name")
        }
        let path = try LayerPath(entryName: String(cString: rawName))
        if path.name.hasPrefix(Self.whiteoutPrefix) {
            try applyWhiteout(path)
            return
        }
        if let rawTarget = archive_entry_hardlink(entry) {
            try link(path, to: try LayerPath(entryName: String(cString: rawTarget)))
            return
        }
        let type = archive_entry_filetype(entry)
        if path.isRoot {
            guard type == S_IFDIR else { throw ImageError(.invalidLayer, "the layer's root entry is not a directory") }
            try recordDirectory(path, entry)
            return
        }
        switch type {
        case S_IFDIR: try makeDirectory(path, entry)
        case S_IFREG: try writeFile(path, entry, reader)
        case S_IFLNK: try makeSymlink(path, entry)
        case S_IFIFO: try makeFIFO(path, entry)
        case S_IFCHR, S_IFBLK:
            throw ImageError(
                .invalidLayer, "layer entry \(path) is a \(type == S_IFCHR ? "character" : "block") device; layers may not create devices")
        default:
            throw ImageError(.invalidLayer, "layer entry \(path) has unsupported type \(String(type, radix: 8))")
        }
    }

    /// `.wh..wh..opq`: the directory hides everything below it in lower layers.
    /// `.wh.NAME`: NAME is deleted. Other `.wh..wh.` names are aufs bookkeeping
    /// (hard-link directories), which containerd skips too.
    private func applyWhiteout(_ path: LayerPath) throws(ImageError) {
        if path.name == Self.opaqueMarker {
            try directory.withDirectory(path.parent, create: true) { fd throws(ImageError) in
                guard fsetxattr(fd, "trusted.overlay.opaque", "y", 1, 0) == 0 else {
                    throw LayerDirectory.failure("mark \(path.parent) opaque")
                }
            }
            return
        }
        if path.name.hasPrefix(Self.whiteoutPrefix + Self.whiteoutPrefix) { return }
        let hidden = String(path.name.dropFirst(Self.whiteoutPrefix.count))
        guard !hidden.isEmpty, hidden != ".", hidden != ".." else {
            throw ImageError(.invalidLayer, "whiteout \(path) names nothing")
        }
        try directory.withDirectory(path.parent, create: true) { fd throws(ImageError) in
            try directory.removeEntry(at: fd, hidden)
            guard mknodat(fd, hidden, S_IFCHR | 0o000, 0) == 0 else {
                throw LayerDirectory.failure("create whiteout for \(path.parent.appending(hidden))")
            }
        }
    }

    private mutating func makeDirectory(_ path: LayerPath, _ entry: OpaquePointer) throws(ImageError) {
        try directory.withDirectory(path.parent, create: true) { fd throws(ImageError) in
            if directory.kindOfEntry(at: fd, path.name) != .directory {
                try directory.removeEntry(at: fd, path.name)
                guard mkdirat(fd, path.name, 0o700) == 0 else { throw LayerDirectory.failure("create directory \(path)") }
            }
        }
        try recordDirectory(path, entry)
    }

    /// Owner and xattrs now; mode and times at the end (see ``directoryMetadata``).
    private mutating func recordDirectory(_ path: LayerPath, _ entry: OpaquePointer) throws(ImageError) {
        try directory.withDirectory(path, create: false) { fd throws(ImageError) in
            try setOwner(fd: fd, entry, path)
            try setExtendedAttributes(fd: fd, entry, path)
        }
        directoryMetadata.append((path, mode_t(archive_entry_perm(entry)), Self.times(entry)))
    }

    private func writeFile(_ path: LayerPath, _ entry: OpaquePointer, _ reader: LayerArchiveReader) throws(ImageError) {
        try directory.withDirectory(path.parent, create: true) { parent throws(ImageError) in
            try directory.removeEntry(at: parent, path.name)
            let fd = openat(parent, path.name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else { throw LayerDirectory.failure("create \(path)") }
            defer { close(fd) }
            try copyData(of: path, from: reader, to: fd)
            guard ftruncate(fd, off_t(archive_entry_size(entry))) == 0 else { throw LayerDirectory.failure("size \(path)") }
            try setOwner(fd: fd, entry, path)
            try setExtendedAttributes(fd: fd, entry, path)
            // After chown, which clears set-user-ID bits.
            guard fchmod(fd, mode_t(archive_entry_perm(entry))) == 0 else { throw LayerDirectory.failure("chmod \(path)") }
            var times = Self.times(entry)
            guard futimens(fd, &times) == 0 else { throw LayerDirectory.failure("set times of \(path)") }
        }
    }

    /// Copies block by block, at the offsets libarchive gives, so sparse files stay sparse.
    private func copyData(of path: LayerPath, from reader: LayerArchiveReader, to fd: Int32) throws(ImageError) {
        while true {
            var block: UnsafeRawPointer?
            var size = 0
            var offset: la_int64_t = 0
            let status = archive_read_data_block(reader.tar, &block, &size, &offset)
            if status == ARCHIVE_EOF { return }
            guard status >= ARCHIVE_WARN else {
                throw ImageError(.invalidLayer, "layer entry \(path) is truncated or corrupt: \(reader.errorText())")
            }
            var written = 0
            while written < size {
                let count = pwrite(fd, block! + written, size - written, off_t(offset) + off_t(written))
                guard count > 0 else { throw LayerDirectory.failure("write \(path)") }
                written += count
            }
        }
    }

    private func makeSymlink(_ path: LayerPath, _ entry: OpaquePointer) throws(ImageError) {
        guard let rawTarget = archive_entry_symlink(entry) else {
            throw ImageError(.invalidLayer, "symlink \(path) has no target")
        }
        try directory.withDirectory(path.parent, create: true) { fd throws(ImageError) in
            try directory.removeEntry(at: fd, path.name)
            guard symlinkat(rawTarget, fd, path.name) == 0 else { throw LayerDirectory.failure("create symlink \(path)") }
            if keepOwners {
                guard fchownat(fd, path.name, archive_entry_uid(entry).asID, archive_entry_gid(entry).asID, AT_SYMLINK_NOFOLLOW) == 0
                else { throw LayerDirectory.failure("chown \(path)") }
            }
            var times = Self.times(entry)
            guard utimensat(fd, path.name, &times, AT_SYMLINK_NOFOLLOW) == 0 else {
                throw LayerDirectory.failure("set times of \(path)")
            }
        }
    }

    private func makeFIFO(_ path: LayerPath, _ entry: OpaquePointer) throws(ImageError) {
        try directory.withDirectory(path.parent, create: true) { fd throws(ImageError) in
            try directory.removeEntry(at: fd, path.name)
            guard mkfifoat(fd, path.name, mode_t(archive_entry_perm(entry))) == 0 else {
                throw LayerDirectory.failure("create fifo \(path)")
            }
            if keepOwners {
                guard fchownat(fd, path.name, archive_entry_uid(entry).asID, archive_entry_gid(entry).asID, AT_SYMLINK_NOFOLLOW) == 0
                else { throw LayerDirectory.failure("chown \(path)") }
            }
        }
    }

    /// A hard link to an earlier entry of this layer. The target is looked up with
    /// the same no-symlink walk, so it cannot name a file outside the snapshot.
    private func link(_ path: LayerPath, to target: LayerPath) throws(ImageError) {
        guard !target.isRoot else { throw ImageError(.invalidLayer, "hard link \(path) points at the layer root") }
        try directory.withDirectory(target.parent, create: false) { targetParent throws(ImageError) in
            guard directory.kindOfEntry(at: targetParent, target.name) != .missing else {
                throw ImageError(.invalidLayer, "hard link \(path) points at \(target), which is not in the layer")
            }
            guard directory.kindOfEntry(at: targetParent, target.name) != .directory else {
                throw ImageError(.invalidLayer, "hard link \(path) points at directory \(target)")
            }
            try directory.withDirectory(path.parent, create: true) { parent throws(ImageError) in
                try directory.removeEntry(at: parent, path.name)
                guard linkat(targetParent, target.name, parent, path.name, 0) == 0 else {
                    throw LayerDirectory.failure("link \(path) to \(target)")
                }
            }
        }
    }

    private func setOwner(fd: Int32, _ entry: OpaquePointer, _ path: LayerPath) throws(ImageError) {
        guard keepOwners else { return }
        guard fchown(fd, archive_entry_uid(entry).asID, archive_entry_gid(entry).asID) == 0 else {
            throw LayerDirectory.failure("chown \(path)")
        }
    }

    /// Keeps the layer's xattrs (file capabilities, say) except overlayfs's own:
    /// a layer must not be able to forge opaque markers or redirects.
    private func setExtendedAttributes(fd: Int32, _ entry: OpaquePointer, _ path: LayerPath) throws(ImageError) {
        guard archive_entry_xattr_reset(entry) > 0 else { return }
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK, let name {
            let key = String(cString: name)
            if key.hasPrefix("trusted.overlay.") { continue }
            if fsetxattr(fd, name, value, size, 0) != 0, errno != ENOTSUP, errno != EPERM {
                throw LayerDirectory.failure("set xattr \(key) on \(path)")
            }
        }
    }

    private func applyDirectoryMetadata() throws(ImageError) {
        // Deepest first, so a read-only parent is set after its children.
        for (path, mode, times) in directoryMetadata.reversed() {
            do {
                try directory.withDirectory(path, create: false) { fd throws(ImageError) in
                    guard fchmod(fd, mode) == 0 else { throw LayerDirectory.failure("chmod \(path)") }
                    var times = times
                    guard futimens(fd, &times) == 0 else { throw LayerDirectory.failure("set times of \(path)") }
                }
            } catch where error.code == .invalidLayer {
                // A later entry replaced or whited out this directory: nothing to set.
                continue
            }
        }
    }

    private static func times(_ entry: OpaquePointer) -> [timespec] {
        let mtime = timespec(tv_sec: time_t(archive_entry_mtime(entry)), tv_nsec: Int(archive_entry_mtime_nsec(entry)))
        return [mtime, mtime]
    }
}

extension la_int64_t {
    /// Tar holds ids as 64-bit numbers; Linux's are 32-bit.
    fileprivate var asID: UInt32 { UInt32(truncatingIfNeeded: self) }
}
