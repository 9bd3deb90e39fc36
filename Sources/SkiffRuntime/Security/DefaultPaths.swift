/// The paths every non-privileged container gets hidden or read-only, as containerd's
/// defaults (and so as Kubernetes' `procMount: Default`).
public enum DefaultPaths {
    /// Masked: a directory becomes an empty read-only tmpfs, a file /dev/null.
    public static let masked = [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
        "/sys/firmware", "/sys/devices/virtual/powercap",
    ]

    /// Bound read-only over themselves.
    public static let readOnly = [
        "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
    ]
}
