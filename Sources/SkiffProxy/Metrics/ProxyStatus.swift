import Foundation
import Synchronization

/// The proxy's health and metrics, updated by each sync, read by the health
/// server: upstream's /healthz says healthy while syncs keep up with changes.
public final class ProxyStatus: Sendable {
    private struct State {
        var lastSync: Date?
        var pendingSince: Date?
        var fullSyncs = 0
        var partialSyncs = 0
        var failures = 0
        var lastDuration: Double = 0
        var durationSum: Double = 0
        var size = RulesetSize(mode: .nftables)
        var problems = 0
    }
    private let state = Mutex(State())
    /// How long a change may wait unsynced before /healthz says unhealthy.
    public let healthTimeout: TimeInterval

    public init(healthTimeout: TimeInterval = 30) { self.healthTimeout = healthTimeout }

    func changed() {
        state.withLock { if $0.pendingSince == nil { $0.pendingSince = Date() } }
    }

    func synced(_ report: SyncReport, seconds: Double, problems: Int) {
        state.withLock { state in
            state.lastSync = Date()
            state.pendingSince = nil
            if report.full { state.fullSyncs += 1 } else { state.partialSyncs += 1 }
            state.lastDuration = seconds
            state.durationSum += seconds
            state.size = report.size
            state.problems = problems
        }
    }

    func failed() { state.withLock { $0.failures += 1 } }

    /// Healthy once a sync succeeded and no change waited longer than ``healthTimeout``.
    public func healthy(now: Date = Date()) -> (healthy: Bool, lastUpdated: Date?) {
        state.withLock { state in
            guard let last = state.lastSync else { return (false, nil) }
            let overdue = state.pendingSince.map { now.timeIntervalSince($0) > healthTimeout } ?? false
            return (!overdue, last)
        }
    }

    /// The metrics in Prometheus text format, named after upstream kube-proxy's where they exist.
    public func prometheusText() -> String {
        state.withLock { state in
            var lines = [
                "# TYPE kubeproxy_sync_proxy_rules_duration_seconds summary",
                "kubeproxy_sync_proxy_rules_duration_seconds_sum \(state.durationSum)",
                "kubeproxy_sync_proxy_rules_duration_seconds_count \(state.fullSyncs + state.partialSyncs)",
                "# TYPE skiff_proxy_last_sync_duration_seconds gauge",
                "skiff_proxy_last_sync_duration_seconds \(state.lastDuration)",
                "# TYPE skiff_proxy_syncs_total counter",
                "skiff_proxy_syncs_total{kind=\"full\"} \(state.fullSyncs)",
                "skiff_proxy_syncs_total{kind=\"partial\"} \(state.partialSyncs)",
                "# TYPE skiff_proxy_sync_failures_total counter",
                "skiff_proxy_sync_failures_total \(state.failures)",
                "# TYPE skiff_proxy_chains gauge",
                // nftables: chains per shape; iptables: chains per Service port and per endpoint.
                "skiff_proxy_chains{kind=\"\(state.size.mode == .nftables ? "shape" : "service")\"} \(state.size.chains)",
                "# TYPE skiff_proxy_service_problems gauge",
                "skiff_proxy_service_problems \(state.problems)",
            ]
            switch state.size.mode {
            case .nftables:
                lines.append("# TYPE kubeproxy_sync_proxy_rules_nftables_elements gauge")
                for set in NFTSet.allCases where set.isProgrammed {
                    lines.append("kubeproxy_sync_proxy_rules_nftables_elements{set=\"\(set.rawValue)\"} \(state.size.counts[set.rawValue] ?? 0)")
                }
            case .iptables:
                lines.append("# TYPE kubeproxy_sync_proxy_rules_iptables_total gauge")
                for table in ["filter", "nat"] {
                    lines.append("kubeproxy_sync_proxy_rules_iptables_total{table=\"\(table)\"} \(state.size.counts[table] ?? 0)")
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
