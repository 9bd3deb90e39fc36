import ArgumentParser
import Foundation
import Logging
import SkiffRuntime

/// `skiff image …`: the node's image store, like `crictl images|pull|rmi` and
/// `ctr images import`.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Pull, import, list and remove the node's container images.",
        subcommands: [
            ImagePullCommand.self, ImageImportCommand.self, ImageListCommand.self, ImageRemoveCommand.self,
            ImagePruneCommand.self,
        ]
    )
}

/// Where the store is.
struct ImageStoreOptions: ParsableArguments {
    @Option(help: "The image store's directory.")
    var root = ImageStore.defaultRoot

    func open() throws -> ImageStore {
        var logger = Logger(label: "skiff.images")
        logger.logLevel = .warning
        return try ImageStore(root: root, logger: logger)
    }
}

/// Runs an image operation, reporting an ImageError as the command's failure.
func reportingImageErrors<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as ImageError {
        throw CommandFailure(error.description)
    }
}

struct ImagePullCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull", abstract: "Pull an image from its registry (linux/amd64).")

    @OptionGroup var store: ImageStoreOptions
    @Argument(help: "The image: busybox, library/busybox:1.36, 127.0.0.1:5000/app@sha256:….") var image: String
    @Option(name: .customLong("insecure-registry"), help: "A registry (HOST:PORT) to reach over plain http. Repeatable.")
    var insecureRegistries: [String] = []
    @Option(help: "Registry credentials as USERNAME:PASSWORD.") var creds: String?

    func run() async throws {
        try await reportingImageErrors {
            let reference = try ImageReference(parsing: image)
            let credentials = try creds.map { text throws(ImageError) in try RegistryCredentials(userColonPassword: text) }
            let pulled = try await store.open().pull(
                reference, credentials: credentials, insecureRegistries: Set(insecureRegistries))
            print("Image is up to date for \(pulled.id)")
        }
    }
}

struct ImageImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import the images of an OCI layout directory or archive (no registry needed).")

    @OptionGroup var store: ImageStoreOptions
    @Argument(help: "An OCI image layout directory, or a tar archive of one.") var path: String
    @Option(help: "The name for entries the layout names by tag only (e.g. busybox).") var baseName: String?

    func run() async throws {
        try await reportingImageErrors {
            let base = try baseName.map { text throws(ImageError) in try ImageReference(parsing: text) }
            for imported in try await store.open().importLayout(path: path, baseName: base) {
                print("imported \(imported.reference) \(imported.image.id)")
            }
        }
    }
}

struct ImageListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ls", abstract: "List the images, as crictl images does.", aliases: ["list"])

    @OptionGroup var store: ImageStoreOptions
    @Flag(name: .shortAndLong, help: "Print image IDs only.") var quiet = false

    func run() async throws {
        try await reportingImageErrors {
            let images = try store.open().list()
            if quiet {
                for image in images { print(image.id) }
                return
            }
            var rows = [["REPOSITORY", "TAG", "IMAGE ID", "SIZE"]]
            for image in images {
                for text in image.references {
                    let reference = try ImageReference(parsing: text)
                    rows.append([reference.name, reference.tag ?? "<none>", image.id.shortID, humanSize(image.size)])
                }
            }
            print(TextTable.render(rows))
        }
    }
}

struct ImageRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Remove images by reference or image ID, and the content only they used.",
        aliases: ["rmi"])

    @OptionGroup var store: ImageStoreOptions
    @Argument(help: "References or image IDs.") var images: [String]

    func validate() throws {
        guard !images.isEmpty else { throw ValidationError("name at least one image") }
    }

    func run() async throws {
        try await reportingImageErrors {
            let store = try store.open()
            for image in images {
                for reference in try store.remove(image).references { print("Deleted: \(reference)") }
            }
        }
    }
}

struct ImagePruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete blobs and snapshots no image uses, and what interrupted pulls left behind.")

    @OptionGroup var store: ImageStoreOptions

    func run() async throws {
        try await reportingImageErrors {
            let removal = try store.open().collectGarbage()
            print("deleted \(removal.deletedBlobs) blobs and \(removal.deletedSnapshots) snapshots")
        }
    }
}

/// Sizes as crictl prints them (go-units HumanSize: decimal units, 4 significant digits).
func humanSize(_ bytes: Int64) -> String {
    var value = Double(bytes)
    var unit = 0
    let units = ["B", "kB", "MB", "GB", "TB", "PB"]
    while value >= 1000, unit < units.count - 1 {
        value /= 1000
        unit += 1
    }
    return String(format: "%.4g", value) + units[unit]
}
