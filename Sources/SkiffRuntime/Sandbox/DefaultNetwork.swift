/// The pod network Skiff ships: a Linux bridge on the node with host-local addresses
/// from the node's podCIDR, hostPorts by portmap, and `lo` up in every pod.
public enum DefaultNetwork {
    public static let name = "skiff"
    public static let bridge = "skiff0"
    /// A one-node cluster's podCIDR: the first /24 of the default cluster CIDR 10.42.0.0/16.
    public static let podCIDR = "10.42.0.0/24"

    /// The conflist for a node: `podCIDR` is the node's `spec.podCIDR`.
    ///
    /// - The bridge is the pods' gateway (its address is the first of the range), with
    ///   hairpin mode so a pod reaches itself through a Service. It does not masquerade:
    ///   that is the service proxy's rule, which knows the cluster CIDR.
    /// - The default route sends every other destination through the bridge to the
    ///   node, which routes other nodes' podCIDRs via their InternalIP (host-gw).
    /// - loopback passes the result before it on unchanged and brings `lo` up.
    public static func conflist(
        podCIDR: String = podCIDR, bridge: String = bridge, name: String = name,
        ipamDataDirectory: String = SandboxDefaults.ipamDataDirectory
    ) -> CNINetworkList {
        let bridgePlugin: [String: JSONValue] = [
            "type": "bridge", "bridge": .string(bridge), "isGateway": true, "ipMasq": false, "hairpinMode": true,
            "ipam": [
                "type": "host-local", "dataDir": .string(ipamDataDirectory),
                "ranges": [[["subnet": .string(podCIDR)]]],
                "routes": [["dst": "0.0.0.0/0"]],
            ],
        ]
        return CNINetworkList(cniVersion: "1.0.0", name: name, plugins: [
            .init(configuration: bridgePlugin),
            .init(configuration: ["type": "portmap", "capabilities": ["portMappings": true]]),
            .init(configuration: ["type": "loopback"]),
        ])
    }
}
