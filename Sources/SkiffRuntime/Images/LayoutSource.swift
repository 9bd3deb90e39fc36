import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An OCI image layout directory (`oci-layout`, `index.json`, `blobs/sha256/…`)
/// as an image source. Its files are not trusted: every blob read from it is
/// verified like a registry's.
struct LayoutSource: ImageSource {
    let directory: String

    var displayName: String { "layout \(directory)" }

    /// Checks the layout marker and reads `index.json`.
    func index() throws(ImageError) -> OCIIndex {
        struct Marker: Decodable { var imageLayoutVersion: String }
        guard let markerData = FileManager.default.contents(atPath: "\(directory)/oci-layout"),
            let marker = try? JSONDecoder().decode(Marker.self, from: markerData)
        else {
            throw ImageError(.invalidManifest, "\(directory) is not an OCI image layout (no valid oci-layout file)")
        }
        guard marker.imageLayoutVersion.hasPrefix("1.") else {
            throw ImageError(.invalidManifest, "\(directory) has OCI layout version \(marker.imageLayoutVersion); only 1.x is supported")
        }
        guard let data = FileManager.default.contents(atPath: "\(directory)/index.json") else {
            throw ImageError(.invalidManifest, "\(directory) has no index.json")
        }
        do { return try JSONDecoder().decode(OCIIndex.self, from: data) } catch {
            throw ImageError(.invalidManifest, "\(directory)/index.json is not a valid image index", cause: DecodingFailure(error))
        }
    }

    func manifest(_ reference: String) async throws(ImageError) -> (data: Data, mediaType: String?) {
        let digest = try Digest(parsing: reference)
        guard let data = FileManager.default.contents(atPath: blobPath(digest)) else {
            throw ImageError(.notFound, "\(displayName) has no blob \(digest)")
        }
        return (data, nil)
    }

    func fetchBlob(_ descriptor: OCIDescriptor, into writer: BlobWriter) async throws(ImageError) {
        let path = blobPath(descriptor.digest)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ImageError(.notFound, "\(displayName) has no blob \(descriptor.digest)") }
        defer { close(fd) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            guard count >= 0 else { throw LayerDirectory.failure("read \(path)") }
            if count == 0 { return }
            try writer.write(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }

    private func blobPath(_ digest: Digest) -> String { "\(directory)/blobs/sha256/\(digest.hex)" }
}

extension LayoutSource {
    static let containerdNameAnnotation = "io.containerd.image.name"
    static let refNameAnnotation = "org.opencontainers.image.ref.name"

    /// The reference an `index.json` entry is imported as: containerd's full-name
    /// annotation, else the OCI ref name, which is either a full reference or just
    /// a tag (what `skopeo copy … oci:DIR:TAG` writes) to put after `baseName`.
    static func reference(for descriptor: OCIDescriptor, baseName: ImageReference?) throws(ImageError) -> ImageReference {
        let annotations = descriptor.annotations ?? [:]
        if let full = annotations[containerdNameAnnotation] { return try ImageReference(parsing: full) }
        guard let name = annotations[refNameAnnotation] else {
            guard let baseName else {
                throw ImageError(.invalidManifest, "layout entry \(descriptor.digest) has no name annotation; give a name to import it as")
            }
            return baseName
        }
        if !name.contains("/"), !name.contains(":"), !name.contains("@"), ImageReference.isValidTag(Substring(name)) {
            guard let baseName else {
                throw ImageError(.invalidManifest, "layout entry \(descriptor.digest) is named only by tag \(name.debugDescription); give a name to import it as (e.g. busybox)")
            }
            return try baseName.withTag(name)
        }
        return try ImageReference(parsing: name)
    }
}
