import SkiffProxy
import Testing

@Suite struct StaleUDPFlowTests {
    static let dns = Objects.address("10.43.0.53", 53, .udp)
    static let dnsNodePort = NodePortKey(proto: .udp, port: 30053)

    func model(_ endpoints: [String], nodePort: Bool = false, proto: L4Protocol = .udp) -> ProxyModel {
        var model = ProxyModel()
        let address = Objects.address("10.43.0.53", 53, proto)
        let destination: Destination = endpoints.isEmpty
            ? .reject
            : .balance(backends: endpoints.map { Objects.backend($0, 5353) }, affinitySeconds: nil, masquerade: .outsideClusterCIDR)
        model.clusterIPs[address] = destination
        if nodePort { model.nodePorts[NodePortKey(proto: proto, port: 30053)] = destination }
        return model
    }

    @Test func aRemovedUDPEndpointsFlowsToTheClusterIPAndTheNodePortAreStale() {
        let stale = StaleUDPFlow.between(model(["10.42.1.2", "10.42.2.2"], nodePort: true), model(["10.42.1.2"], nodePort: true))
        #expect(stale == [
            .clusterIPEndpoint(service: IPAddress("10.43.0.53")!, port: 53, endpoint: IPAddress("10.42.2.2")!),
            .nodePortEndpoint(port: 30053, endpoint: IPAddress("10.42.2.2")!),
        ])
        #expect(stale[0].deleteArguments == [
            "-D", "-p", "udp", "--orig-dst", "10.43.0.53", "--orig-port-dst", "53", "--reply-src", "10.42.2.2",
        ])
    }

    @Test func aUDPServiceThatGetsItsFirstEndpointHasItsRejectedFlowsCleared() {
        #expect(StaleUDPFlow.between(model([]), model(["10.42.1.2"])) == [.clusterIP(service: IPAddress("10.43.0.53")!, port: 53)])
        // A Service that appears with endpoints: its address may have held rejected flows too.
        #expect(StaleUDPFlow.between(ProxyModel(), model(["10.42.1.2"])) == [.clusterIP(service: IPAddress("10.43.0.53")!, port: 53)])
    }

    @Test func aDeletedUDPServiceLeavesEachEndpointsFlowsStale() {
        #expect(StaleUDPFlow.between(model(["10.42.1.2"]), ProxyModel()) == [
            .clusterIPEndpoint(service: IPAddress("10.43.0.53")!, port: 53, endpoint: IPAddress("10.42.1.2")!),
        ])
    }

    @Test func tcpAndUnchangedServicesLeaveNothing() {
        #expect(StaleUDPFlow.between(model(["10.42.1.2", "10.42.2.2"], proto: .tcp), model(["10.42.1.2"], proto: .tcp)).isEmpty)
        #expect(StaleUDPFlow.between(model(["10.42.1.2"], nodePort: true), model(["10.42.1.2"], nodePort: true)).isEmpty)
        // The same endpoints in another order: nothing is gone.
        #expect(StaleUDPFlow.between(model(["10.42.1.2", "10.42.2.2"]), model(["10.42.2.2", "10.42.1.2"])).isEmpty)
    }

    @Test func ipv6FlowsNameTheirFamily() {
        let flow = StaleUDPFlow.clusterIPEndpoint(service: IPAddress("fd43::53")!, port: 53, endpoint: IPAddress("fd42:2::2")!)
        #expect(flow.deleteArguments == [
            "-D", "-f", "ipv6", "-p", "udp", "--orig-dst", "fd43::53", "--orig-port-dst", "53", "--reply-src", "fd42:2::2",
        ])
        #expect(StaleUDPFlow.nodePortEndpoint(port: 30053, endpoint: IPAddress("fd42:2::2")!).deleteArguments.prefix(3) == ["-D", "-f", "ipv6"])
    }
}
