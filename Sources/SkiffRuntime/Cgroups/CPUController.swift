/// CPU weight from the request and bandwidth from the limit: `cpu.weight` and `cpu.max`
/// on v2, `cpu.shares` and `cpu.cfs_period_us`/`cpu.cfs_quota_us` on v1.
struct CPUController {
    let cgroup: Cgroup

    func apply(_ limits: CgroupLimits) throws(CgroupError) {
        guard let placement = cgroup.directory(for: .cpu) else {
            guard limits.cpuRequestMillicores == nil, limits.cpuLimitMillicores == nil else {
                throw CgroupError(.hostLayout, "the cpu controller is not available to this agent")
            }
            return
        }
        let directory = placement.directory
        let unified = placement.unified
        let system = cgroup.system
        let period = CgroupLimits.cpuPeriodMicroseconds
        if unified {
            try system.write(String(limits.cpuWeight), to: directory + "/cpu.weight")
            let quota = limits.cpuQuotaMicroseconds.map(String.init) ?? "max"
            try system.write("\(quota) \(period)", to: directory + "/cpu.max")
        } else {
            try system.write(String(limits.cpuShares), to: directory + "/cpu.shares")
            try system.write(String(period), to: directory + "/cpu.cfs_period_us")
            // v1 refuses (EINVAL) a child quota above its parent's: a container limit
            // above its pod's is reported, not clamped.
            try system.write(String(limits.cpuQuotaMicroseconds ?? -1), to: directory + "/cpu.cfs_quota_us")
        }
    }
}
