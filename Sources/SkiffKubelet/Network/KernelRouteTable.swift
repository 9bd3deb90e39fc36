#if canImport(Glibc)
import Glibc
#endif

/// The main routing table over rtnetlink: routes are tagged with Skiff's own
/// protocol number, so listing and removing never touches a route someone else
/// made (`ip route show proto 83` shows them). Netlink to the kernel answers at
/// once, so the calls are synchronous.
public struct KernelRouteTable: RouteTable {
    /// The rtm_protocol of Skiff's routes; iproute2 shows unnamed protocols by number.
    public static let protocolNumber: UInt8 = 83

    /// The network namespace whose table this is; nil: this process's own.
    public let networkNamespace: String?

    public init(networkNamespace: String? = nil) {
        self.networkNamespace = networkNamespace
    }

    public func podRoutes() throws(RouteError) -> [PodRoute] {
        let socket = try NetlinkSocket.open(networkNamespace: networkNamespace)
        defer { socket.close() }
        let replies = try socket.dump(NetlinkMessage.request(type: .getRoute, flags: Netlink.dump, body: Self.header()))
        return replies.compactMap(Self.podRoute)
    }

    public func replace(_ route: PodRoute) throws(RouteError) {
        try change(.newRoute, flags: Netlink.create | Netlink.replace, route: route, operation: "replace \(route)")
    }

    public func delete(_ route: PodRoute) throws(RouteError) {
        try change(.deleteRoute, flags: 0, route: route, operation: "delete \(route)")
    }

    private func change(_ type: NetlinkMessage.Kind, flags: UInt16, route: PodRoute, operation: String) throws(RouteError) {
        let socket = try NetlinkSocket.open(networkNamespace: networkNamespace)
        defer { socket.close() }
        var body = Self.header(prefixLength: route.prefixLength)
        NetlinkMessage.appendAttribute(&body, type: Netlink.attributeDestination, value: route.destination)
        NetlinkMessage.appendAttribute(&body, type: Netlink.attributeGateway, value: route.gateway)
        try socket.call(NetlinkMessage.request(type: type, flags: flags | Netlink.acknowledge, body: body), operation: operation)
    }

    /// struct rtmsg: IPv4, the main table, Skiff's protocol, universe scope, unicast.
    private static func header(prefixLength: Int = 0) -> [UInt8] {
        [UInt8(AF_INET), UInt8(prefixLength), 0, 0, Netlink.mainTable, protocolNumber, 0, Netlink.unicast, 0, 0, 0, 0]
    }

    private static func podRoute(_ message: NetlinkMessage) -> PodRoute? {
        let body = message.body
        guard message.type == NetlinkMessage.Kind.newRoute.rawValue, body.count >= 12,
              body[0] == UInt8(AF_INET), body[5] == protocolNumber
        else { return nil }
        let attributes = NetlinkMessage.attributes(body[12...])
        let table = attributes[Netlink.attributeTable].map { $0.count == 4 ? UInt32($0[0]) : 0 } ?? UInt32(body[4])
        guard table == UInt32(Netlink.mainTable), let destination = attributes[Netlink.attributeDestination],
              let gateway = attributes[Netlink.attributeGateway], destination.count == 4, gateway.count == 4
        else { return nil }
        return PodRoute(destination: destination, prefixLength: Int(body[1]), gateway: gateway)
    }
}
