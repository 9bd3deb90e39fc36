import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The store's list of images: normalised reference → the platform manifest it
/// resolved to (and the index, when the reference named one). Everything else is
/// read from the content-addressed blobs, so this file is small and the only
/// mutable state. Written with temp + rename: a crash leaves the old or the new file.
struct ImageRecords: Codable, Equatable {
    struct Record: Codable, Equatable {
        var manifest: Digest
        var index: Digest?
    }

    var images: [String: Record] = [:]

    static func load(from path: String) throws(ImageError) -> ImageRecords {
        guard let data = FileManager.default.contents(atPath: path) else { return ImageRecords() }
        do { return try JSONDecoder().decode(ImageRecords.self, from: data) } catch {
            throw ImageError(.storage, "the image list \(path) is corrupt", cause: DecodingFailure(error))
        }
    }

    func save(to path: String) throws(ImageError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try AtomicFile.write(try encoder.encode(self), to: path)
        } catch let error as ImageError {
            throw error
        } catch {
            throw ImageError(.storage, "cannot encode the image list", cause: DecodingFailure(error))
        }
    }
}
