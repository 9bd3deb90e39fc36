/// The runtime's view of cgroups (`CgroupDriver`): a container cgroup at
/// `<parent>/<group>/<container>`, where the group (the pod's `pod-<uid>`) is made
/// unlimited on first use and removed with its last container.
extension CgroupManager: CgroupDriver {
    public func create(group: String?, container: String, resources: ContainerResources) throws(RuntimeError)
        -> CgroupAttachment
    {
        do throws(CgroupError) {
            let limits = CgroupLimits(
                cpuRequestMillicores: resources.cpuRequestMillis, cpuLimitMillicores: resources.cpuLimitMillis,
                memoryLimitBytes: resources.memoryLimitBytes.map { Int($0) }, pidsLimit: resources.pidsLimit)
            // Checked before the group is made, so bad input leaves nothing behind.
            try limits.validate()
            try Self.checkName(container, what: "container id")
            if let group { try Self.checkName(group, what: "cgroup group") }
            try prepareParent()
            var path = parent
            if let group {
                path += "/" + group
                do throws(CgroupError) {
                    _ = try create(path: path, limits: .unlimited, delegatesToChildren: true)
                } catch where error.code == .alreadyExists {}
            }
            let cgroup = try create(path: path + "/" + container, limits: limits, delegatesToChildren: false)
            return CgroupAttachment(
                unifiedDirectory: cgroup.unifiedDirectory, procsFiles: cgroup.procsFiles, oomCounter: cgroup.oomCounterFile)
        } catch {
            throw error.runtimeError
        }
    }

    public func kill(group: String?, container: String) throws(RuntimeError) {
        do throws(CgroupError) {
            try open(driverPath(group: group, container: container)).sendKill()
        } catch {
            throw error.runtimeError
        }
    }

    /// Removing what is already gone succeeds, so a retried removal does too.
    public func remove(group: String?, container: String) throws(RuntimeError) {
        do throws(CgroupError) {
            do throws(CgroupError) {
                try open(driverPath(group: group, container: container)).remove()
            } catch where error.code == .notFound {}
            guard let group else { return }
            let groupCgroup: Cgroup
            do throws(CgroupError) {
                groupCgroup = try open(parent + "/" + group)
            } catch where error.code == .notFound {
                return
            }
            if let first = groupCgroup.directories.first, try system.subdirectories(of: first).isEmpty {
                try groupCgroup.remove()
            }
        } catch {
            throw error.runtimeError
        }
    }

    private func driverPath(group: String?, container: String) -> String {
        parent + (group.map { "/" + $0 } ?? "") + "/" + container
    }
}

extension Cgroup {
    /// The file the shim reads before and after the container runs to tell an OOM kill:
    /// v2 `memory.events` or v1 `memory.oom_control`.
    var oomCounterFile: String? {
        directory(for: .memory).map { $0.directory + ($0.unified ? "/memory.events" : "/memory.oom_control") }
    }
}

extension CgroupError {
    /// Bad limits or names are the container's config; anything else is the host's.
    var runtimeError: RuntimeError {
        switch code {
        case .invalidLimits, .invalidName: .invalidConfig(description)
        default: .io(description)
        }
    }
}
