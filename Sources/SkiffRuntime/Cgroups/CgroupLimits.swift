/// The resource limits of one pod or container cgroup, in Kubernetes units. `nil` means
/// unlimited, except `cpuRequestMillicores`, where `nil` means "no request" and gets the
/// smallest CPU weight, as upstream gives BestEffort containers.
public struct CgroupLimits: Equatable, Sendable {
    /// Relative CPU share under contention (`cpu.weight` / `cpu.shares`).
    public var cpuRequestMillicores: Int?
    /// Hard CPU bandwidth (`cpu.max` / `cpu.cfs_quota_us`).
    public var cpuLimitMillicores: Int?
    public var memoryLimitBytes: Int?
    /// Processes and threads (`pids.max`).
    public var pidsLimit: Int?

    public init(
        cpuRequestMillicores: Int? = nil, cpuLimitMillicores: Int? = nil,
        memoryLimitBytes: Int? = nil, pidsLimit: Int? = nil
    ) {
        self.cpuRequestMillicores = cpuRequestMillicores
        self.cpuLimitMillicores = cpuLimitMillicores
        self.memoryLimitBytes = memoryLimitBytes
        self.pidsLimit = pidsLimit
    }

    public static let unlimited = CgroupLimits()

    /// Below this a container cannot even start its runtime (Docker refuses under 6 MiB);
    /// a smaller limit is a mistake in the manifest, not a wish.
    public static let minimumMemoryBytes = 4 * 1024 * 1024

    /// Throws `.invalidLimits` for limits no cgroup can honour.
    public func validate() throws(CgroupError) {
        if let request = cpuRequestMillicores, request < 0 {
            throw CgroupError(.invalidLimits, "cpu request \(request)m is negative")
        }
        if let limit = cpuLimitMillicores {
            guard limit > 0 else {
                throw CgroupError(.invalidLimits, "cpu limit \(limit)m must be positive (omit it for no limit)")
            }
            guard limit <= Self.maximumCPUMillicores else {
                throw CgroupError(.invalidLimits, "cpu limit \(limit)m is more than the kernel can express")
            }
            if let request = cpuRequestMillicores, request > limit {
                throw CgroupError(.invalidLimits, "cpu request \(request)m is above the cpu limit \(limit)m")
            }
        }
        if let memory = memoryLimitBytes, memory < Self.minimumMemoryBytes {
            throw CgroupError(
                .invalidLimits, "memory limit \(memory) bytes is below the minimum of \(Self.minimumMemoryBytes)")
        }
        if let pids = pidsLimit, pids < 1 || pids > Self.maximumPids {
            throw CgroupError(
                .invalidLimits, "pids limit \(pids) must be between 1 and \(Self.maximumPids) (omit it for no limit)")
        }
    }

    /// The kernel's PID_MAX_LIMIT: `pids.max` refuses anything above it.
    static let maximumPids = 4 * 1024 * 1024

    /// The kernel caps a CFS quota at 2^44-1 µs (`MAX_BW` in kernel/sched/core.c); with
    /// the 100 ms period that is this many millicores.
    static let maximumCPUMillicores = ((1 << 44) - 1) / (CgroupLimits.cpuPeriodMicroseconds / 1000)
}
