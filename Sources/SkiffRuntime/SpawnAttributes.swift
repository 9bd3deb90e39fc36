#if canImport(Glibc)
import Glibc
#endif

/// posix_spawn attributes for children that must not inherit the caller's signal
/// state: test runners and agents block signals on their threads, and a container's
/// shim or a CNI plugin (and the iptables it runs) must start with an empty mask and
/// default dispositions. The caller destroys the attributes.
func initCleanSignalAttributes(_ attributes: inout posix_spawnattr_t) {
    posix_spawnattr_init(&attributes)
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    var allSignals = sigset_t()
    sigfillset(&allSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    posix_spawnattr_setsigdefault(&attributes, &allSignals)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
}
