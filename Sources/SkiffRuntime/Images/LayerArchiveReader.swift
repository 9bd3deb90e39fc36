import CArchive
import Crypto

/// Reads a layer blob as a tar stream in one pass: an outer libarchive reader
/// undoes the compression the media type names, and hands the plain tar bytes to
/// an inner tar reader through a callback that also hashes them, so the layer's
/// diff ID (the digest of the uncompressed tar) is known once the tar is read.
final class LayerArchiveReader {
    private let decompressor: OpaquePointer
    let tar: OpaquePointer
    private var hasher = SHA256()
    /// Owned here rather than an array: libarchive keeps the pointer until the next read.
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 128 * 1024, alignment: 16)
    private var decompressionError: String?

    init(blobPath: String, compression: LayerCompression) throws(ImageError) {
        guard let decompressor = archive_read_new(), let tar = archive_read_new() else {
            throw ImageError(.storage, "libarchive could not allocate a reader")
        }
        self.decompressor = decompressor
        self.tar = tar
        switch compression {
        case .none: break
        case .gzip: archive_read_support_filter_gzip(decompressor)
        case .zstd: archive_read_support_filter_zstd(decompressor)
        }
        archive_read_support_format_raw(decompressor)
        archive_read_support_format_tar(tar)
        guard archive_read_open_filename(decompressor, blobPath, 128 * 1024) == ARCHIVE_OK else {
            throw ImageError(.invalidLayer, "cannot read layer \(blobPath): \(Self.message(decompressor))")
        }
        var rawEntry: OpaquePointer?
        guard archive_read_next_header(decompressor, &rawEntry) == ARCHIVE_OK else {
            throw ImageError(.invalidLayer, "cannot decompress layer: \(Self.message(decompressor))")
        }
        if compression != .none, archive_filter_count(decompressor) < 2 {
            throw ImageError(.invalidLayer, "the layer is not \(compression) compressed as its media type says")
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        let status = archive_read_open(tar, context, nil, { _, context, block in
            let reader = Unmanaged<LayerArchiveReader>.fromOpaque(context!).takeUnretainedValue()
            return reader.nextPlainBlock(block!)
        }, nil)
        guard status == ARCHIVE_OK else {
            throw ImageError(.invalidLayer, "the layer is not a tar archive: \(errorText())")
        }
    }

    deinit {
        archive_read_free(tar)
        archive_read_free(decompressor)
        buffer.deallocate()
    }

    /// The next tar entry, nil at the end of the archive.
    func nextEntry() throws(ImageError) -> OpaquePointer? {
        var entry: OpaquePointer?
        let status = archive_read_next_header(tar, &entry)
        if status == ARCHIVE_EOF { return nil }
        guard status >= ARCHIVE_WARN, let entry else {
            throw ImageError(.invalidLayer, "the layer's tar stream is corrupt or truncated: \(errorText())")
        }
        return entry
    }

    /// The diff ID, after hashing what the tar reader left unread (the zero blocks
    /// that pad a tar past its end marker are part of the digest).
    func finishDiffID() throws(ImageError) -> Digest {
        while true {
            var block: UnsafeRawPointer?
            let count = nextPlainBlock(&block)
            if count == 0 { break }
            guard count > 0 else { throw ImageError(.invalidLayer, "the layer's compressed stream is corrupt: \(errorText())") }
        }
        return Digest(hash: hasher.finalize())
    }

    /// What went wrong, preferring the decompressor's reason (a truncated gzip
    /// stream shows up in the tar reader only as a short read).
    func errorText() -> String {
        decompressionError ?? Self.message(tar)
    }

    private func nextPlainBlock(_ block: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        let count = archive_read_data(decompressor, buffer.baseAddress, buffer.count)
        guard count >= 0 else {
            decompressionError = Self.message(decompressor)
            return -1
        }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        block.pointee = UnsafeRawPointer(buffer.baseAddress)
        return count
    }

    static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
    }
}
