import Foundation

/// What a removal or prune took away.
public struct ImageRemoval: Sendable, Equatable {
    /// The references that no longer name an image.
    public var references: [String] = []
    /// Blobs and snapshots deleted; zero when collection was skipped because a
    /// pull held the store (the next removal or prune collects them).
    public var deletedBlobs = 0
    public var deletedSnapshots = 0
}

extension ImageStore {
    /// Forgets `reference`, or, given an image ID (`sha256:…` or a prefix of its
    /// hex of at least 12 digits), every reference to that image; then deletes the
    /// content no remaining image uses. The caller must not remove an image a
    /// running container was built from (the kubelet checks, as upstream's does).
    public func remove(_ referenceOrID: String) throws(ImageError) -> ImageRemoval {
        var removal = ImageRemoval()
        do {
            guard let lock = try StoreLock(path: paths.recordsLock, mode: .exclusive, wait: true) else { return removal }
            defer { lock.release() }
            var records = try ImageRecords.load(from: paths.records)
            let keys = try matchingKeys(referenceOrID, in: records)
            guard !keys.isEmpty else { throw ImageError(.notFound, "no image \(referenceOrID) in the store") }
            for key in keys { records.images[key] = nil }
            try records.save(to: paths.records)
            removal.references = keys.sorted()
        }
        try collectGarbage(into: &removal)
        return removal
    }

    /// Removes every image that `inUse` does not name (by ID `sha256:…` or by
    /// any of its references), then the content nothing uses any more, and stale
    /// staging directories of pulls that crashed.
    public func pruneUnused(inUse: Set<String>) throws(ImageError) -> ImageRemoval {
        var removal = ImageRemoval()
        do {
            guard let lock = try StoreLock(path: paths.recordsLock, mode: .exclusive, wait: true) else { return removal }
            defer { lock.release() }
            var records = try ImageRecords.load(from: paths.records)
            for image in try list() where !inUse.contains(image.id.description) && inUse.isDisjoint(with: image.references) {
                for reference in image.references { records.images[reference] = nil }
                removal.references += image.references
            }
            try records.save(to: paths.records)
        }
        try collectGarbage(into: &removal)
        return removal
    }

    /// Deletes the content no image references (what a failed removal or a
    /// crashed pull left) without removing any image.
    public func collectGarbage() throws(ImageError) -> ImageRemoval {
        var removal = ImageRemoval()
        guard try collectGarbage(into: &removal) else {
            throw ImageError(.busy, "a pull or import is using the image store; try again when it is done")
        }
        return removal
    }

    private func matchingKeys(_ text: String, in records: ImageRecords) throws(ImageError) -> [String] {
        let hex = text.hasPrefix("sha256:") ? String(text.dropFirst(7)) : text
        if hex.utf8.count >= 12, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
            let byID = try list().filter { $0.id.hex.hasPrefix(hex) }
            if byID.count > 1 { throw ImageError(.invalidReference, "image ID prefix \(text) matches \(byID.count) images") }
            if let image = byID.first { return image.references }
        }
        let reference = try ImageReference(parsing: text)
        return records.images.keys.contains(reference.description) ? [reference.description] : []
    }

    /// Deletes blobs and snapshots no record reaches. Skips (leaving the counts at
    /// zero) while a pull or import holds the content lock.
    @discardableResult
    private func collectGarbage(into removal: inout ImageRemoval) throws(ImageError) -> Bool {
        guard let lock = try StoreLock(path: paths.collectionLock, mode: .exclusive, wait: false) else {
            logger.info("image garbage collection skipped: a pull is in progress")
            return false
        }
        defer { lock.release() }
        var blobs: Set<String> = []
        var snapshots: Set<String> = []
        let records = try ImageRecords.load(from: paths.records)
        for record in records.images.values {
            blobs.insert(record.manifest.hex)
            if let index = record.index { blobs.insert(index.hex) }
            guard let data = FileManager.default.contents(atPath: paths.blob(record.manifest)),
                case .manifest(let manifest) = try OCIDocument.decode(data, contentType: nil)
            else { continue }
            blobs.insert(manifest.config.digest.hex)
            blobs.formUnion(manifest.layers.map(\.digest.hex))
            let config = try Self.decodeConfig(at: paths.blob(manifest.config.digest))
            snapshots.formUnion(ChainID.chain(diffIDs: config.rootfs.diff_ids).map(\.hex))
        }
        let files = FileManager.default
        for name in (try? files.contentsOfDirectory(atPath: paths.blobs)) ?? [] where !blobs.contains(name) {
            try deleteItem("\(paths.blobs)/\(name)")
            removal.deletedBlobs += 1
        }
        for name in (try? files.contentsOfDirectory(atPath: paths.snapshots)) ?? [] where !snapshots.contains(name) {
            try deleteItem("\(paths.snapshots)/\(name)")
            removal.deletedSnapshots += 1
        }
        // No pull runs while we hold the lock exclusively: what is in staging was
        // left by a process that died mid-pull.
        for name in (try? files.contentsOfDirectory(atPath: paths.staging)) ?? [] {
            try deleteItem("\(paths.staging)/\(name)")
        }
        return true
    }

    private func deleteItem(_ path: String) throws(ImageError) {
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw ImageError(.storage, "cannot delete \(path)", cause: DecodingFailure(error))
        }
    }
}
