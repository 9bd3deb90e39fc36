import Foundation

/// The process a container runs, from its image's config and what the caller says, by
/// Kubernetes' rules: `command` replaces the image's Entrypoint (and drops its Cmd),
/// `args` replace Cmd; the caller's environment follows the image's (later wins, as
/// the kubelet's `env` over the image's); the working directory and user fall back to
/// the image's.
public struct ImageProcess: Sendable, Hashable {
    public var command: [String]
    public var environment: [String]
    public var workingDirectory: String?
    public var user: ContainerConfig.User

    public init(
        image: Image, command: [String]? = nil, args: [String]? = nil, environment: [String] = [],
        workingDirectory: String? = nil, user: String? = nil
    ) throws(RuntimeError) {
        let entrypoint = command ?? image.config.entrypoint
        let arguments = args ?? (command == nil ? image.config.cmd : [])
        self.command = entrypoint + arguments
        guard !self.command.isEmpty else {
            throw .invalidConfig("image \(image.references.first ?? image.id.description) has no Entrypoint or Cmd; give a command")
        }
        var merged = image.config.env
        if !merged.contains(where: { $0.hasPrefix("PATH=") }) {
            merged.insert("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", at: 0)
        }
        for variable in environment {
            let name = variable.prefix { $0 != "=" }
            merged.removeAll { $0.prefix { $0 != "=" } == name }
            merged.append(variable)
        }
        self.environment = merged
        let imageDirectory = image.config.workingDir.isEmpty ? nil : image.config.workingDir
        self.workingDirectory = workingDirectory ?? imageDirectory
        self.user = try Self.resolve(user: user ?? image.config.user, layers: image.layerDirectories)
    }

    /// `uid`, `uid:gid`, `name` or `name:group`; names are looked up in the image's
    /// /etc/passwd and /etc/group (the topmost layer that has the file).
    static func resolve(user: String, layers: [String]) throws(RuntimeError) -> ContainerConfig.User {
        guard !user.isEmpty else { return ContainerConfig.User() }
        let parts = user.split(separator: ":", maxSplits: 1).map(String.init)
        let passwd = ImageFile.lines("/etc/passwd", in: layers)
        let entry = passwd.first { $0.first == parts[0] } ?? passwd.first { $0.count > 2 && $0[2] == parts[0] }
        guard let uid = UInt32(parts[0]) ?? entry.flatMap({ $0.count > 2 ? UInt32($0[2]) : nil }) else {
            throw .invalidConfig("user \(parts[0]) is not a number and not in the image's /etc/passwd")
        }
        var gid = entry.flatMap { $0.count > 3 ? UInt32($0[3]) : nil } ?? uid
        if parts.count == 2 {
            let groups = ImageFile.lines("/etc/group", in: layers)
            guard let named = UInt32(parts[1]) ?? groups.first(where: { $0.first == parts[1] }).flatMap({ $0.count > 2 ? UInt32($0[2]) : nil }) else {
                throw .invalidConfig("group \(parts[1]) is not a number and not in the image's /etc/group")
            }
            gid = named
        }
        return ContainerConfig.User(uid: uid, gid: gid)
    }
}

/// Reads a file of an image as the container would see it: from the topmost layer
/// that has it (a whiteout hides lower ones; none of these files are ever whited out
/// in practice, so a missing file simply falls through).
enum ImageFile {
    static func lines(_ path: String, in layers: [String]) -> [[String]] {
        for layer in layers {
            guard let text = try? String(contentsOfFile: layer + path, encoding: .utf8) else { continue }
            return text.split(separator: "\n").map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
        }
        return []
    }
}
