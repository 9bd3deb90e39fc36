/// The settings of the node controllers (nodeipam, nodelifecycle, podgc), with
/// upstream kube-controller-manager's defaults (k3s's cluster CIDR).
public struct NodeControllersConfiguration: Sendable {
    /// `--cluster-cidr`: node podCIDRs are cut from this.
    public var clusterCIDR = "10.42.0.0/16"
    /// `--node-cidr-mask-size`: the prefix length of each node's podCIDR.
    public var nodeCIDRMaskSize = 24
    /// `--node-monitor-period`: how often every node's Lease and Ready condition are looked at.
    public var nodeMonitorPeriod: Duration = .seconds(5)
    /// `--node-monitor-grace-period`: a node whose kubelet has not renewed its
    /// Lease or posted status for this long is Unknown.
    public var nodeMonitorGracePeriod: Duration = .seconds(50)
    /// `--terminated-pod-gc-threshold`: Succeeded and Failed pods beyond this many
    /// are deleted, oldest first; 0 keeps them all.
    public var terminatedPodGCThreshold = 12_500
    /// How often podgc looks (upstream's gcCheckPeriod).
    public var podGCPeriod: Duration = .seconds(20)
    /// How long a node must stay missing before its pods count as orphans
    /// (upstream's quarantineTime), so a node being re-registered keeps them.
    public var podGCQuarantine: Duration = .seconds(40)

    public init() {}
}
