import Logging
import SkiffAPI
import SkiffClient

/// The pod network across nodes, host-gw style (flannel's host-gw backend, as
/// k3s can use): for every other Node with a podCIDR and an InternalIP, a route
/// to that podCIDR through that IP; routes of nodes that are gone, or whose
/// address or range changed, are removed. Needs the nodes on one L2 network.
public final class NodeRoutes: Sendable {
    private let nodeName: String
    private let table: any RouteTable
    private let informer: Informer<Node>
    private let logger: Logger

    public init(client: APIClient, nodeName: String, table: any RouteTable = KernelRouteTable(), logger: Logger) {
        self.nodeName = nodeName
        self.table = table
        self.logger = logger
        informer = Informer<Node>(client: client, logger: logger)
    }

    /// Keeps the routes in step with the Nodes until cancelled; a failed change is
    /// retried at the next Node change or the periodic resync.
    public func run(resyncEvery interval: Duration = .seconds(30)) async {
        let changes = informer.events()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.informer.run() }
            group.addTask {
                // The first list arrives as adds before `.synced`: one pass once it is whole.
                for await _ in changes where self.informer.hasSynced {
                    self.sync()
                }
            }
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    if self.informer.hasSynced { self.sync() }
                }
            }
            await group.next()
            group.cancelAll()
        }
    }

    /// One pass: the routes the Nodes ask for, against those in the table.
    func sync() {
        do {
            try Self.reconcile(Self.wantedRoutes(nodes: informer.list(), except: nodeName), in: table, logger: logger)
        } catch {
            logger.warning("pod routes not in step with the nodes", metadata: ["error": "\(error)"])
        }
    }

    /// Removes Skiff's routes that are not wanted, then adds the wanted ones missing.
    static func reconcile(_ wanted: Set<PodRoute>, in table: any RouteTable, logger: Logger) throws(RouteError) {
        let present = Set(try table.podRoutes())
        for route in present.subtracting(wanted) {
            try table.delete(route)
            logger.info("removed pod route", metadata: ["route": "\(route)"])
        }
        for route in wanted.subtracting(present) {
            try table.replace(route)
            logger.info("added pod route", metadata: ["route": "\(route)"])
        }
    }

    /// A route per other node that has a podCIDR and an IPv4 InternalIP.
    static func wantedRoutes(nodes: [Node], except nodeName: String) -> Set<PodRoute> {
        Set(nodes.compactMap { node in
            guard node.metadata.name != nodeName, node.metadata.deletionTimestamp == nil,
                  let cidr = node.spec.podCIDR,
                  let address = node.status.addresses?.first(where: { $0.type == "InternalIP" && !$0.address.contains(":") })
            else { return nil }
            return PodRoute(cidr: cidr, gateway: address.address)
        })
    }
}
