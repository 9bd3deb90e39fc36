/// Everything a container is made of, as the kubelet (or `skiff runtime run`) asks for it.
/// Persisted with the container, so the runtime can restart without its caller.
public struct ContainerConfig: Codable, Sendable, Hashable {
    /// The process: argv[0] is looked up on the container's PATH unless it has a slash.
    public var command: [String]
    /// `KEY=VALUE` entries, in order.
    public var environment: [String]
    public var workingDirectory: String?
    public var user: User
    public var hostname: String?
    public var rootfs: Rootfs
    public var readOnlyRootFilesystem: Bool
    /// Namespaces; a kind that is absent is shared with the host (hostNetwork, hostPID…).
    public var namespaces: [Namespace]
    /// Volumes, mounted after the standard /proc, /dev and /sys.
    public var mounts: [Mount]
    public var capabilities: Capabilities
    public var privileged: Bool
    public var seccomp: SeccompProfile
    /// Kubernetes' `allowPrivilegeEscalation: false`.
    public var noNewPrivileges: Bool
    public var resources: ContainerResources
    /// The cgroup the container nests in below the runtime's parent, e.g. `pod-<uid>`.
    public var cgroupGroup: String?
    public var tty: Bool
    /// Keep stdin open for attach (Kubernetes' `stdin`); without it stdin is /dev/null.
    public var stdin: Bool
    /// Close stdin when the first attach session ends (Kubernetes' `stdinOnce`).
    public var stdinOnce: Bool
    public var oomScoreAdjust: Int?
    /// Where the CRI log goes; by default `container.log` in the container's directory.
    public var logPath: String?
    public var logMaxBytes: Int
    public var logMaxFiles: Int
    /// Caller's bookkeeping (pod uid, container name…), kept and listed as given.
    public var labels: [String: String]

    public init(
        command: [String], environment: [String] = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
        workingDirectory: String? = nil, user: User = User(), hostname: String? = nil, rootfs: Rootfs,
        readOnlyRootFilesystem: Bool = false, namespaces: [Namespace] = Namespace.Kind.allCases.map { Namespace($0) },
        mounts: [Mount] = [], capabilities: Capabilities = Capabilities(), privileged: Bool = false,
        seccomp: SeccompProfile = .runtimeDefault, noNewPrivileges: Bool = false,
        resources: ContainerResources = ContainerResources(), cgroupGroup: String? = nil, tty: Bool = false,
        stdin: Bool = false, stdinOnce: Bool = false,
        oomScoreAdjust: Int? = nil, logPath: String? = nil, logMaxBytes: Int = 10 << 20, logMaxFiles: Int = 5,
        labels: [String: String] = [:]
    ) {
        self.command = command
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.user = user
        self.hostname = hostname
        self.rootfs = rootfs
        self.readOnlyRootFilesystem = readOnlyRootFilesystem
        self.namespaces = namespaces
        self.mounts = mounts
        self.capabilities = capabilities
        self.privileged = privileged
        self.seccomp = seccomp
        self.noNewPrivileges = noNewPrivileges
        self.resources = resources
        self.cgroupGroup = cgroupGroup
        self.tty = tty
        self.stdin = stdin
        self.stdinOnce = stdinOnce
        self.oomScoreAdjust = oomScoreAdjust
        self.logPath = logPath
        self.logMaxBytes = logMaxBytes
        self.logMaxFiles = logMaxFiles
        self.labels = labels
    }

    public struct User: Codable, Sendable, Hashable {
        public var uid: UInt32
        public var gid: UInt32
        public var additionalGroups: [UInt32]
        public init(uid: UInt32 = 0, gid: UInt32 = 0, additionalGroups: [UInt32] = []) {
            self.uid = uid
            self.gid = gid
            self.additionalGroups = additionalGroups
        }
    }

    public enum Rootfs: Codable, Sendable, Hashable {
        /// Image layers as overlayfs lower directories, topmost first; the container
        /// writes into its own upper directory.
        case layers([String])
        /// A ready directory used as is (an OCI bundle's rootfs).
        case directory(String)
    }

    public struct Namespace: Codable, Sendable, Hashable {
        public enum Kind: String, Codable, Sendable, CaseIterable {
            case mount = "mnt", pid, ipc, uts, network = "net", cgroup
        }
        public var kind: Kind
        /// A namespace to join (e.g. the pod's network namespace, kept by a bind mount);
        /// nil creates a new one.
        public var joinPath: String?
        public init(_ kind: Kind, joinPath: String? = nil) {
            self.kind = kind
            self.joinPath = joinPath
        }
    }

    public struct Mount: Codable, Sendable, Hashable {
        public var source: String
        public var target: String
        public var readOnly: Bool
        /// tmpfs (emptyDir medium Memory) instead of a bind mount; `source` is ignored.
        public var tmpfsSizeBytes: Int?
        public init(source: String, target: String, readOnly: Bool = false, tmpfsSizeBytes: Int? = nil) {
            self.source = source
            self.target = target
            self.readOnly = readOnly
            self.tmpfsSizeBytes = tmpfsSizeBytes
        }
    }

    public struct Capabilities: Codable, Sendable, Hashable {
        public var add: [String]
        public var drop: [String]
        public init(add: [String] = [], drop: [String] = []) {
            self.add = add
            self.drop = drop
        }
    }
}

/// Compute resources, in Kubernetes' units.
public struct ContainerResources: Codable, Sendable, Hashable {
    public var cpuRequestMillis: Int?
    public var cpuLimitMillis: Int?
    public var memoryLimitBytes: Int64?
    public var pidsLimit: Int?
    public init(cpuRequestMillis: Int? = nil, cpuLimitMillis: Int? = nil, memoryLimitBytes: Int64? = nil, pidsLimit: Int? = nil) {
        self.cpuRequestMillis = cpuRequestMillis
        self.cpuLimitMillis = cpuLimitMillis
        self.memoryLimitBytes = memoryLimitBytes
        self.pidsLimit = pidsLimit
    }
}
