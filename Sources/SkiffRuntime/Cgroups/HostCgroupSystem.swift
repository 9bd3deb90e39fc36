#if canImport(Glibc)
import Glibc
#endif

/// `CgroupSystem` over the real cgroupfs and `kill(2)`.
struct HostCgroupSystem: CgroupSystem {
    func read(_ path: String) throws(CgroupError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.failure("cannot open", path) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Self.failure("cannot read", path) }
            if count == 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func write(_ value: String, to path: String) throws(CgroupError) {
        // No O_CREAT: cgroupfs files are made by the kernel; a missing one is an error.
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Self.failure("cannot open", path) }
        defer { close(fd) }
        let bytes = Array(value.utf8)
        var written = 0
        repeat {
            written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        } while written < 0 && errno == EINTR
        guard written == bytes.count else {
            throw Self.failure("cannot write \"\(value)\" to", path)
        }
    }

    func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    func makeDirectory(_ path: String) throws(CgroupError) {
        guard mkdir(path, 0o755) == 0 else { throw Self.failure("cannot create", path) }
    }

    func removeDirectory(_ path: String) throws(CgroupError) {
        guard rmdir(path) == 0 else { throw Self.failure("cannot remove", path) }
    }

    func subdirectories(of path: String) throws(CgroupError) -> [String] {
        guard let directory = opendir(path) else { throw Self.failure("cannot list", path) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            guard entry.pointee.d_type == DT_DIR else { continue }
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    func send(signal: Int32, to pid: Int32) throws(CgroupError) {
        // A process that exited between listing and signalling is what we wanted anyway.
        guard kill(pid, signal) == 0 || errno == ESRCH else {
            throw Self.failure("cannot signal pid \(pid)", nil)
        }
    }

    private static func failure(_ what: String, _ path: String?) -> CgroupError {
        CgroupError(.systemCall, what, path: path, errno: errno)
    }
}
