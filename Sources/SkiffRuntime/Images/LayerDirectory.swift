#if canImport(Glibc)
import Glibc
#endif

/// The root of a snapshot being unpacked, reached only through directory file
/// descriptors opened with O_NOFOLLOW, so no entry can make the unpacker follow a
/// symlink: a layer that makes `a -> /etc` and then writes `a/passwd` fails instead
/// of touching the host. Symlinks themselves are created as written (an absolute
/// target resolves inside the container, not here, because we never resolve it).
final class LayerDirectory {
    private let rootFD: Int32

    init(rootPath: String) throws(ImageError) {
        rootFD = open(rootPath, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard rootFD >= 0 else { throw Self.failure("open snapshot directory \(rootPath)") }
    }

    deinit {
        close(rootFD)
    }

    /// Runs `body` with a descriptor for directory `path`, creating missing
    /// directories 0755 when `create` is set, as containerd does for entries whose
    /// parents the tar leaves out. Each call walks from the root: no descriptor is
    /// kept that a later removal could leave pointing at a deleted directory.
    func withDirectory<T>(
        _ path: LayerPath, create: Bool, _ body: (Int32) throws(ImageError) -> T
    ) throws(ImageError) -> T {
        var fd = rootFD
        defer { if fd != rootFD { close(fd) } }
        var walked = LayerPath.root
        for component in path.components {
            walked = walked.appending(component)
            var next = openat(fd, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0, errno == ENOENT, create {
                guard mkdirat(fd, component, 0o755) == 0 || errno == EEXIST else {
                    throw Self.failure("create directory \(walked)")
                }
                next = openat(fd, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            if next < 0 {
                let code = errno
                switch (code, kindOfEntry(at: fd, component)) {
                case (_, .symlink):
                    throw ImageError(
                        .invalidLayer, "a layer entry under \(path) goes through symlink \(walked); unpacking never follows symlinks")
                case (ENOENT, _):
                    throw ImageError(.invalidLayer, "\(walked) does not exist in the layer")
                default:
                    throw ImageError(
                        .invalidLayer, "\(walked) is not a directory in the layer",
                        cause: SystemCallError(operation: "open \(walked)", errno: code))
                }
            }
            if fd != rootFD { close(fd) }
            fd = next
        }
        return try body(fd)
    }

    enum EntryKind { case missing, directory, symlink, other }

    func kindOfEntry(at directoryFD: Int32, _ name: String) -> EntryKind {
        var status = stat()
        guard fstatat(directoryFD, name, &status, AT_SYMLINK_NOFOLLOW) == 0 else { return .missing }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// Removes whatever `name` is in `directoryFD`, a whole tree for a directory,
    /// without following symlinks (they are unlinked, not entered).
    func removeEntry(at directoryFD: Int32, _ name: String) throws(ImageError) {
        if unlinkat(directoryFD, name, 0) == 0 || errno == ENOENT { return }
        guard errno == EISDIR else { throw Self.failure("remove \(name)") }
        let child = openat(directoryFD, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard child >= 0 else { throw Self.failure("open \(name)") }
        guard let stream = fdopendir(child) else {
            close(child)
            throw Self.failure("list \(name)")
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if entryName != ".", entryName != ".." { names.append(entryName) }
        }
        for entryName in names { try removeEntry(at: child, entryName) }
        guard unlinkat(directoryFD, name, AT_REMOVEDIR) == 0 else { throw Self.failure("remove directory \(name)") }
    }

    static func failure(_ operation: String) -> ImageError {
        let error = SystemCallError(operation: operation, errno: errno)
        return ImageError(.storage, "could not \(operation)", cause: error)
    }
}

extension LayerPath {
    static let root = try! LayerPath(entryName: ".")
}
