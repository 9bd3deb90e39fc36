/// Linux capabilities by the names Kubernetes uses (`NET_ADMIN` or `CAP_NET_ADMIN`).
public enum Capability {
    /// Kernel numbers, from linux/capability.h.
    static let numbers: [String: Int] = [
        "CHOWN": 0, "DAC_OVERRIDE": 1, "DAC_READ_SEARCH": 2, "FOWNER": 3, "FSETID": 4, "KILL": 5,
        "SETGID": 6, "SETUID": 7, "SETPCAP": 8, "LINUX_IMMUTABLE": 9, "NET_BIND_SERVICE": 10,
        "NET_BROADCAST": 11, "NET_ADMIN": 12, "NET_RAW": 13, "IPC_LOCK": 14, "IPC_OWNER": 15,
        "SYS_MODULE": 16, "SYS_RAWIO": 17, "SYS_CHROOT": 18, "SYS_PTRACE": 19, "SYS_PACCT": 20,
        "SYS_ADMIN": 21, "SYS_BOOT": 22, "SYS_NICE": 23, "SYS_RESOURCE": 24, "SYS_TIME": 25,
        "SYS_TTY_CONFIG": 26, "MKNOD": 27, "LEASE": 28, "AUDIT_WRITE": 29, "AUDIT_CONTROL": 30,
        "SETFCAP": 31, "MAC_OVERRIDE": 32, "MAC_ADMIN": 33, "SYSLOG": 34, "WAKE_ALARM": 35,
        "BLOCK_SUSPEND": 36, "AUDIT_READ": 37, "PERFMON": 38, "BPF": 39, "CHECKPOINT_RESTORE": 40,
    ]

    /// containerd's default set for non-privileged containers.
    public static let defaultSet: Set<String> = [
        "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID",
        "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE",
    ]

    /// Every capability, for privileged containers and `add: [ALL]`.
    public static var all: Set<String> { Set(numbers.keys) }

    /// The name without a `CAP_` prefix, upper-cased; nil if the kernel has no such capability.
    public static func canonicalName(_ name: String) -> String? {
        var upper = name.uppercased()
        if upper.hasPrefix("CAP_") { upper.removeFirst(4) }
        return numbers[upper] == nil ? nil : upper
    }

    /// The set a container gets: the default (or every capability when privileged),
    /// then `drop` (ALL empties it), then `add` (ALL fills it), as containerd applies them.
    public static func effectiveSet(add: [String], drop: [String], privileged: Bool) throws(RuntimeError) -> Set<String> {
        if privileged { return all }
        var result = defaultSet
        for name in drop {
            if name.uppercased() == "ALL" { result.removeAll(); continue }
            guard let canonical = canonicalName(name) else { throw .invalidConfig("unknown capability \(name)") }
            result.remove(canonical)
        }
        for name in add {
            if name.uppercased() == "ALL" { result = all; continue }
            guard let canonical = canonicalName(name) else { throw .invalidConfig("unknown capability \(name)") }
            result.insert(canonical)
        }
        return result
    }
}
