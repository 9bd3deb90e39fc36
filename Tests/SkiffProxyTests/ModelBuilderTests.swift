import SkiffAPI
import SkiffProxy
import Testing

@Suite("Proxy model from Services and EndpointSlices")
struct ModelBuilderTests {
    let builder = ModelBuilder(nodeName: "node-a")

    @Test func clusterIPBalancesOverReadyEndpointsSorted() {
        let result = builder.build(
            services: [Objects.service("web", clusterIP: "10.43.0.10")],
            slices: [Objects.slice(for: "web", [.init(ip: "10.42.0.7"), .init(ip: "10.42.0.5"), .init(ip: "10.42.0.6", ready: false)])])
        #expect(result.problems.isEmpty)
        #expect(result.model.clusterIPs == [
            Objects.address("10.43.0.10"): .balance(
                backends: [Objects.backend("10.42.0.5"), Objects.backend("10.42.0.7")], affinitySeconds: nil,
                masquerade: .outsideClusterCIDR)
        ])
        #expect(result.model.nodePorts.isEmpty)
    }

    @Test func terminatingEndpointsOnlyWhenNoneIsReady() {
        let service = Objects.service("web", clusterIP: "10.43.0.10")
        let draining = Objects.EP(ip: "10.42.0.9", ready: false, serving: true, terminating: true)
        let gone = Objects.EP(ip: "10.42.0.8", ready: false, serving: false, terminating: true)
        let onlyTerminating = builder.build(services: [service], slices: [Objects.slice(for: "web", [draining, gone])])
        #expect(onlyTerminating.model.clusterIPs[Objects.address("10.43.0.10")]
            == .balance(backends: [Objects.backend("10.42.0.9")], affinitySeconds: nil, masquerade: .outsideClusterCIDR))
        let withReady = builder.build(
            services: [service], slices: [Objects.slice(for: "web", [draining, .init(ip: "10.42.0.3")])])
        #expect(withReady.model.clusterIPs[Objects.address("10.43.0.10")]
            == .balance(backends: [Objects.backend("10.42.0.3")], affinitySeconds: nil, masquerade: .outsideClusterCIDR))
    }

    @Test func serviceWithoutEndpointsIsRejected() {
        let result = builder.build(
            services: [Objects.service("web", clusterIP: "10.43.0.10", ports: [(nil, 80, 8080, 30080)])],
            slices: [Objects.slice(for: "web", [.init(ip: "10.42.0.5", ready: false)])])
        #expect(result.model.clusterIPs[Objects.address("10.43.0.10")] == .reject)
        #expect(result.model.nodePorts[NodePortKey(proto: .tcp, port: 30080)] == .reject)
    }

    @Test func localPoliciesUseThisNodesEndpointsAndDropWhenItHasNone() {
        let service = Objects.service("web", clusterIP: "10.43.0.10", ports: [(nil, 80, 8080, 30080)]) {
            $0.internalTrafficPolicy = "Local"
            $0.externalTrafficPolicy = "Local"
        }
        let elsewhere = builder.build(services: [service], slices: [Objects.slice(for: "web", [.init(ip: "10.42.1.5", node: "node-b")])])
        #expect(elsewhere.model.clusterIPs[Objects.address("10.43.0.10")] == .drop)
        #expect(elsewhere.model.nodePorts[NodePortKey(proto: .tcp, port: 30080)] == .drop)
        let here = builder.build(services: [service], slices: [Objects.slice(for: "web", [
            .init(ip: "10.42.1.5", node: "node-b"), .init(ip: "10.42.0.5", node: "node-a"),
        ])])
        #expect(here.model.nodePorts[NodePortKey(proto: .tcp, port: 30080)]
            == .balance(backends: [Objects.backend("10.42.0.5")], affinitySeconds: nil, masquerade: .never))
    }

    @Test func nodePortOfClusterPolicyAlwaysMasquerades() {
        let result = builder.build(
            services: [Objects.service("web", clusterIP: "10.43.0.10", ports: [(nil, 80, 8080, 30080)])],
            slices: [Objects.slice(for: "web", [.init(ip: "10.42.1.5", node: "node-b")])])
        #expect(result.model.nodePorts[NodePortKey(proto: .tcp, port: 30080)]
            == .balance(backends: [Objects.backend("10.42.1.5")], affinitySeconds: nil, masquerade: .always))
    }

    /// External IPs and load balancer ingress IPs answer on the Service's ports as
    /// traffic from outside: externalTrafficPolicy decides masquerade and endpoints.
    @Test func externalAndLoadBalancerIPsAreReachedAsFromOutside() {
        func service(_ policy: String) -> Service {
            var service = Objects.service("web", clusterIP: "10.43.0.10", ports: [(nil, 80, 8080, 30080)]) {
                $0.type = ServiceType.loadBalancer
                $0.externalIPs = ["192.168.200.1", "fd00::1"]
                $0.externalTrafficPolicy = policy
            }
            var proxied = LoadBalancerIngress(), direct = LoadBalancerIngress()
            direct.ip = "203.0.113.7"
            proxied.ip = "198.51.100.9"
            proxied.ipMode = "Proxy"
            service.status.loadBalancer.ingress = [direct, proxied]
            return service
        }
        let slices = [Objects.slice(for: "web", [.init(ip: "10.42.0.5"), .init(ip: "10.42.1.5", node: "node-b")])]
        let all = [Objects.backend("10.42.0.5"), Objects.backend("10.42.1.5")]
        let cluster = builder.build(services: [service("Cluster")], slices: slices)
        #expect(cluster.model.clusterIPs[Objects.address("10.43.0.10")]
            == .balance(backends: all, affinitySeconds: nil, masquerade: .outsideClusterCIDR))
        for address in ["192.168.200.1", "203.0.113.7"] {
            #expect(cluster.model.clusterIPs[Objects.address(address)] == .balance(backends: all, affinitySeconds: nil, masquerade: .always))
            #expect(cluster.model.clusterIPNames[Objects.address(address)] == "default/web")
        }
        #expect(cluster.model.clusterIPs[Objects.address("198.51.100.9")] == nil, "ipMode Proxy: the load balancer delivers to the node")
        #expect(cluster.problems.map(\.description) == ["service default/web: external address fd00::1 is IPv6; this node's proxy programs IPv4 only"])
        #expect(cluster.problems.map(\.reason) == [.unsupportedAddress])
        let local = builder.build(services: [service("Local")], slices: slices)
        #expect(local.model.clusterIPs[Objects.address("203.0.113.7")]
            == .balance(backends: [Objects.backend("10.42.0.5")], affinitySeconds: nil, masquerade: .never))
        #expect(local.model.clusterIPs[Objects.address("10.43.0.10")]
            == .balance(backends: all, affinitySeconds: nil, masquerade: .outsideClusterCIDR), "the cluster IP keeps every endpoint")
    }

    @Test func aLocalLoadBalancerHasAHealthCheckCountingThisNodesReadyEndpoints() {
        let key = ServiceKey(namespace: "default", name: "lb")
        let local = Objects.service("lb", clusterIP: "10.43.0.20") {
            $0.type = ServiceType.loadBalancer
            $0.externalTrafficPolicy = "Local"
            $0.healthCheckNodePort = 31500
        }
        let slice = Objects.slice(for: "lb", [
            .init(ip: "10.42.0.5"), .init(ip: "10.42.0.6", ready: false), .init(ip: "10.42.1.5", node: "node-b"),
        ])
        #expect(builder.part(of: local, key: key, slices: [slice]).healthCheck == ServicePart.HealthCheck(port: 31500, localEndpoints: 1))
        var cluster = local
        cluster.spec.externalTrafficPolicy = "Cluster"
        #expect(builder.part(of: cluster, key: key, slices: [slice]).healthCheck == nil, "only Local traffic needs to know")
    }

    @Test func clientIPAffinityCarriesItsTimeout() {
        let defaulted = Objects.service("a", clusterIP: "10.43.0.10") { $0.sessionAffinity = "ClientIP" }
        let configured = Objects.service("b", clusterIP: "10.43.0.11") {
            $0.sessionAffinity = "ClientIP"
            var config = SessionAffinityConfig()
            config.clientIP = ClientIPConfig()
            config.clientIP?.timeoutSeconds = 60
            $0.sessionAffinityConfig = config
        }
        let result = builder.build(
            services: [defaulted, configured],
            slices: [Objects.slice(for: "a", [.init(ip: "10.42.0.5")]), Objects.slice(for: "b", [.init(ip: "10.42.0.6")])])
        #expect(result.model.clusterIPs[Objects.address("10.43.0.10")]
            == .balance(backends: [Objects.backend("10.42.0.5")], affinitySeconds: 10800, masquerade: .outsideClusterCIDR))
        #expect(result.model.clusterIPs[Objects.address("10.43.0.11")]
            == .balance(backends: [Objects.backend("10.42.0.6")], affinitySeconds: 60, masquerade: .outsideClusterCIDR))
    }

    @Test func portsMatchSlicesByNameAndProtocol() {
        let service = Objects.service("dns", clusterIP: "10.43.0.53", ports: [("dns", 53, 53, nil)], protocol: "UDP")
        let tcpSlice = Objects.slice(for: "dns", [.init(ip: "10.42.0.2")], port: 53, portName: "dns", protocol: "TCP", name: "dns-tcp")
        let udpSlice = Objects.slice(for: "dns", [.init(ip: "10.42.0.3")], port: 5353, portName: "dns", protocol: "UDP", name: "dns-udp")
        let result = builder.build(services: [service], slices: [tcpSlice, udpSlice])
        #expect(result.model.clusterIPs == [
            Objects.address("10.43.0.53", 53, .udp): .balance(
                backends: [Objects.backend("10.42.0.3", 5353)], affinitySeconds: nil, masquerade: .outsideClusterCIDR)
        ])
    }

    @Test func skipsHeadlessExternalNameAndIPv6AndReportsConflicts() {
        let headless = Objects.service("headless", clusterIP: "None")
        let external = Objects.service("ext", clusterIP: "") { $0.type = ServiceType.externalName }
        let six = Objects.service("six", clusterIP: "fd00::10")
        let first = Objects.service("a", clusterIP: "10.43.0.10", ports: [(nil, 80, 8080, 30080)])
        let second = Objects.service("b", clusterIP: "10.43.0.11", ports: [(nil, 80, 8080, 30080)])
        let result = builder.build(services: [headless, external, six, second, first], slices: [])
        #expect(Set(result.model.clusterIPs.keys) == [Objects.address("10.43.0.10"), Objects.address("10.43.0.11")])
        #expect(result.problems.count == 2)
        #expect(result.problems.contains { $0.reason == .unsupportedAddress && $0.message.contains("fd00::10") })
        #expect(result.problems.contains {
            $0.service == ServiceKey(namespace: "default", name: "b") && $0.reason == .frontendInUse && $0.message.contains("30080")
        })
    }
}
