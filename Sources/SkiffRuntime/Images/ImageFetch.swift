import Foundation
import Logging

/// Brings one image from a source into a staging area, verifying as it goes:
/// the manifest (index → linux/amd64 manifest), the config, every layer blob, and
/// each unpacked layer's diff ID against the config. Layers whose snapshot the
/// store already has are not unpacked again.
struct ImageFetch {
    let source: any ImageSource
    let staging: StagingArea
    let logger: Logger

    struct Result {
        var record: ImageRecords.Record
    }

    /// `manifestReference` is a tag or a digest; a digest is checked against the bytes.
    func run(manifestReference: String) async throws(ImageError) -> Result {
        let pinned = try? Digest(parsing: manifestReference)
        var (data, mediaType) = try await source.manifest(manifestReference)
        var digest = Digest.of(data)
        if let pinned, pinned != digest {
            throw ImageError(.digestMismatch, "\(source.displayName)@\(pinned) returned a document with digest \(digest)")
        }
        var indexDigest: Digest?
        var document = try OCIDocument.decode(data, contentType: mediaType)
        if case .index(let index) = document {
            try staging.document(data, digest: digest)
            indexDigest = digest
            let chosen = try index.linuxAMD64Manifest()
            (data, mediaType) = try await source.manifest(chosen.digest.description)
            digest = Digest.of(data)
            guard digest == chosen.digest, Int64(data.count) == chosen.size else {
                throw ImageError(.digestMismatch, "manifest \(chosen.digest) from \(source.displayName) has digest \(digest) and \(data.count) bytes")
            }
            document = try OCIDocument.decode(data, contentType: mediaType ?? chosen.mediaType)
        }
        guard case .manifest(let manifest) = document else {
            throw ImageError(.invalidManifest, "the index \(digest) lists another index as its linux/amd64 manifest")
        }
        try staging.document(data, digest: digest)
        try await fetchContent(of: manifest)
        return Result(record: .init(manifest: digest, index: indexDigest))
    }

    private func fetchContent(of manifest: OCIManifest) async throws(ImageError) {
        guard [OCIMediaType.config, OCIMediaType.dockerConfig].contains(manifest.config.mediaType) else {
            throw ImageError(.invalidManifest, "config media type \(manifest.config.mediaType) is not an image config")
        }
        let compressions = try manifest.layers.map { layer throws(ImageError) in
            guard let compression = OCIMediaType.layerCompression(layer.mediaType) else {
                throw ImageError(.invalidManifest, "layer \(layer.digest) has media type \(layer.mediaType), which Skiff cannot unpack")
            }
            return compression
        }
        let configPath = try await staging.blob(manifest.config, from: source)
        let config = try ImageStore.decodeConfig(at: configPath)
        guard config.rootfs.diff_ids.count == manifest.layers.count else {
            throw ImageError(
                .invalidManifest,
                "the config lists \(config.rootfs.diff_ids.count) layer diff IDs but the manifest has \(manifest.layers.count) layers")
        }
        let chain = ChainID.chain(diffIDs: config.rootfs.diff_ids)
        for (index, layer) in manifest.layers.enumerated() {
            let blobPath = try await staging.blob(layer, from: source)
            guard !staging.hasSnapshot(chain[index]) else { continue }
            let fs = try staging.newSnapshot(chain[index])
            logger.debug("unpacking layer", metadata: ["digest": "\(layer.digest)", "chainID": "\(chain[index])"])
            let diffID = try LayerUnpacker.unpack(blobPath: blobPath, compression: compressions[index], into: fs)
            guard diffID == config.rootfs.diff_ids[index] else {
                throw ImageError(
                    .digestMismatch,
                    "layer \(layer.digest) unpacks to diff ID \(diffID), but the config says \(config.rootfs.diff_ids[index])")
            }
        }
    }
}
