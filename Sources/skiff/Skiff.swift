import ArgumentParser
import SkiffAPIServer

/// The one binary that holds every Skiff component, k3s-style.
@main
struct Skiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skiff",
        abstract: "A compact Kubernetes.",
        version: SkiffVersion.gitVersion,
        subcommands: [
            ServerCommand.self, APIServerCommand.self, SchedulerCommand.self, ControllerManagerCommand.self, KubeletCommand.self,
            AgentCommand.self, ProxyCommand.self,
            RuntimeCommand.self, ImageCommand.self, StoreCommand.self, LabCommand.self, BenchCommand.self,
            VersionCommand.self,
        ]
    )
}

enum SkiffVersion {
    /// The Kubernetes version whose API Skiff serves, as semver (kubectl parses it).
    static let gitVersion = ServerVersion.gitVersion
}

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")

    func run() {
        print("skiff \(SkiffVersion.gitVersion)")
    }
}
