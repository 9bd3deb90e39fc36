import ArgumentParser
import SkiffControllers

/// The node controllers' flags, shared by `skiff controller-manager` and
/// `skiff server` (which also gives its own agent the cluster CIDR).
struct NodeControllerOptions: ParsableArguments {
    @Option(help: "The cluster's pod address range; each node's podCIDR is cut from it.")
    var clusterCIDR = NodeControllersConfiguration().clusterCIDR

    @Option(help: "The prefix length of each node's podCIDR.")
    var nodeCIDRMaskSize = NodeControllersConfiguration().nodeCIDRMaskSize

    @Option(help: "How often the node lifecycle controller looks at the nodes (default 5s; e.g. 500ms).", transform: DurationFlag.parse)
    var nodeMonitorPeriod = NodeControllersConfiguration().nodeMonitorPeriod

    @Option(help: "How long a kubelet may stay silent before its node is Unknown (default 50s; e.g. 1m).", transform: DurationFlag.parse)
    var nodeMonitorGracePeriod = NodeControllersConfiguration().nodeMonitorGracePeriod

    @Option(help: "Terminated pods kept before the oldest are deleted; 0 keeps them all.")
    var terminatedPodGCThreshold = NodeControllersConfiguration().terminatedPodGCThreshold

    func validate() throws {
        do {
            _ = try CIDRSet(clusterCIDR: clusterCIDR, nodeMaskSize: nodeCIDRMaskSize)
        } catch {
            throw ValidationError("--cluster-cidr \(clusterCIDR) with --node-cidr-mask-size \(nodeCIDRMaskSize): \(error)")
        }
        guard nodeMonitorPeriod > .zero, nodeMonitorGracePeriod > .zero else {
            throw ValidationError("--node-monitor-period and --node-monitor-grace-period must be positive")
        }
        guard terminatedPodGCThreshold >= 0 else { throw ValidationError("--terminated-pod-gc-threshold must be ≥ 0") }
    }

    func apply(to configuration: inout NodeControllersConfiguration) {
        configuration.clusterCIDR = clusterCIDR
        configuration.nodeCIDRMaskSize = nodeCIDRMaskSize
        configuration.nodeMonitorPeriod = nodeMonitorPeriod
        configuration.nodeMonitorGracePeriod = nodeMonitorGracePeriod
        configuration.terminatedPodGCThreshold = terminatedPodGCThreshold
    }
}

/// Durations as Go flags write them: a number and a unit (`500ms`, `5s`, `2m`,
/// `1h`), or a bare number of seconds.
enum DurationFlag {
    static func parse(_ text: String) throws -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (unit, seconds) in units where text.hasSuffix(unit) {
            if let value = Double(text.dropLast(unit.count)), value >= 0 { return .milliseconds(Int64(value * seconds * 1000)) }
        }
        if let value = Double(text), value >= 0 { return .milliseconds(Int64(value * 1000)) }
        throw ValidationError("\(text) is not a duration such as 500ms, 5s, 2m or 1h")
    }
}
