import Foundation
import SkiffAPI
import SkiffClient
@testable import SkiffKubelet
import Synchronization
import Testing

@Suite("Pod routes between nodes (host-gw)")
struct NodeRoutesTests {
    @Test func aRouteToEveryOtherNodesPodCIDRThroughItsInternalIP() {
        let nodes = [
            node("self", cidr: "10.42.0.0/24", ip: "10.77.0.1"),
            node("n2", cidr: "10.42.1.0/24", ip: "10.77.0.2"),
            node("n3", cidr: "10.42.2.7/24", ip: "10.77.0.3"),   // host bits are cleared
            node("no-cidr", cidr: nil, ip: "10.77.0.4"),
            node("v6-only", cidr: "10.42.4.0/24", ip: "fd00::5"),
        ]
        let routes = NodeRoutes.wantedRoutes(nodes: nodes, except: "self")
        #expect(Set(routes.map(\.description)) == ["10.42.1.0/24 via 10.77.0.2", "10.42.2.0/24 via 10.77.0.3"])
    }

    @Test func aCIDROrGatewayThatIsNotIPv4GivesNoRoute() {
        #expect(PodRoute(cidr: "10.42.1.0", gateway: "10.0.0.1") == nil)
        #expect(PodRoute(cidr: "10.42.1.0/33", gateway: "10.0.0.1") == nil)
        #expect(PodRoute(cidr: "fd00::/64", gateway: "10.0.0.1") == nil)
        #expect(PodRoute(cidr: "10.42.1.0/24", gateway: "10.0.0") == nil)
        #expect(PodRoute(cidr: "10.42.1.0/20", gateway: "10.0.0.1")?.description == "10.42.0.0/20 via 10.0.0.1")
    }

    @Test func netlinkRequestsCarryTheDestinationAndGatewayAttributes() {
        var body: [UInt8] = []
        NetlinkMessage.appendAttribute(&body, type: Netlink.attributeGateway, value: [10, 0, 0, 1])
        NetlinkMessage.appendAttribute(&body, type: 99, value: [1, 2, 3])   // padded to four bytes
        #expect(body == [8, 0, 5, 0, 10, 0, 0, 1, 7, 0, 99, 0, 1, 2, 3, 0])
        let message = NetlinkMessage.request(type: .newRoute, flags: Netlink.acknowledge, body: body)
        let parsed = NetlinkMessage.parse(message.bytes[...])
        #expect(parsed.count == 1)
        #expect(parsed.first?.type == 24 && parsed.first?.flags == Netlink.acknowledge | Netlink.request)
        #expect(NetlinkMessage.attributes(parsed[0].body[...]) == [5: [10, 0, 0, 1], 99: [1, 2, 3]])
    }

    @Test func syncAddsMissingRoutesAndRemovesStaleOnes() throws {
        let table = RecordingRouteTable(present: [PodRoute(cidr: "10.42.9.0/24", gateway: "10.77.0.9")!])
        let wanted = NodeRoutes.wantedRoutes(nodes: [node("n2", cidr: "10.42.1.0/24", ip: "10.77.0.2")], except: "self")
        try NodeRoutes.reconcile(wanted, in: table, logger: .init(label: "test"))
        #expect(table.log == ["delete 10.42.9.0/24 via 10.77.0.9", "replace 10.42.1.0/24 via 10.77.0.2"])
    }
}

@Suite(
    "Pod routes in the kernel", .serialized, .timeLimit(.minutes(2)),
    .enabled(if: isRoot, "needs root: changes routes in a network namespace it creates"))
struct KernelRouteTableTests {
    @Test func routesAreAddedListedAndDeletedLeavingOthersAlone() async throws {
        try await withLinkedNamespace { netns, table in
            #expect(try table.podRoutes() == [])
            _ = try await runProgram("/usr/sbin/ip", ["-n", netns, "route", "add", "10.99.0.0/24", "via", "10.77.0.3"])
            let route = PodRoute(cidr: "10.42.5.0/24", gateway: "10.77.0.2")!
            try table.replace(route)
            try table.replace(route)   // replacing is idempotent
            #expect(try table.podRoutes() == [route])
            let shown = try await runProgram("/usr/sbin/ip", ["-n", netns, "route", "show", "proto", "83"])
            #expect(shown.stdout.contains("10.42.5.0/24 via 10.77.0.2"))
            try table.delete(route)
            #expect(try table.podRoutes() == [])
            let others = try await runProgram("/usr/sbin/ip", ["-n", netns, "route", "show"])
            #expect(others.stdout.contains("10.99.0.0/24 via 10.77.0.3"))
        }
    }

    @Test func anUnreachableGatewayIsAClearError() async throws {
        try await withLinkedNamespace { _, table in
            #expect {
                try table.replace(PodRoute(cidr: "10.42.5.0/24", gateway: "10.88.0.2")!)
            } throws: { error in
                "\(error)".contains("replace 10.42.5.0/24 via 10.88.0.2") && (error as? RouteError)?.errno == ENETUNREACH
            }
        }
    }

    @Test func nodeRoutesFollowTheNodesInTheAPI() async throws {
        try await withLinkedNamespace { _, table in
            try await TestAPIServer.with { server in
                let client = try server.newClient()
                defer { client.close() }
                for (name, cidr, ip) in [("self", "10.42.0.0/24", "10.77.0.1"), ("n2", "10.42.1.0/24", "10.77.0.2")] {
                    _ = try await client.create(node(name, cidr: cidr, ip: ip))
                }
                let routes = NodeRoutes(client: client, nodeName: "self", table: table, logger: .init(label: "test"))
                let running = Task { await routes.run(resyncEvery: .seconds(60)) }
                defer { running.cancel() }
                let first = PodRoute(cidr: "10.42.1.0/24", gateway: "10.77.0.2")!
                #expect(try await eventually { try table.podRoutes() == [first] })
                _ = try await client.create(node("n3", cidr: "10.42.2.0/24", ip: "10.77.0.3"))
                let second = PodRoute(cidr: "10.42.2.0/24", gateway: "10.77.0.3")!
                #expect(try await eventually { Set(try table.podRoutes()) == [first, second] })
                try await client.delete(Node.self, "n2")
                #expect(try await eventually { try table.podRoutes() == [second] })
                running.cancel()
                await running.value
            }
        }
    }

    /// A network namespace the test owns, with one link on 10.77.0.1/24 (a veth pair
    /// whose both ends are inside, so nothing ever leaves), and the route table inside it.
    private func withLinkedNamespace(_ body: (String, KernelRouteTable) async throws -> Void) async throws {
        let netns = "skiff-rt-\(UUID().uuidString.prefix(6).lowercased())"
        _ = try await runProgram("/usr/sbin/ip", ["netns", "add", netns])
        defer { _ = try? Process.run(URL(fileURLWithPath: "/usr/sbin/ip"), arguments: ["netns", "delete", netns]).waitUntilExit() }
        for arguments in [
            ["link", "add", "lab0", "type", "veth", "peer", "name", "lab1"],
            ["addr", "add", "10.77.0.1/24", "dev", "lab0"], ["link", "set", "lab0", "up"], ["link", "set", "lab1", "up"],
        ] {
            let result = try await runProgram("/usr/sbin/ip", ["-n", netns] + arguments)
            try #require(result.status == 0, "ip \(arguments): \(result.stdout)")
        }
        try await body(netns, KernelRouteTable(networkNamespace: "/run/netns/\(netns)"))
    }
}

private func node(_ name: String, cidr: String?, ip: String) -> Node {
    var node = Node()
    node.metadata = ObjectMeta(name: name)
    node.spec.podCIDR = cidr
    node.status.addresses = [NodeAddress(type: "InternalIP", address: ip), NodeAddress(type: "Hostname", address: name)]
    return node
}

/// A table in memory that logs each change.
private final class RecordingRouteTable: RouteTable, @unchecked Sendable {
    private let state: Mutex<(present: Set<PodRoute>, log: [String])>
    init(present: Set<PodRoute>) { state = Mutex((present, [])) }
    var log: [String] { state.withLock { $0.log } }

    func podRoutes() throws(RouteError) -> [PodRoute] { state.withLock { Array($0.present) } }
    func replace(_ route: PodRoute) throws(RouteError) {
        state.withLock { $0.present.insert(route); $0.log.append("replace \(route)") }
    }
    func delete(_ route: PodRoute) throws(RouteError) {
        state.withLock { $0.present.remove(route); $0.log.append("delete \(route)") }
    }
}
