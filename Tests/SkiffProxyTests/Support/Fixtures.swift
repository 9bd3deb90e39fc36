import SkiffProxy

/// A small cluster's desired state: a two-endpoint Service with a NodePort, a
/// sticky one, one without endpoints.
enum Fixtures {
    static let cidr = IPCIDR("10.42.0.0/16")!

    static func model(extraServices: Int = 0) -> ProxyModel {
        var model = ProxyModel()
        let web = [Objects.backend("10.42.1.2"), Objects.backend("10.42.2.2")]
        model.clusterIPs[Objects.address("10.43.0.10")] = .balance(backends: web, affinitySeconds: nil, masquerade: .outsideClusterCIDR)
        model.nodePorts[NodePortKey(proto: .tcp, port: 30080)] = .balance(backends: web, affinitySeconds: nil, masquerade: .always)
        model.clusterIPs[Objects.address("10.43.0.11")] = .balance(
            backends: [Objects.backend("10.42.3.2")], affinitySeconds: 10800, masquerade: .outsideClusterCIDR)
        model.clusterIPs[Objects.address("10.43.0.12")] = .reject
        for index in 0..<extraServices {
            let address = IPAddress(family: .ipv4, value: IPAddress("10.43.100.0")!.value + UInt128(index))
            model.clusterIPs[ServiceAddress(address: address, proto: .tcp, port: 80)] = .balance(
                backends: [Objects.backend("10.42.1.2"), Objects.backend("10.42.2.2")], affinitySeconds: nil,
                masquerade: .outsideClusterCIDR)
        }
        return model
    }
}

/// The IPv6 half of a dual-stack cluster: the same Services as ``Fixtures``' in
/// fd43::/108, pods in fd42::/56.
enum Fixtures6 {
    static let cidr = IPCIDR("fd42::/56")!

    static func model() -> ProxyModel {
        var model = ProxyModel()
        let web = [Objects.backend("fd42:1::2"), Objects.backend("fd42:2::2")]
        model.clusterIPs[Objects.address("fd43::10")] = .balance(backends: web, affinitySeconds: nil, masquerade: .outsideClusterCIDR)
        model.nodePorts[NodePortKey(proto: .tcp, port: 30080)] = .balance(backends: web, affinitySeconds: nil, masquerade: .always)
        model.clusterIPs[Objects.address("fd43::11")] = .balance(
            backends: [Objects.backend("fd42:3::2")], affinitySeconds: 10800, masquerade: .outsideClusterCIDR)
        model.clusterIPs[Objects.address("fd43::12")] = .reject
        return model
    }
}
