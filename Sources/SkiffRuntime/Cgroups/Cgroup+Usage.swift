/// What the kubelet reports about a cgroup: OOM kills, memory and CPU used.
extension Cgroup {
    /// How many processes the kernel's OOM killer ended in this cgroup (and, on v2, below
    /// it). A container whose cgroup has a count above zero when it exits terminated
    /// with reason `OOMKilled`.
    public func oomKillCount() throws(CgroupError) -> Int {
        switch directory(for: .memory) {
        case (let directory, true)?: try readKeyedValue("oom_kill", in: directory + "/memory.events")
        case (let directory, false)?: try readKeyedValue("oom_kill", in: directory + "/memory.oom_control")
        case nil: throw CgroupError(.hostLayout, "the memory controller is not available to this agent")
        }
    }

    /// Memory charged to the cgroup now, page cache included, in bytes.
    public func memoryUsageBytes() throws(CgroupError) -> Int {
        switch directory(for: .memory) {
        case (let directory, true)?: try readNumber(directory + "/memory.current")
        case (let directory, false)?: try readNumber(directory + "/memory.usage_in_bytes")
        case nil: throw CgroupError(.hostLayout, "the memory controller is not available to this agent")
        }
    }

    /// CPU time used by every process that ever ran in the cgroup, in nanoseconds: v1
    /// `cpuacct.usage` where cpuacct is mounted, else v2 `cpu.stat` (present without the
    /// cpu controller too).
    public func cpuUsageNanoseconds() throws(CgroupError) -> Int {
        if let cpuacct = directory(for: .cpuacct) {
            return try readNumber(cpuacct.directory + "/cpuacct.usage")
        }
        guard let unified = unifiedDirectory else {
            throw CgroupError(.hostLayout, "neither cpuacct nor cgroup2 is available to this agent")
        }
        return try readKeyedValue("usage_usec", in: unified + "/cpu.stat") * 1000
    }
}
