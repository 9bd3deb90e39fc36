/// Where the runtime keeps its state unless told otherwise.
public enum RuntimeDefaults {
    /// Containers, logs and images live under this directory (`--root`).
    public static let rootDirectory = "/var/lib/skiff/runtime"
    /// The cgroup, relative to the agent's own, that every pod and container nests under.
    public static let cgroupParent = "skiff"
}
