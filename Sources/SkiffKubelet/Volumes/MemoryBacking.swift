/// How the volumes upstream keeps in memory (emptyDir `medium: Memory`, secret,
/// projected and downwardAPI volumes) are made on this node.
public enum MemoryBacking: Sendable, Hashable {
    /// A tmpfs mounted on the volume's directory, as upstream does, so secrets never
    /// reach a disk. Needs CAP_SYS_ADMIN: the kubelet runs as root.
    case tmpfs
    /// A plain directory on the pods directory's filesystem: for tests without root.
    case plainDirectory
}
