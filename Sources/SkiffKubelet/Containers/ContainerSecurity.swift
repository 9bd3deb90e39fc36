import SkiffAPI
import SkiffRuntime

/// A container's securityContext (over the pod's) in the runtime's terms.
struct ContainerSecurity {
    var capabilities: ContainerConfig.Capabilities
    var privileged: Bool
    var noNewPrivileges: Bool
    var readOnlyRootFilesystem: Bool
    var seccomp: SkiffRuntime.SeccompProfile
    /// Set when the pod or container says so; otherwise the image's user applies.
    var runAsUser: UInt32?
    var runAsGroup: UInt32?
    var runAsNonRoot: Bool
    /// supplementalGroups and fsGroup, which every container process gets.
    var additionalGroups: [UInt32]

    init(pod: PodSpec, container: Container) throws(ContainerConfigError) {
        let own = container.securityContext
        let shared = pod.securityContext
        privileged = own?.privileged ?? false
        capabilities = .init(add: own?.capabilities?.add ?? [], drop: own?.capabilities?.drop ?? [])
        // allowPrivilegeEscalation defaults to true, and is true for privileged containers
        // or with CAP_SYS_ADMIN (validation refuses false there).
        noNewPrivileges = own?.allowPrivilegeEscalation == false
        readOnlyRootFilesystem = own?.readOnlyRootFilesystem ?? false
        seccomp = try Self.seccomp(own?.seccompProfile ?? shared?.seccompProfile)
        runAsUser = try Self.identity(own?.runAsUser ?? shared?.runAsUser, "runAsUser")
        runAsGroup = try Self.identity(own?.runAsGroup ?? shared?.runAsGroup, "runAsGroup")
        runAsNonRoot = own?.runAsNonRoot ?? shared?.runAsNonRoot ?? false
        var groups: [UInt32] = []
        for group in (shared?.supplementalGroups ?? []) + [shared?.fsGroup].compactMap({ $0 }) {
            if let id = try Self.identity(group, "supplementalGroups"), !groups.contains(id) { groups.append(id) }
        }
        additionalGroups = groups
    }

    /// Skiff runs RuntimeDefault unless a pod asks otherwise (the kubelet's
    /// `seccompDefault: true`), so every container is filtered by default.
    static func seccomp(_ profile: SkiffAPI.SeccompProfile?) throws(ContainerConfigError) -> SkiffRuntime.SeccompProfile {
        switch profile?.type {
        case nil, "RuntimeDefault": return .runtimeDefault
        case "Unconfined": return .unconfined
        case let other?: throw ContainerConfigError("seccomp profile type \(other) is not supported (RuntimeDefault or Unconfined)")
        }
    }

    static func identity(_ value: Int64?, _ field: String) throws(ContainerConfigError) -> UInt32? {
        guard let value else { return nil }
        guard let id = UInt32(exactly: value) else { throw ContainerConfigError("\(field) \(value) is out of range") }
        return id
    }

    /// The user the process runs as: the image's, overridden by runAsUser/runAsGroup;
    /// runAsNonRoot refuses uid 0 as the kubelet does.
    func user(imageUser: ContainerConfig.User) throws(ContainerConfigError) -> ContainerConfig.User {
        let uid = runAsUser ?? imageUser.uid
        let gid = runAsGroup ?? (runAsUser == nil ? imageUser.gid : 0)
        if runAsNonRoot && uid == 0 {
            throw ContainerConfigError("container has runAsNonRoot and image will run as root")
        }
        return ContainerConfig.User(uid: uid, gid: gid, additionalGroups: additionalGroups)
    }
}
