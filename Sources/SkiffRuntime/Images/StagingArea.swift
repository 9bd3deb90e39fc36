import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private directory for one pull or import. Blobs and snapshots are verified
/// here and only renamed into the store together, when the whole image is
/// complete; a failure removes the directory, so nothing half-installed remains.
final class StagingArea {
    let path: String
    private let paths: ImageStorePaths
    private(set) var blobs: Set<Digest> = []
    private(set) var snapshots: Set<Digest> = []

    init(paths: ImageStorePaths) throws(ImageError) {
        self.paths = paths
        path = "\(paths.staging)/\(UUID().uuidString)"
        try Self.makeDirectory("\(path)/blobs")
        try Self.makeDirectory("\(path)/snapshots")
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The blob's path, in the store when it is already there, else in staging.
    func existingBlob(_ digest: Digest) -> String? {
        if FileManager.default.fileExists(atPath: paths.blob(digest)) { return paths.blob(digest) }
        if blobs.contains(digest) { return "\(path)/blobs/\(digest.hex)" }
        return nil
    }

    /// Fetches a blob unless store or staging has it; returns where it is.
    @discardableResult
    func blob(_ descriptor: OCIDescriptor, from source: any ImageSource) async throws(ImageError) -> String {
        if let existing = existingBlob(descriptor.digest) { return existing }
        let target = "\(path)/blobs/\(descriptor.digest.hex)"
        let writer = try BlobWriter(path: target, expected: descriptor)
        try await source.fetchBlob(descriptor, into: writer)
        try writer.finish()
        blobs.insert(descriptor.digest)
        return target
    }

    /// Stores a document already fetched whole (a manifest or index), after checking it.
    func document(_ data: Data, digest: Digest) throws(ImageError) {
        guard existingBlob(digest) == nil else { return }
        let actual = Digest.of(data)
        guard actual == digest else {
            throw ImageError(.digestMismatch, "manifest \(digest) has digest \(actual): the content is corrupt or was tampered with")
        }
        try AtomicFile.write(data, to: "\(path)/blobs/\(digest.hex)")
        blobs.insert(digest)
    }

    func hasSnapshot(_ chainID: Digest) -> Bool {
        snapshots.contains(chainID) || FileManager.default.fileExists(atPath: paths.snapshotFS(chainID))
    }

    /// An empty directory to unpack a layer into, kept when the image commits.
    func newSnapshot(_ chainID: Digest) throws(ImageError) -> String {
        let fs = "\(path)/snapshots/\(chainID.hex)/fs"
        try Self.makeDirectory(fs)
        snapshots.insert(chainID)
        return fs
    }

    /// Moves staged content into the store. A blob or snapshot another pull put
    /// there meanwhile is identical (same digest), so ours is simply dropped.
    func commit() throws(ImageError) {
        try Self.makeDirectory(paths.blobs)
        try Self.makeDirectory(paths.snapshots)
        for digest in blobs {
            guard rename("\(path)/blobs/\(digest.hex)", paths.blob(digest)) == 0 else {
                throw LayerDirectory.failure("move blob \(digest) into the store")
            }
        }
        for chainID in snapshots where rename("\(path)/snapshots/\(chainID.hex)", paths.snapshot(chainID)) != 0 {
            guard errno == EEXIST || errno == ENOTEMPTY else {
                throw LayerDirectory.failure("move snapshot \(chainID) into the store")
            }
        }
    }

    static func makeDirectory(_ path: String) throws(ImageError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw ImageError(.storage, "cannot create \(path)", cause: DecodingFailure(error))
        }
    }
}
