import Foundation
import SkiffAPI
import SkiffRuntime

/// What the kubelet already has in place for a pod when it makes one of its containers.
public struct PodSandboxPaths: Sendable, Hashable {
    /// Namespaces the pod's containers share (kept by bind mounts; nil: the host's, for
    /// hostNetwork and hostIPC pods).
    public var network: String?
    public var ipc: String?
    public var uts: String?
    /// The pod's managed /etc/hosts, /etc/resolv.conf and /etc/hostname.
    public var hosts: String?
    public var resolvConf: String?
    public var hostname: String?

    public init(network: String? = nil, ipc: String? = nil, uts: String? = nil, hosts: String? = nil,
                resolvConf: String? = nil, hostname: String? = nil) {
        self.network = network
        self.ipc = ipc
        self.uts = uts
        self.hosts = hosts
        self.resolvConf = resolvConf
        self.hostname = hostname
    }
}

/// Turns one container of a pod into the runtime's `ContainerConfig`: process from the
/// image and the spec, environment, security context, resources, namespaces, volume
/// mounts, log path — the kubelet's generateContainerConfig.
public struct PodContainerConfig {
    public var pod: Pod
    public var container: Container
    public var image: Image
    public var restartCount: Int
    public var sandbox: PodSandboxPaths
    /// Host paths of the pod's volumes by name, prepared by the volume manager.
    public var volumes: [String: String]
    /// Where the container's termination message file lives on the host.
    public var terminationMessageFile: String?
    public var logDirectory: String
    public var nodeAllocatable: ResourceList
    public var configSource: any PodConfigSource

    public init(
        pod: Pod, container: Container, image: Image, restartCount: Int = 0, sandbox: PodSandboxPaths,
        volumes: [String: String] = [:], terminationMessageFile: String? = nil, logDirectory: String = "/var/log/pods",
        nodeAllocatable: ResourceList = [:], configSource: any PodConfigSource
    ) {
        self.pod = pod
        self.container = container
        self.image = image
        self.restartCount = restartCount
        self.sandbox = sandbox
        self.volumes = volumes
        self.terminationMessageFile = terminationMessageFile
        self.logDirectory = logDirectory
        self.nodeAllocatable = nodeAllocatable
        self.configSource = configSource
    }

    /// `/var/log/pods/<namespace>_<name>_<uid>/<container>/<restartCount>.log`, where
    /// `kubectl logs` (through the kubelet) and log collectors look.
    public var logPath: String {
        let metadata = pod.metadata
        return "\(logDirectory)/\(metadata.namespace ?? "default")_\(metadata.name ?? "")_\(metadata.uid ?? "")/\(container.name)/\(restartCount).log"
    }

    public func build() async throws -> ContainerConfig {
        let security = try ContainerSecurity(pod: pod.spec, container: container)
        let environment = try await EnvironmentBuilder(
            pod: pod, container: container, source: configSource, nodeAllocatable: nodeAllocatable
        ).build()
        let variables = Dictionary(environment, uniquingKeysWith: { $1 })
        func expanded(_ list: [String]?) -> [String]? { list?.map { VariableExpansion.expand($0) { variables[$0] } } }
        let process = try ImageProcess(
            image: image, command: expanded(container.command), args: expanded(container.args),
            environment: environment.map { "\($0.0)=\($0.1)" }, workingDirectory: container.workingDir)
        var config = ContainerConfig(
            command: process.command, environment: process.environment, workingDirectory: process.workingDirectory,
            user: try security.user(imageUser: process.user), rootfs: .layers(image.layerDirectories),
            readOnlyRootFilesystem: security.readOnlyRootFilesystem, namespaces: namespaces(),
            mounts: try mounts(), capabilities: security.capabilities, privileged: security.privileged,
            seccomp: security.seccomp, noNewPrivileges: security.noNewPrivileges, resources: resources(),
            cgroupGroup: pod.metadata.uid.map { "pod-\($0)" }, tty: container.tty ?? false,
            stdin: container.stdin ?? false, stdinOnce: container.stdinOnce ?? false, logPath: logPath,
            labels: labels())
        if sandbox.uts == nil && pod.spec.hostNetwork != true {
            config.hostname = pod.spec.hostname ?? pod.metadata.name
        }
        return config
    }

    private func namespaces() -> [ContainerConfig.Namespace] {
        var namespaces: [ContainerConfig.Namespace] = [.init(.mount), .init(.cgroup)]
        if pod.spec.hostPID != true { namespaces.append(.init(.pid)) }
        if pod.spec.hostNetwork != true { namespaces.append(.init(.network, joinPath: sandbox.network)) }
        if pod.spec.hostIPC != true { namespaces.append(.init(.ipc, joinPath: sandbox.ipc)) }
        // hostNetwork pods see the node's hostname, so they share its UTS namespace.
        if pod.spec.hostNetwork != true { namespaces.append(.init(.uts, joinPath: sandbox.uts)) }
        return namespaces
    }

    private func mounts() throws(ContainerConfigError) -> [ContainerConfig.Mount] {
        var mounts: [ContainerConfig.Mount] = []
        let own = Set((container.volumeMounts ?? []).map(\.mountPath))
        // The kubelet manages these files unless the container mounts something there.
        for (file, target) in [(sandbox.hosts, "/etc/hosts"), (sandbox.resolvConf, "/etc/resolv.conf"), (sandbox.hostname, "/etc/hostname")] {
            if let file, !own.contains(target) { mounts.append(.init(source: file, target: target)) }
        }
        for mount in container.volumeMounts ?? [] {
            guard let volume = volumes[mount.name] else {
                throw ContainerConfigError("volume \(mount.name) of mount \(mount.mountPath) is not ready")
            }
            var source = volume
            if let subPath = mount.subPath, !subPath.isEmpty {
                let components = subPath.split(separator: "/")
                guard !subPath.hasPrefix("/"), !components.contains("..") else {
                    throw ContainerConfigError("subPath \(subPath) of volume \(mount.name) must be relative and not contain '..'")
                }
                source = volume + "/" + subPath
            }
            let readOnly = (mount.readOnly ?? false) || Self.alwaysReadOnly(volume: mount.name, in: pod)
            mounts.append(.init(source: source, target: mount.mountPath, readOnly: readOnly))
        }
        if let file = terminationMessageFile {
            mounts.append(.init(source: file, target: container.terminationMessagePath ?? "/dev/termination-log"))
        }
        return mounts
    }

    /// Upstream mounts configMap, secret, downwardAPI and projected volumes read-only
    /// whatever the mount says: the kubelet owns their content.
    static func alwaysReadOnly(volume name: String, in pod: Pod) -> Bool {
        guard let volume = pod.spec.volumes?.first(where: { $0.name == name }) else { return false }
        return volume.configMap != nil || volume.secret != nil || volume.downwardAPI != nil || volume.projected != nil
    }

    private func resources() -> ContainerResources {
        let requests = container.resources.requests ?? [:], limits = container.resources.limits ?? [:]
        return ContainerResources(
            cpuRequestMillis: (requests["cpu"] ?? limits["cpu"]).map { Int($0.milliValue) },
            cpuLimitMillis: limits["cpu"].map { Int($0.milliValue) },
            memoryLimitBytes: limits["memory"]?.value)
    }

    private func labels() -> [String: String] {
        [
            "io.kubernetes.pod.uid": pod.metadata.uid ?? "",
            "io.kubernetes.pod.namespace": pod.metadata.namespace ?? "",
            "io.kubernetes.pod.name": pod.metadata.name ?? "",
            "io.kubernetes.container.name": container.name,
            "io.kubernetes.container.restartCount": String(restartCount),
        ]
    }
}
