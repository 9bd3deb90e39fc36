import ArgumentParser
import Logging
import SkiffLab
import SkiffRuntime

/// `skiff lab load-image PATH`: an OCI layout (or its tar) into every node's
/// image store, as `kind load image-archive` does.
struct LabLoadImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-image", abstract: "Import an OCI layout directory or archive into every node of the lab.")

    @OptionGroup var lab: LabSelection

    @Argument(help: "An OCI image layout directory, or a tar archive of one.")
    var path: String

    @Option(help: "The name for entries the layout names by tag only (e.g. busybox).")
    var baseName: String?

    func run() async throws {
        let state = try lab.load()
        var logger = Logger(label: "skiff.images")
        logger.logLevel = .warning
        try await reportingImageErrors {
            let base = try baseName.map { text throws(ImageError) in try ImageReference(parsing: text) }
            for node in state.plan.nodes {
                let imported = try await ImageStore(root: node.imageStore, logger: logger).importLayout(path: path, baseName: base)
                print("\(node.name): imported \(imported.map { "\($0.reference)" }.joined(separator: ", "))")
            }
        }
    }
}
