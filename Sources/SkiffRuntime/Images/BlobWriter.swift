import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// Writes one blob to a staging file while hashing it, refusing more bytes than
/// the descriptor promises, and checks size and digest at the end. Only a blob
/// that passes ``finish()`` may be renamed into the store.
final class BlobWriter {
    let path: String
    let expected: OCIDescriptor
    private let fd: Int32
    private var hasher = SHA256()
    private(set) var written: Int64 = 0
    private var closed = false

    init(path: String, expected: OCIDescriptor) throws(ImageError) {
        self.path = path
        self.expected = expected
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LayerDirectory.failure("create \(path)") }
    }

    deinit {
        if !closed { close(fd) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(ImageError) {
        guard written + Int64(bytes.count) <= expected.size else {
            throw ImageError(.sizeMismatch, "blob \(expected.digest) is longer than the \(expected.size) bytes its descriptor says")
        }
        hasher.update(bufferPointer: bytes)
        var offset = 0
        while offset < bytes.count {
            let count = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            guard count > 0 else { throw LayerDirectory.failure("write \(path)") }
            offset += count
        }
        written += Int64(bytes.count)
    }

    /// Flushes to disk (the rename into the store must not publish a blob a crash
    /// could empty) and verifies.
    func finish() throws(ImageError) {
        closed = true
        let synced = fsync(fd) == 0
        close(fd)
        guard synced else { throw LayerDirectory.failure("sync \(path)") }
        guard written == expected.size else {
            throw ImageError(.sizeMismatch, "blob \(expected.digest) ended after \(written) of \(expected.size) bytes")
        }
        let actual = Digest(hash: hasher.finalize())
        guard actual == expected.digest else {
            throw ImageError(.digestMismatch, "blob \(expected.digest) has digest \(actual): the content is corrupt or was tampered with")
        }
    }
}
