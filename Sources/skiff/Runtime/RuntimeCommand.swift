import ArgumentParser
import Foundation
import SkiffRuntime

/// `skiff runtime …`: the container runtime on its own, as `ctr` is for containerd.
struct RuntimeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runtime",
        abstract: "Run containers with Skiff's runtime alone (no cluster).",
        subcommands: [
            RuntimeRunCommand.self, RuntimeExecCommand.self, RuntimePsCommand.self, RuntimeLogsCommand.self,
            RuntimeStopCommand.self, RuntimeRmCommand.self,
        ]
    )
}

struct RuntimeRootOption: ParsableArguments {
    @Option(name: .long, help: "The runtime's state directory (images live in its images/).")
    var root = RuntimeDefaults.rootDirectory

    @Option(help: "The cgroup, under this process's own, that containers nest in.")
    var cgroupParent = RuntimeDefaults.cgroupParent

    func runtime() throws -> ContainerRuntime {
        try ContainerRuntime(root: root, cgroups: CgroupManager(parent: cgroupParent))
    }

    func images() throws -> ImageStore {
        try ImageStore(root: root + "/images")
    }
}

struct RuntimePsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ps", abstract: "List containers.")
    @OptionGroup var root: RuntimeRootOption

    func run() async throws {
        let records = await (try root.runtime()).list()
        var rows = [["CONTAINER", "STATE", "PID", "EXIT", "CREATED", "COMMAND"]]
        for record in records {
            rows.append([
                record.id, record.state.rawValue, record.pid.map(String.init) ?? "-",
                record.exit.map { "\($0.exitCode) (\($0.reason))" } ?? "-",
                Self.age(record.createdAt), record.config.command.joined(separator: " "),
            ])
        }
        print(TextTable.render(rows))
    }

    static func age(_ date: Date) -> String {
        let seconds = Int(Date().timeIntervalSince(date))
        if seconds < 120 { return "\(seconds)s" }
        if seconds < 7200 { return "\(seconds / 60)m" }
        return "\(seconds / 3600)h"
    }
}

struct RuntimeLogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logs", abstract: "Print a container's log.")
    @OptionGroup var root: RuntimeRootOption
    @Argument(help: "The container.") var id: String
    @Flag(name: .shortAndLong, help: "Keep printing as the container writes.") var follow = false
    @Option(help: "Only the last N lines.") var tail: Int?
    @Flag(help: "Prefix each line with its timestamp.") var timestamps = false

    func run() async throws {
        let runtime = try root.runtime()
        let record = try await runtime.status(id: id)
        let options = LogReadOptions(tailLines: tail, timestamps: timestamps)
        guard follow else {
            FileHandle.standardOutput.write(Data(CRILogReader.render(CRILogReader.read(record.logPath, options: options), options: options).utf8))
            return
        }
        let id = self.id
        for await line in CRILogFollower.follow(record.logPath, options: options, isDone: {
            (try? await runtime.status(id: id).state) != .running
        }) {
            let handle = line.stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError
            handle.write(Data(line.rendered(timestamps: timestamps).utf8))
        }
    }
}

struct RuntimeStopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop a container: SIGTERM, then SIGKILL.")
    @OptionGroup var root: RuntimeRootOption
    @Argument(help: "The container.") var id: String
    @Option(help: "Seconds between SIGTERM and SIGKILL.") var time: Double = 10

    func run() async throws {
        let record = try await root.runtime().stop(id: id, gracePeriod: time)
        print("\(id) \(record.exit.map { "exited \($0.exitCode) (\($0.reason))" } ?? record.state.rawValue)")
    }
}

struct RuntimeRmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove containers.")
    @OptionGroup var root: RuntimeRootOption
    @Argument(help: "The containers.") var ids: [String]
    @Flag(name: .shortAndLong, help: "Kill running containers first.") var force = false

    func run() async throws {
        let runtime = try root.runtime()
        for id in ids {
            if force { try await runtime.stop(id: id, gracePeriod: 0) }
            try await runtime.remove(id: id)
            print(id)
        }
    }
}
