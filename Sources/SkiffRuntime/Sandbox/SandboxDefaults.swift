/// Where pod sandboxes live unless told otherwise.
public enum SandboxDefaults {
    /// Pinned namespaces (`netns/`, `ipcns/`, `utsns/`): on tmpfs, so a reboot, which
    /// ends every namespace anyway, leaves no stale pins.
    public static let runDirectory = "/run/skiff"
    /// Per-pod records and files (hosts, resolv.conf, hostname), and CNI's cached
    /// results: these outlive a reboot, so leases of pods that died with it are released.
    public static let stateDirectory = "/var/lib/skiff/sandboxes"
    /// Debian's containernetworking-plugins first, then the upstream install location.
    public static let pluginDirectories = ["/usr/lib/cni", "/opt/cni/bin"]
    /// host-local's leases (one file per address), kept with Skiff's state.
    public static let ipamDataDirectory = "/var/lib/skiff/cni/networks"
    /// The pod network interface's name inside the pod.
    public static let interfaceName = "eth0"
}
