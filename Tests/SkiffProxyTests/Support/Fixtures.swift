import SkiffProxy

/// A small cluster's desired state: a two-endpoint Service with a NodePort, a
/// sticky one, one without endpoints.
enum Fixtures {
    static let cidr = IPv4CIDR("10.42.0.0/16")!

    static func model(extraServices: Int = 0) -> ProxyModel {
        var model = ProxyModel()
        let web = [Objects.backend("10.42.1.2"), Objects.backend("10.42.2.2")]
        model.clusterIPs[Objects.address("10.43.0.10")] = .balance(backends: web, affinitySeconds: nil, masquerade: .outsideClusterCIDR)
        model.nodePorts[NodePortKey(proto: .tcp, port: 30080)] = .balance(backends: web, affinitySeconds: nil, masquerade: .always)
        model.clusterIPs[Objects.address("10.43.0.11")] = .balance(
            backends: [Objects.backend("10.42.3.2")], affinitySeconds: 10800, masquerade: .outsideClusterCIDR)
        model.clusterIPs[Objects.address("10.43.0.12")] = .reject
        for index in 0..<extraServices {
            let address = IPv4(IPv4("10.43.100.0")!.value + UInt32(index))
            model.clusterIPs[ServiceAddress(address: address, proto: .tcp, port: 80)] = .balance(
                backends: [Objects.backend("10.42.1.2"), Objects.backend("10.42.2.2")], affinitySeconds: nil,
                masquerade: .outsideClusterCIDR)
        }
        return model
    }
}
