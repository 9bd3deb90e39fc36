/// How this host mounts cgroups and where the agent sits: the unified (v2) hierarchy and
/// the v1 hierarchies that hold controllers Skiff uses. On a hybrid host a controller is
/// bound to exactly one of them, so each controller has one `Placement`.
public struct CgroupHostLayout: Equatable, Sendable {
    /// The cgroup2 mount, if any. Even without controllers it tracks processes and has
    /// `cgroup.kill`.
    public var unified: CgroupHierarchy?
    /// v1 hierarchies holding at least one controller Skiff uses, one entry per hierarchy
    /// (co-mounted `cpu,cpuacct` is one entry).
    public var v1: [CgroupHierarchy]

    public init(unified: CgroupHierarchy?, v1: [CgroupHierarchy]) {
        self.unified = unified
        self.v1 = v1
    }

    public enum Placement: Equatable, Sendable {
        case unified(CgroupHierarchy)
        case v1(CgroupHierarchy)
        /// Neither hierarchy has the controller: its limits cannot be applied.
        case absent
    }

    public func placement(of controller: CgroupController) -> Placement {
        if let hierarchy = v1.first(where: { $0.controllers.contains(controller.rawValue) }) {
            return .v1(hierarchy)
        }
        if let unified, CgroupController.unifiedCapable.contains(controller),
            unified.controllers.contains(controller.rawValue)
        {
            return .unified(unified)
        }
        return .absent
    }

    /// The v2 controllers Skiff enables in `cgroup.subtree_control` below the base.
    var unifiedControllers: [CgroupController] {
        CgroupController.unifiedCapable.filter {
            if case .unified = placement(of: $0) { true } else { false }
        }
    }

    /// Every hierarchy a Skiff cgroup has a directory in: unified first, then v1 in mount order.
    public var hierarchies: [CgroupHierarchy] {
        (unified.map { [$0] } ?? []) + v1
    }
}
