/// The conversions from Kubernetes units to cgroup values, as the kubelet does them
/// (pkg/kubelet/cm/helpers_linux.go and runc's ConvertCPUSharesToCgroupV2Value).
extension CgroupLimits {
    /// The CFS period: 100 ms, upstream's default.
    static let cpuPeriodMicroseconds = 100_000
    /// Upstream's floor for a quota (1 ms per period), so tiny limits still run.
    static let minimumCPUQuotaMicroseconds = 1000
    static let minimumCPUShares = 2
    static let maximumCPUShares = 262_144

    /// v1 `cpu.shares`: 1024 per CPU requested, clamped to the kernel's range.
    var cpuShares: Int {
        let shares = (cpuRequestMillicores ?? 0) * 1024 / 1000
        return min(max(shares, Self.minimumCPUShares), Self.maximumCPUShares)
    }

    /// v2 `cpu.weight` (1…10000): the shares mapped linearly onto the weight range.
    var cpuWeight: Int {
        1 + ((cpuShares - 2) * 9999) / 262_142
    }

    /// The CFS quota per period in µs, or nil for no limit.
    var cpuQuotaMicroseconds: Int? {
        cpuLimitMillicores.map { max($0 * Self.cpuPeriodMicroseconds / 1000, Self.minimumCPUQuotaMicroseconds) }
    }
}
