import Foundation
import SkiffRuntime

/// After a restart, what the node still holds for pods the API no longer binds
/// to it (deleted while the kubelet was down): their containers are stopped and
/// removed, their sandboxes (namespaces, addresses) and volumes undone.
struct OrphanCleanup: Sendable {
    let services: PodServices

    func run(keeping pods: Set<String>) async {
        var removed = Set<String>()
        for record in await services.runtime.list() {
            guard let uid = record.config.labels[ContainerInstances.podUIDLabel], !pods.contains(uid) else { continue }
            _ = try? await services.runtime.stop(id: record.id, gracePeriod: 0)
            try? await services.runtime.remove(id: record.id)
            removed.insert(uid)
        }
        let sandboxes = services.sandboxes.list().map(\.id) + services.sandboxes.orphans()
        for id in sandboxes where !pods.contains(id) {
            do {
                try await services.sandboxes.remove(id: id)
                removed.insert(id)
            } catch {
                services.logger.warning("orphaned sandbox not removed", metadata: ["pod": "\(id)", "error": "\(error)"])
            }
        }
        for uid in services.volumes.podUIDsOnDisk() where !pods.contains(uid) {
            try? services.volumes.tearDown(podUID: uid)
            try? FileManager.default.removeItem(atPath: "\(services.configuration.podsDirectory)/\(uid)")
            removed.insert(uid)
        }
        // Log directories are named <namespace>_<name>_<uid>.
        let logs = (try? FileManager.default.contentsOfDirectory(atPath: services.configuration.podLogDirectory)) ?? []
        for name in logs {
            guard let uid = name.split(separator: "_").last.map(String.init), !pods.contains(uid) else { continue }
            try? FileManager.default.removeItem(atPath: "\(services.configuration.podLogDirectory)/\(name)")
        }
        if !removed.isEmpty {
            services.logger.info("cleaned up pods no longer on this node", metadata: ["pods": "\(removed.sorted())"])
        }
    }
}
