import Foundation
import Synchronization

/// The proxy's health and metrics, updated by each sync, read by the health
/// server: upstream's /healthz says healthy while syncs keep up with changes.
public final class ProxyStatus: Sendable {
    private struct State {
        var lastSync: Date?
        var pendingSince: Date?
        /// Each family's successful syncs, full and partial.
        var syncs: [IPFamily: (full: Int, partial: Int)] = [:]
        var failures = 0
        /// Sync rounds (every family once) and their time: what the duration summary counts.
        var rounds = 0
        var lastDuration: Double = 0
        var durationSum: Double = 0
        /// Each family's ruleset, as its last successful sync left it.
        var sizes: [IPFamily: RulesetSize] = [:]
        var problems = 0
    }
    private let state = Mutex(State())
    /// How long a change may wait unsynced before /healthz says unhealthy.
    public let healthTimeout: TimeInterval

    public init(healthTimeout: TimeInterval = 30) { self.healthTimeout = healthTimeout }

    func changed() {
        state.withLock { if $0.pendingSince == nil { $0.pendingSince = Date() } }
    }

    /// One sync of every family: `reports` of those that succeeded (a failed one
    /// is counted by ``failed()`` and keeps its last size). Healthy only when none failed.
    func synced(_ reports: [IPFamily: SyncReport], failed: Bool, seconds: Double, problems: Int) {
        state.withLock { state in
            if !failed {
                state.lastSync = Date()
                state.pendingSince = nil
            }
            for (family, report) in reports {
                var count = state.syncs[family] ?? (0, 0)
                if report.full { count.full += 1 } else { count.partial += 1 }
                state.syncs[family] = count
                state.sizes[family] = report.size
            }
            state.rounds += 1
            state.lastDuration = seconds
            state.durationSum += seconds
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
                "kubeproxy_sync_proxy_rules_duration_seconds_count \(state.rounds)",
                "# TYPE skiff_proxy_last_sync_duration_seconds gauge",
                "skiff_proxy_last_sync_duration_seconds \(state.lastDuration)",
                "# TYPE skiff_proxy_syncs_total counter",
            ]
            for (family, count) in state.syncs.sorted(by: { $0.key < $1.key }) {
                lines.append("skiff_proxy_syncs_total{ip_family=\"\(family.rawValue)\",kind=\"full\"} \(count.full)")
                lines.append("skiff_proxy_syncs_total{ip_family=\"\(family.rawValue)\",kind=\"partial\"} \(count.partial)")
            }
            lines += [
                "# TYPE skiff_proxy_sync_failures_total counter",
                "skiff_proxy_sync_failures_total \(state.failures)",
                "# TYPE skiff_proxy_service_problems gauge",
                "skiff_proxy_service_problems \(state.problems)",
                "# TYPE skiff_proxy_chains gauge",
            ]
            let sizes = state.sizes.sorted { $0.key < $1.key }
            for (family, size) in sizes {
                // nftables: chains per shape; iptables: chains per Service port and per endpoint.
                let kind = size.mode == .nftables ? "shape" : "service"
                lines.append("skiff_proxy_chains{ip_family=\"\(family.rawValue)\",kind=\"\(kind)\"} \(size.chains)")
            }
            // Every family is programmed in the same mode (one --proxy-mode).
            switch sizes.first?.value.mode ?? .nftables {
            case .nftables:
                lines.append("# TYPE kubeproxy_sync_proxy_rules_nftables_elements gauge")
                for (family, size) in sizes {
                    for set in NFTSet.allCases where set.isProgrammed {
                        lines.append("kubeproxy_sync_proxy_rules_nftables_elements{ip_family=\"\(family.rawValue)\",set=\"\(set.rawValue)\"} \(size.counts[set.rawValue] ?? 0)")
                    }
                }
            case .iptables:
                lines.append("# TYPE kubeproxy_sync_proxy_rules_iptables_total gauge")
                for (family, size) in sizes {
                    for table in ["filter", "nat"] {
                        lines.append("kubeproxy_sync_proxy_rules_iptables_total{ip_family=\"\(family.rawValue)\",table=\"\(table)\"} \(size.counts[table] ?? 0)")
                    }
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
