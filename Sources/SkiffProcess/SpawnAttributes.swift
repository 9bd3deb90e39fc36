#if canImport(Glibc)
import Glibc
#endif

/// posix_spawn attributes for children that must not inherit the caller's signal
/// state: test runners, agents and Swift's own threads block signals, and a
/// container's shim, a CNI plugin (and the iptables it runs), a lab component or
/// an iptables-restore must start with an empty mask and default dispositions.
/// `extraFlags` adds POSIX_SPAWN_* flags (a new session, say). The caller destroys
/// the attributes.
public func initCleanSignalAttributes(_ attributes: inout posix_spawnattr_t, extraFlags: Int32 = 0) {
    posix_spawnattr_init(&attributes)
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | extraFlags))
}
