/// `pids.max`, the same file on v1 and v2.
struct PidsController {
    let cgroup: Cgroup

    func apply(_ limits: CgroupLimits) throws(CgroupError) {
        guard let placement = cgroup.directory(for: .pids) else {
            guard limits.pidsLimit == nil else {
                throw CgroupError(.hostLayout, "the pids controller is not available to this agent")
            }
            return
        }
        let directory = placement.directory
        try cgroup.system.write(limits.pidsLimit.map(String.init) ?? "max", to: directory + "/pids.max")
    }
}
