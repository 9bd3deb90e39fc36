/// The memory limit: `memory.max` on v2, `memory.limit_in_bytes` on v1; and no swap
/// beyond it, as the kubelet's default NoSwap behaviour wants.
struct MemoryController {
    let cgroup: Cgroup

    func apply(_ limits: CgroupLimits) throws(CgroupError) {
        guard let placement = cgroup.directory(for: .memory) else {
            guard limits.memoryLimitBytes == nil else {
                throw CgroupError(.hostLayout, "the memory controller is not available to this agent")
            }
            return
        }
        let directory = placement.directory
        let unified = placement.unified
        if let limit = limits.memoryLimitBytes {
            let usageFile = directory + (unified ? "/memory.current" : "/memory.usage_in_bytes")
            let usage = try cgroup.readNumber(usageFile)
            guard usage <= limit else {
                throw CgroupError(
                    .memoryBelowUsage, "memory limit \(limit) bytes is below the \(usage) bytes in use", path: usageFile
                )
            }
        }
        if unified {
            try applyUnified(limits.memoryLimitBytes, in: directory)
        } else {
            try applyV1(limits.memoryLimitBytes, in: directory)
        }
    }

    private func applyUnified(_ limit: Int?, in directory: String) throws(CgroupError) {
        try cgroup.system.write(limit.map(String.init) ?? "max", to: directory + "/memory.max")
        // memory.swap.max exists only with swap accounting; 0 keeps containers off swap.
        let swap = directory + "/memory.swap.max"
        if cgroup.system.exists(swap) {
            try cgroup.system.write("0", to: swap)
        }
    }

    /// v1 counts memory+swap in `memory.memsw.limit_in_bytes` (present only with swap
    /// accounting). Setting it equal to the memory limit allows no swap, like v2's
    /// `memory.swap.max` 0; unlimited memory leaves memsw unlimited too. The kernel keeps
    /// memory <= memsw at every step, so a rising limit writes memsw first.
    private func applyV1(_ limit: Int?, in directory: String) throws(CgroupError) {
        let memory = directory + "/memory.limit_in_bytes"
        let memsw = directory + "/memory.memsw.limit_in_bytes"
        let value = String(limit ?? -1)
        guard cgroup.system.exists(memsw) else {
            try cgroup.system.write(value, to: memory)
            return
        }
        if limit ?? Int.max > (try cgroup.readNumber(memsw)) {
            try cgroup.system.write(value, to: memsw)
            try cgroup.system.write(value, to: memory)
        } else {
            try cgroup.system.write(value, to: memory)
            try cgroup.system.write(value, to: memsw)
        }
    }
}
