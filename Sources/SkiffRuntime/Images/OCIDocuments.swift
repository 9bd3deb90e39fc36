import Foundation

/// A content descriptor: what a manifest or index says about a blob it points to.
struct OCIDescriptor: Codable, Sendable, Equatable {
    var mediaType: String
    var digest: Digest
    var size: Int64
    var platform: OCIPlatform?
    var annotations: [String: String]?
}

struct OCIPlatform: Codable, Sendable, Equatable {
    var architecture: String
    var os: String
    var variant: String?
}

/// An image index (or Docker manifest list): one manifest per platform.
struct OCIIndex: Codable, Sendable {
    var schemaVersion: Int
    var mediaType: String?
    var manifests: [OCIDescriptor]
    var annotations: [String: String]?
}

/// An image manifest: the config blob and the layers, bottom first.
struct OCIManifest: Codable, Sendable {
    var schemaVersion: Int
    var mediaType: String?
    var config: OCIDescriptor
    var layers: [OCIDescriptor]
    var annotations: [String: String]?
}

/// The image config blob: the runtime defaults and the layers' uncompressed digests.
struct OCIImageConfigFile: Codable, Sendable {
    struct RootFS: Codable, Sendable {
        var type: String
        var diff_ids: [Digest]
    }

    struct Config: Codable, Sendable {
        var Entrypoint: [String]?
        var Cmd: [String]?
        var Env: [String]?
        var WorkingDir: String?
        var User: String?
        var ExposedPorts: [String: EmptyObject]?
        var Labels: [String: String]?
        var StopSignal: String?
    }

    struct EmptyObject: Codable, Sendable {}

    var architecture: String?
    var os: String?
    var config: Config?
    var rootfs: RootFS
}

/// A manifest or index fetched as bytes, told apart by its media type (the field,
/// or the HTTP Content-Type when the document leaves it out).
enum OCIDocument {
    case index(OCIIndex)
    case manifest(OCIManifest)

    static func decode(_ data: Data, contentType: String?) throws(ImageError) -> OCIDocument {
        struct Probe: Decodable {
            var mediaType: String?
            var schemaVersion: Int?
            var manifests: [OCIDescriptor]?
            var layers: [OCIDescriptor]?
        }
        let probe: Probe
        do { probe = try JSONDecoder().decode(Probe.self, from: data) } catch {
            throw ImageError(.invalidManifest, "the manifest is not valid JSON", cause: DecodingFailure(error))
        }
        guard probe.schemaVersion == 2 else {
            throw ImageError(.invalidManifest, "manifest schemaVersion \(probe.schemaVersion.map(String.init) ?? "missing") is not supported (only 2)")
        }
        let type = probe.mediaType ?? contentType.map { String($0.split(separator: ";")[0]).trimmingCharacters(in: .whitespaces) }
        do {
            if let type, OCIMediaType.isIndex(type) { return .index(try JSONDecoder().decode(OCIIndex.self, from: data)) }
            if let type, OCIMediaType.isManifest(type) { return .manifest(try JSONDecoder().decode(OCIManifest.self, from: data)) }
            // OCI allows leaving mediaType out; the shape then decides.
            if type == nil || type == "application/json" {
                if probe.manifests != nil { return .index(try JSONDecoder().decode(OCIIndex.self, from: data)) }
                if probe.layers != nil { return .manifest(try JSONDecoder().decode(OCIManifest.self, from: data)) }
            }
        } catch {
            throw ImageError(.invalidManifest, "the manifest does not decode", cause: DecodingFailure(error))
        }
        throw ImageError(.invalidManifest, "media type \(type ?? "(none)") is not an image index or manifest")
    }
}

extension OCIIndex {
    /// The manifest for linux/amd64, the only platform Skiff nodes run.
    func linuxAMD64Manifest() throws(ImageError) -> OCIDescriptor {
        let candidates = manifests.filter { OCIMediaType.isManifest($0.mediaType) }
        if let match = candidates.first(where: { $0.platform?.os == "linux" && $0.platform?.architecture == "amd64" }) {
            return match
        }
        let offered = manifests.compactMap { $0.platform.map { "\($0.os)/\($0.architecture)" } }
        throw ImageError(
            .noMatchingPlatform,
            "the image index has no linux/amd64 manifest (it has: \(offered.isEmpty ? "no platforms" : offered.joined(separator: ", ")))")
    }
}

/// A decoding error carried as text, so it is Sendable.
struct DecodingFailure: Error, CustomStringConvertible, Sendable {
    var description: String
    init(_ error: any Error) { description = "\(error)" }
}
