/// Where one container's files live: `<root>/containers/<id>/`.
public struct ContainerPaths: Sendable, Hashable {
    public let directory: String

    init(root: String, id: String) {
        directory = "\(root)/containers/\(id)"
    }

    /// The runtime's record of the container (config and state).
    var record: String { "\(directory)/container.json" }
    /// The spec handed to skiff-shim, kept so a user can see what the container got.
    var shimSpec: String { "\(directory)/shim.spec" }
    /// Written by the shim when the container has exited.
    var exitFile: String { "\(directory)/exit.json" }
    var rootfsMount: String { "\(directory)/rootfs" }
    var upper: String { "\(directory)/upper" }
    var work: String { "\(directory)/work" }
    var defaultLog: String { "\(directory)/container.log" }
    /// The monitor's attach socket (output stream, stdin, terminal size).
    var attachSocket: String { "\(directory)/attach.sock" }
}
