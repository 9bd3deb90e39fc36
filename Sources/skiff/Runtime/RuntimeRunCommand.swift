import ArgumentParser
import Foundation
import SkiffAPI
import SkiffRuntime

struct RuntimeRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Create and start a container, and print its output until it exits.",
        discussion: "Example: skiff runtime run --rootfs /srv/busybox --rm -- sh -c 'echo hello'"
    )

    @OptionGroup var root: RuntimeRootOption
    @Option(help: "The image to run (pulled when the store lacks it).") var image: String?
    @Option(name: .customLong("insecure-registry"), help: "A registry (HOST:PORT) to reach over plain http. Repeatable.")
    var insecureRegistries: [String] = []
    @Option(help: "A root filesystem directory to run from instead of an image (used as is).") var rootfs: String?
    @Option(help: "Memory limit, as Kubernetes writes it (64Mi, 1Gi).") var memory: String?
    @Option(help: "CPU limit, as Kubernetes writes it (500m, 2).") var cpus: String?
    @Option(help: "Most processes the container may have.") var pidsLimit: Int?
    @Option(help: "The container's id (default: a random one).") var name: String?
    @Option(name: .shortAndLong, help: "NAME=VALUE for the environment (repeatable).") var env: [String] = []
    @Option(help: "The hostname inside the container.") var hostname: String?
    @Option(name: .shortAndLong, help: "The working directory inside the container.") var workdir: String?
    @Option(help: "uid[:gid] to run as.") var user: String?
    @Option(help: "Capabilities to add (repeatable; ALL for every one).") var capAdd: [String] = []
    @Option(help: "Capabilities to drop (repeatable; ALL for every one).") var capDrop: [String] = []
    @Option(help: "RuntimeDefault or Unconfined.") var seccomp = "RuntimeDefault"
    @Flag(help: "All capabilities, no seccomp, no masked paths.") var privileged = false
    @Flag(help: "Set no_new_privs (allowPrivilegeEscalation: false).") var noNewPrivileges = false
    @Flag(help: "Mount the root filesystem read-only.") var readOnly = false
    @Option(help: "Share the host's network namespace (host) or make one (none).") var net = "none"
    @Flag(name: .shortAndLong, help: "Start and return; the container runs on.") var detach = false
    @Flag(name: .shortAndLong, help: "Give the container a terminal (its output is logged as stdout).") var tty = false
    @Flag(help: "Remove the container when it exits.") var rm = false
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments (after --).") var command: [String]

    func validate() throws {
        guard (image == nil) != (rootfs == nil) else { throw ValidationError("give one of --image and --rootfs") }
        guard !command.isEmpty || image != nil else { throw ValidationError("give the command to run after --") }
        guard SeccompProfile(rawValue: seccomp) != nil else { throw ValidationError("--seccomp is RuntimeDefault or Unconfined") }
        guard net == "none" || net == "host" else { throw ValidationError("--net is none or host") }
        guard !(detach && rm) else { throw ValidationError("--rm needs to wait for the exit; drop --detach") }
    }

    func run() async throws {
        let runtime = try root.runtime()
        let id = name ?? "c" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(12)
        var namespaces = ContainerConfig.Namespace.Kind.allCases.map { ContainerConfig.Namespace($0) }
        if net == "host" { namespaces.removeAll { $0.kind == .network } }
        let arguments = command.first == "--" ? Array(command.dropFirst()) : command
        var config = ContainerConfig(
            command: arguments, environment: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] + env,
            workingDirectory: workdir, user: try parseUser(), hostname: hostname ?? id,
            rootfs: .directory(URL(fileURLWithPath: rootfs ?? "/").standardizedFileURL.path), readOnlyRootFilesystem: readOnly,
            namespaces: namespaces, capabilities: .init(add: capAdd, drop: capDrop), privileged: privileged,
            seccomp: SeccompProfile(rawValue: seccomp)!, noNewPrivileges: noNewPrivileges,
            resources: try resources(), tty: tty)
        if let image {
            let found = try await self.image(ImageReference(parsing: image))
            let process = try ImageProcess(
                image: found, args: arguments.isEmpty ? nil : arguments, environment: env, workingDirectory: workdir, user: user)
            config.command = process.command
            config.environment = process.environment
            config.workingDirectory = process.workingDirectory
            config.user = process.user
            config.rootfs = .layers(found.layerDirectories)
        }
        _ = try await runtime.create(id: id, config: config)
        let record: ContainerRecord
        do { record = try await runtime.start(id: id) } catch {
            try? await runtime.remove(id: id)
            throw error
        }
        if detach {
            print(id)
            return
        }
        for await line in CRILogFollower.follow(record.logPath, isDone: { (try? await runtime.status(id: id).state) != .running }) {
            let handle = line.stream == .stdout ? FileHandle.standardOutput : FileHandle.standardError
            handle.write(Data(line.rendered(timestamps: false).utf8))
        }
        let exit = await runtime.waitForExit(id: id, timeout: 10).exit
        if rm { try await runtime.remove(id: id) }
        if let exit, exit.exitCode != 0 {
            FileHandle.standardError.write(Data("\(id) exited \(exit.exitCode) (\(exit.reason))\n".utf8))
            throw ExitCode(exit.exitCode)
        }
    }

    /// The image from the store, pulled first when it is not there (IfNotPresent).
    private func image(_ reference: ImageReference) async throws -> Image {
        let store = try root.images()
        if let present = try store.image(for: reference) { return present }
        return try await store.pull(reference, insecureRegistries: Set(insecureRegistries))
    }

    private func resources() throws -> ContainerResources {
        func quantity(_ text: String?, _ flag: String) throws -> Quantity? {
            guard let text else { return nil }
            do { return try Quantity(parsing: text) } catch { throw ValidationError("\(flag) \(text) is not a quantity") }
        }
        return ContainerResources(
            cpuLimitMillis: try quantity(cpus, "--cpus").map { Int($0.milliValue) },
            memoryLimitBytes: try quantity(memory, "--memory")?.value, pidsLimit: pidsLimit)
    }

    private func parseUser() throws -> ContainerConfig.User {
        guard let user, image == nil else { return ContainerConfig.User() }   // images resolve names
        let parts = user.split(separator: ":")
        guard let uid = UInt32(parts[0]), parts.count <= 2 else { throw ValidationError("--user is uid[:gid] in numbers") }
        guard let gid = parts.count == 2 ? UInt32(parts[1]) : uid else { throw ValidationError("--user is uid[:gid] in numbers") }
        return ContainerConfig.User(uid: uid, gid: gid)
    }
}

struct RuntimeExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec", abstract: "Run a command in a running container, with this terminal's stdio.")
    @OptionGroup var root: RuntimeRootOption
    @Argument(help: "The container.") var id: String
    @Flag(name: .shortAndLong, help: "The command gets this terminal as its controlling terminal.") var tty = false
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments (after --).") var command: [String]

    func run() async throws {
        let arguments = command.first == "--" ? Array(command.dropFirst()) : command
        guard !arguments.isEmpty else { throw ValidationError("give the command to run after --") }
        let session = try await root.runtime().exec(id: id, ExecProcessConfig(command: arguments, tty: tty), stdio: (0, 1, 2))
        let code = await session.wait()
        if code != 0 { throw ExitCode(code) }
    }
}
