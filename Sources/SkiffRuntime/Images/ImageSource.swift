import Foundation

/// Where a pull gets an image's documents and blobs: a registry, or an OCI layout
/// on disk. The fetch that stages them into the store verifies everything either
/// source returns, so a source need not be trusted.
protocol ImageSource: Sendable {
    /// Names the source in errors: `127.0.0.1:5000/busybox`, `layout /srv/busybox`.
    var displayName: String { get }
    /// A manifest or index by tag or digest, with the media type the transport
    /// reported (HTTP Content-Type), if any.
    func manifest(_ reference: String) async throws(ImageError) -> (data: Data, mediaType: String?)
    /// Streams the blob into `writer`, which checks size and digest.
    func fetchBlob(_ descriptor: OCIDescriptor, into writer: BlobWriter) async throws(ImageError)
}
