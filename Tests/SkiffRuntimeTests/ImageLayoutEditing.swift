import Foundation
@testable import SkiffRuntime

/// Rewrites the test image's layout the way a broken or multi-platform image
/// would look: new documents are written as blobs under their real digests, so
/// only the defect under test is wrong.
struct LayoutEditor {
    let layout: String

    func read(_ digest: String) throws -> [String: Any] {
        let hex = digest.replacingOccurrences(of: "sha256:", with: "")
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(layout)/blobs/sha256/\(hex)"))
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    /// Writes a JSON document as a blob; returns its descriptor fields.
    func write(_ object: [String: Any], mediaType: String) throws -> [String: Any] {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        let digest = Digest.of(data)
        try data.write(to: URL(fileURLWithPath: "\(layout)/blobs/sha256/\(digest.hex)"))
        return ["mediaType": mediaType, "digest": digest.description, "size": data.count]
    }

    var index: [String: Any] {
        get throws {
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(layout)/index.json"))) as! [String: Any]
        }
    }

    /// The first index.json entry (busybox:latest).
    func latestEntry() throws -> [String: Any] {
        (try index["manifests"] as! [[String: Any]])[0]
    }

    /// index.json with just `entry`, named `tag` for skopeo and skiff alike.
    func setOnlyEntry(_ entry: [String: Any], tag: String) throws {
        var entry = entry
        entry["annotations"] = [
            "org.opencontainers.image.ref.name": tag, "io.containerd.image.name": "docker.io/library/busybox:\(tag)",
        ]
        var index = try self.index
        index["manifests"] = [entry]
        try JSONSerialization.data(withJSONObject: index, options: [.sortedKeys])
            .write(to: URL(fileURLWithPath: "\(layout)/index.json"))
    }

    /// An image index whose linux/amd64 entry is busybox:latest, beside an arm64
    /// entry whose manifest is not in the layout (a pull must never fetch it).
    func makeMultiPlatformIndex() throws -> [String: Any] {
        var amd64 = try latestEntry()
        amd64["annotations"] = nil
        amd64["platform"] = ["os": "linux", "architecture": "amd64"]
        let arm64: [String: Any] = [
            "mediaType": OCIMediaType.manifest, "digest": "sha256:" + String(repeating: "0", count: 64), "size": 400,
            "platform": ["os": "linux", "architecture": "arm64", "variant": "v8"],
        ]
        let index: [String: Any] = ["schemaVersion": 2, "mediaType": OCIMediaType.index, "manifests": [arm64, amd64]]
        return try write(index, mediaType: OCIMediaType.index)
    }

    /// busybox:latest with its config's diff ID replaced: the layer blob is intact,
    /// but it does not unpack to what the config claims.
    func makeWrongDiffIDManifest() throws -> [String: Any] {
        let entry = try latestEntry()
        var manifest = try read(entry["digest"] as! String)
        var configDescriptor = manifest["config"] as! [String: Any]
        var config = try read(configDescriptor["digest"] as! String)
        var rootfs = config["rootfs"] as! [String: Any]
        rootfs["diff_ids"] = ["sha256:" + String(repeating: "e", count: 64)]
        config["rootfs"] = rootfs
        configDescriptor = try write(config, mediaType: OCIMediaType.config)
        manifest["config"] = configDescriptor
        return try write(manifest, mediaType: OCIMediaType.manifest)
    }
}
