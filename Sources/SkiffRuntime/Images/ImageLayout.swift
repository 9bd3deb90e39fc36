/// Where things live under the store root:
///
///     blobs/sha256/<hex>          manifests, indexes, configs, compressed layers
///     snapshots/<chain hex>/fs    one unpacked layer, an overlayfs lowerdir
///     staging/<uuid>/             one pull's or import's work in progress
///     images.json                 reference → manifest digest
///     records.lock, gc.lock       flock(2) files (see ImageStore)
struct ImageStorePaths: Sendable {
    let root: String

    var blobs: String { "\(root)/blobs/sha256" }
    var snapshots: String { "\(root)/snapshots" }
    var staging: String { "\(root)/staging" }
    var records: String { "\(root)/images.json" }
    var recordsLock: String { "\(root)/records.lock" }
    var collectionLock: String { "\(root)/gc.lock" }

    func blob(_ digest: Digest) -> String { "\(blobs)/\(digest.hex)" }
    func snapshot(_ chainID: Digest) -> String { "\(snapshots)/\(chainID.hex)" }
    /// The directory overlayfs mounts; its parent leaves room for metadata later.
    func snapshotFS(_ chainID: Digest) -> String { "\(snapshot(chainID))/fs" }
}
