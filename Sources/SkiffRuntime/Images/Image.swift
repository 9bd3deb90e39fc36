/// An image in the store, ready to run.
public struct Image: Sendable, Equatable {
    /// The config digest, what `crictl images` shows (shortened) as IMAGE ID and
    /// the kubelet reports as the container's imageID.
    public var id: Digest
    /// Every normalised reference the store knows this image by, sorted.
    public var references: [String]
    /// The linux/amd64 manifest the references resolved to.
    public var manifestDigest: Digest
    /// Bytes of content: config plus compressed layers, as the registry counts.
    public var size: Int64
    public var config: ImageConfig
    /// The unpacked layers, absolute paths, **topmost first**: exactly the order
    /// overlayfs wants in `lowerdir=` (its first entry is the top of the stack), so
    /// `lowerdir=` + `layerDirectories.joined(separator: ":")` mounts the image.
    /// Shared between images and containers: mount them read-only (as lower
    /// layers) and never write into them.
    public var layerDirectories: [String]
}
