/// The media types of the documents and layers a pull or import handles.
enum OCIMediaType {
    static let index = "application/vnd.oci.image.index.v1+json"
    static let manifest = "application/vnd.oci.image.manifest.v1+json"
    static let config = "application/vnd.oci.image.config.v1+json"
    static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    static let dockerConfig = "application/vnd.docker.container.image.v1+json"

    /// Sent as `Accept` on manifest requests: without the Docker types, registries
    /// convert (or refuse) Docker-built images.
    static let acceptedManifests = [index, manifest, dockerManifestList, dockerManifest]

    static func isIndex(_ mediaType: String) -> Bool {
        mediaType == index || mediaType == dockerManifestList
    }

    static func isManifest(_ mediaType: String) -> Bool {
        mediaType == manifest || mediaType == dockerManifest
    }

    /// How a layer blob is compressed, from its media type; nil when it is not a layer
    /// this runtime can unpack (non-distributable and encrypted layers included).
    static func layerCompression(_ mediaType: String) -> LayerCompression? {
        switch mediaType {
        case "application/vnd.oci.image.layer.v1.tar", "application/vnd.docker.image.rootfs.diff.tar":
            return LayerCompression.none
        case "application/vnd.oci.image.layer.v1.tar+gzip", "application/vnd.docker.image.rootfs.diff.tar.gzip":
            return .gzip
        case "application/vnd.oci.image.layer.v1.tar+zstd", "application/vnd.docker.image.rootfs.diff.tar.zstd":
            return .zstd
        default:
            return nil
        }
    }
}

enum LayerCompression: Sendable {
    case none, gzip, zstd
}
