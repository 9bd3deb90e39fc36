import Testing
@testable import SkiffRuntime

struct SandboxFilesTests {
    @Test func theManagedHostsFileHasLocalhostThenThePodAndItsAliases() {
        let hosts = PodFiles.managedHosts(
            podIPs: ["10.42.0.5"], hostname: "web-0", domain: "web.default.svc.cluster.local",
            aliases: [.init(ip: "10.1.2.3", hostnames: ["foo.local", "bar.local"])])
        #expect(hosts == """
            # Kubernetes-managed hosts file.
            127.0.0.1\tlocalhost
            ::1\tlocalhost ip6-localhost ip6-loopback
            fe00::0\tip6-localnet
            fe00::0\tip6-mcastprefix
            fe00::1\tip6-allnodes
            fe00::2\tip6-allrouters
            10.42.0.5\tweb-0.web.default.svc.cluster.local\tweb-0

            # Entries added by HostAliases.
            10.1.2.3\tfoo.local\tbar.local

            """)
        let plain = PodFiles.managedHosts(podIPs: ["10.42.0.6"], hostname: "nginx", domain: nil, aliases: [])
        #expect(plain.hasSuffix("fe00::2\tip6-allrouters\n10.42.0.6\tnginx\n"))
    }

    @Test func aHostNetworkPodSeesTheNodesHostsFile() {
        let hosts = PodFiles.nodeHosts("127.0.0.1 localhost\n192.168.1.5 node1", aliases: [.init(ip: "10.0.0.1", hostnames: ["x"])])
        #expect(hosts == "# Kubernetes-managed hosts file (host network).\n127.0.0.1 localhost\n192.168.1.5 node1\n\n# Entries added by HostAliases.\n10.0.0.1\tx\n")
    }

    @Test func theNodesResolvConfIsParsedAsGlibcDoes() {
        let node = ResolvConf(parsing: """
            # generated
            nameserver 127.0.0.53
            nameserver 192.168.1.1 ; router
            domain old.example
            search corp.example lab.example
            options edns0 trust-ad
            options rotate
            sortlist 130.155.160.0/255.255.240.0
            """)
        #expect(node.nameservers == ["127.0.0.53", "192.168.1.1"])
        #expect(node.searches == ["corp.example", "lab.example"], "the last search line wins")
        #expect(node.options == ["edns0", "trust-ad", "rotate"])
        #expect(node.reachableFromPods.nameservers == ["192.168.1.1"], "the node's loopback is not the pod's")
    }

    @Test func clusterFirstGivesClusterDNSWithTheNamespaceSearchPath() {
        let node = ResolvConf(nameservers: ["192.168.1.1"], searches: ["corp.example"], options: ["edns0"])
        let cluster = PodDNS.Cluster(nameservers: ["10.43.0.10"])
        let dns = PodDNS(policy: .clusterFirst, config: nil, cluster: cluster, node: node, podNamespace: "shop", hostNetwork: false)
        #expect(dns.resolvConf == """
            nameserver 10.43.0.10
            search shop.svc.cluster.local svc.cluster.local cluster.local corp.example
            options ndots:5

            """)
        // A hostNetwork pod's ClusterFirst is Default…
        let onHost = PodDNS(policy: .clusterFirst, config: nil, cluster: cluster, node: node, podNamespace: "shop", hostNetwork: true)
        #expect(onHost.resolvConf == "nameserver 192.168.1.1\nsearch corp.example\noptions edns0\n")
        // …unless it asks for the cluster's.
        let withHostNet = PodDNS(policy: .clusterFirstWithHostNet, config: nil, cluster: cluster, node: node, podNamespace: "shop", hostNetwork: true)
        #expect(withHostNet.nameservers == ["10.43.0.10"])
        // No cluster DNS yet: Default.
        let noClusterDNS = PodDNS(policy: .clusterFirst, config: nil, cluster: PodDNS.Cluster(), node: node, podNamespace: "shop", hostNetwork: false)
        #expect(noClusterDNS.nameservers == ["192.168.1.1"])
    }

    @Test func thePodsDNSConfigMergesOverThePolicyWithinLimits() {
        let node = ResolvConf(nameservers: ["1.1.1.1", "2.2.2.2"], searches: ["a.example"], options: [])
        let config = PodDNS.Config(nameservers: ["2.2.2.2", "3.3.3.3", "4.4.4.4"], searches: ["a.example", "b.example"], options: ["ndots:2", "edns0"])
        let merged = PodDNS(policy: .clusterFirst, config: config, cluster: .init(nameservers: ["10.43.0.10"]), node: node, podNamespace: "ns", hostNetwork: false)
        #expect(merged.nameservers == ["10.43.0.10", "2.2.2.2", "3.3.3.3"], "duplicates dropped, three kept")
        #expect(merged.searches == ["ns.svc.cluster.local", "svc.cluster.local", "cluster.local", "a.example", "b.example"])
        #expect(merged.options == ["ndots:2", "edns0"], "the pod's ndots replaces the policy's")

        let none = PodDNS(policy: .none, config: .init(nameservers: ["9.9.9.9"], searches: ["x.example"]), cluster: .init(), node: node, podNamespace: "ns", hostNetwork: false)
        #expect(none.resolvConf == "nameserver 9.9.9.9\nsearch x.example\n")
    }

    @Test func aPodsContainersJoinItsPinnedNamespacesAndShareTheRestWithTheNode() {
        func sandbox(_ config: PodSandboxConfig) -> PodSandbox {
            let paths = Dictionary(uniqueKeysWithValues: config.pinnedKinds.map { ($0, "/run/skiff/\($0.directoryName)/\(config.uid)") })
            return PodSandbox(config: config, namespacePaths: paths, podIPs: [], network: nil, hostsPath: "h", resolvConfPath: "r", hostnamePath: "n", ready: true)
        }
        let pod = sandbox(PodSandboxConfig(uid: "u1", namespace: "ns", name: "web"))
        #expect(Set(pod.containerNamespaces) == [
            .init(.mount), .init(.pid), .init(.cgroup), .init(.network, joinPath: "/run/skiff/netns/u1"),
            .init(.ipc, joinPath: "/run/skiff/ipcns/u1"), .init(.uts, joinPath: "/run/skiff/utsns/u1"),
        ])
        let onHost = sandbox(PodSandboxConfig(uid: "u2", namespace: "ns", name: "agent", hostNetwork: true, hostIPC: true))
        #expect(Set(onHost.containerNamespaces) == [.init(.mount), .init(.pid), .init(.cgroup)])
        #expect(onHost.containerMounts.map(\.target) == ["/etc/hosts", "/etc/resolv.conf", "/etc/hostname"])
        #expect(PodSandboxConfig(uid: "u", namespace: "n", name: String(repeating: "x", count: 70)).hostname.count == 63)
    }

    @Test func sandboxNamesAreCheckedBeforeTheyBecomePaths() {
        for bad in ["", "../etc", "a/b", ".hidden", "-x", String(repeating: "a", count: 129), "sp ace"] {
            #expect(throws: SandboxError.self, "\(bad)") { try PinnedNamespaces.validate(name: bad) }
        }
        #expect(throws: Never.self) { try PinnedNamespaces.validate(name: "0b9c6f3e-2f7a-4c41-9d55-4c7f0e7b1a2d") }
    }
}
