import Logging
import SkiffClient

extension ControllerManager {
    /// nodeipam, nodelifecycle (with taint eviction, as upstream ran it before
    /// splitting it out) and podgc, as far as `enabled` names them.
    func makeNodeControllers(
        _ enabled: Set<String>, client: APIClient, informers: SharedInformers, events: EventRecorder, logger: Logger
    ) -> [any Controller] {
        let settings = configuration.nodes
        var controllers: [any Controller] = []
        if enabled.contains("nodeipam") {
            do {
                controllers.append(
                    try NodeIPAMController(
                        client: client, informers: informers, clusterCIDR: settings.clusterCIDR,
                        nodeMaskSize: settings.nodeCIDRMaskSize, events: events, logger: logger))
            } catch {
                logger.error("node IPAM not started", metadata: ["error": "\(error)"])
            }
        }
        if enabled.contains("nodelifecycle") {
            controllers.append(
                NodeLifecycleController(
                    client: client, informers: informers, monitorPeriod: settings.nodeMonitorPeriod,
                    gracePeriod: settings.nodeMonitorGracePeriod, events: events, logger: logger))
            controllers.append(TaintEvictionController(client: client, informers: informers, events: events, logger: logger))
        }
        if enabled.contains("podgc") {
            controllers.append(
                PodGCController(
                    client: client, informers: informers, terminatedPodThreshold: settings.terminatedPodGCThreshold,
                    period: settings.podGCPeriod, quarantine: settings.podGCQuarantine, logger: logger))
        }
        return controllers
    }
}
