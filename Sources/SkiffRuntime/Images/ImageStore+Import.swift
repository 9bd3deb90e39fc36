import Foundation

/// One entry of an imported layout: the reference it was imported as, and the
/// image (whose ``Image/references`` may list earlier names too).
public struct ImportedImage: Sendable, Equatable {
    public var reference: ImageReference
    public var image: Image
}

extension ImageStore {
    /// Imports every image an OCI layout names, for nodes without a registry.
    /// `path` is a layout directory or a tar archive of one (plain or gzip), such
    /// as `skopeo copy … oci-archive:FILE` writes. Entries named only by a tag get
    /// `baseName` in front (`busybox` + `latest`). All or nothing: one bad blob and
    /// the store is unchanged.
    public func importLayout(path: String, baseName: ImageReference? = nil) async throws(ImageError) -> [ImportedImage] {
        let hold = try holdContent()
        defer { hold.release() }
        let staging = try StagingArea(paths: paths)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ImageError(.notFound, "\(path) does not exist")
        }
        let layoutDirectory = isDirectory.boolValue ? path : try Self.extractLayoutArchive(path, into: staging)
        let source = LayoutSource(directory: layoutDirectory)
        let index = try source.index()
        guard !index.manifests.isEmpty else { throw ImageError(.invalidManifest, "\(path) lists no images") }
        var records: [(String, ImageRecords.Record)] = []
        for descriptor in index.manifests {
            let reference = try LayoutSource.reference(for: descriptor, baseName: baseName)
            let fetch = ImageFetch(source: source, staging: staging, logger: logger)
            let result = try await fetch.run(manifestReference: descriptor.digest.description)
            records.append((reference.description, result.record))
        }
        try install(staging, records: records)
        logger.info("imported images", metadata: ["path": "\(path)", "references": "\(records.map(\.0))"])
        var imported: [ImportedImage] = []
        for (text, _) in records {
            let reference = try ImageReference(parsing: text)
            guard let image = try image(for: reference) else {
                throw ImageError(.storage, "\(reference) vanished from the store right after its import")
            }
            imported.append(ImportedImage(reference: reference, image: image))
        }
        return imported
    }

    /// Unpacks the archive with the layer unpacker (same refusal of escapes and
    /// devices) into the staging area, which is removed with everything else.
    private static func extractLayoutArchive(_ path: String, into staging: StagingArea) throws(ImageError) -> String {
        let directory = "\(staging.path)/layout"
        try StagingArea.makeDirectory(directory)
        let handle = FileHandle(forReadingAtPath: path)
        let magic = (try? handle?.read(upToCount: 2)) ?? nil
        try? handle?.close()
        let compression: LayerCompression = magic == Data([0x1f, 0x8b]) ? .gzip : .none
        do {
            _ = try LayerUnpacker.unpack(blobPath: path, compression: compression, into: directory)
        } catch {
            throw ImageError(.invalidManifest, "\(path) is not a readable OCI layout archive: \(error.message)")
        }
        return directory
    }
}
