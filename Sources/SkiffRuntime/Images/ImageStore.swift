import Foundation
import Logging

/// The node's images: a content-addressed store of blobs, one unpacked snapshot
/// per layer chain (shared by every image that has it), and a list of references.
///
/// Safe to use from many tasks and beside other processes on the same root:
/// reference updates take `records.lock`; pulls and imports hold `gc.lock` shared
/// while they run, and content is only deleted under it exclusively, so a blob a
/// pull relies on cannot vanish under it.
public final class ImageStore: Sendable {
    public let root: String
    let paths: ImageStorePaths
    let logger: Logger

    public static let defaultRoot = RuntimeDefaults.rootDirectory + "/images"

    public init(root: String = ImageStore.defaultRoot, logger: Logger = Logger(label: "skiff.images")) throws(ImageError) {
        self.root = root
        paths = ImageStorePaths(root: root)
        self.logger = logger
        for directory in [paths.blobs, paths.snapshots, paths.staging] { try StagingArea.makeDirectory(directory) }
    }

    /// Every image, one per manifest, sorted by first reference.
    public func list() throws(ImageError) -> [Image] {
        let records = try ImageRecords.load(from: paths.records)
        var byManifest: [Digest: [String]] = [:]
        for (reference, record) in records.images { byManifest[record.manifest, default: []].append(reference) }
        return try byManifest.map { manifest, references throws(ImageError) in
            try image(manifest: manifest, references: references.sorted())
        }.sorted { $0.references[0] < $1.references[0] }
    }

    /// The image a reference names, nil when the store has none. A digest
    /// reference also matches an image pulled by tag whose manifest or index has
    /// that digest, as containerd resolves them.
    public func image(for reference: ImageReference) throws(ImageError) -> Image? {
        let records = try ImageRecords.load(from: paths.records)
        let manifest: Digest
        if let record = records.images[reference.description] {
            manifest = record.manifest
        } else if let digest = reference.digest,
            let match = records.images.first(where: { key, record in
                (record.manifest == digest || record.index == digest) && (try? ImageReference(parsing: key))?.name == reference.name
            })
        {
            manifest = match.value.manifest
        } else {
            return nil
        }
        let references = records.images.filter { $0.value.manifest == manifest }.keys.sorted()
        return try image(manifest: manifest, references: references)
    }

    func image(manifest digest: Digest, references: [String]) throws(ImageError) -> Image {
        guard let data = FileManager.default.contents(atPath: paths.blob(digest)),
            case .manifest(let manifest) = try OCIDocument.decode(data, contentType: nil)
        else {
            throw ImageError(.storage, "the store lists manifest \(digest) but its blob is missing or not a manifest")
        }
        let config = try Self.decodeConfig(at: paths.blob(manifest.config.digest))
        let layers = ChainID.chain(diffIDs: config.rootfs.diff_ids).map(paths.snapshotFS)
        return Image(
            id: manifest.config.digest, references: references, manifestDigest: digest,
            size: manifest.config.size + manifest.layers.reduce(0) { $0 + $1.size }, config: ImageConfig(config),
            layerDirectories: layers.reversed())
    }

    static func decodeConfig(at path: String) throws(ImageError) -> OCIImageConfigFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImageError(.storage, "the image config \(path) is missing")
        }
        do { return try JSONDecoder().decode(OCIImageConfigFile.self, from: data) } catch {
            throw ImageError(.invalidManifest, "the image config is not valid", cause: DecodingFailure(error))
        }
    }

    /// Renames the staged content into place and points `references` at the record.
    func install(_ staging: StagingArea, records newRecords: [(String, ImageRecords.Record)]) throws(ImageError) {
        guard let lock = try StoreLock(path: paths.recordsLock, mode: .exclusive, wait: true) else { return }
        defer { lock.release() }
        try staging.commit()
        var records = try ImageRecords.load(from: paths.records)
        for (reference, record) in newRecords { records.images[reference] = record }
        try records.save(to: paths.records)
    }

    /// Held (shared) for a pull or import, so garbage collection waits or skips.
    func holdContent() throws(ImageError) -> StoreLock {
        guard let lock = try StoreLock(path: paths.collectionLock, mode: .shared, wait: true) else {
            throw ImageError(.busy, "cannot lock \(paths.collectionLock)")
        }
        return lock
    }
}
