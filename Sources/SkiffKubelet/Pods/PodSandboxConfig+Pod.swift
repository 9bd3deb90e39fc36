import SkiffAPI
import SkiffRuntime

extension PodSandboxConfig {
    /// What a pod's spec asks of its sandbox: host namespaces, hostPorts, DNS,
    /// hostname and the pod's host aliases.
    init(pod: Pod, clusterDomain: String) {
        let spec = pod.spec
        let name = pod.metadata.name ?? ""
        let namespace = pod.metadata.namespace ?? "default"
        let hostname = spec.hostname.flatMap { $0.isEmpty ? nil : $0 } ?? name
        let domain = spec.subdomain.flatMap { $0.isEmpty ? nil : "\($0).\(namespace).svc.\(clusterDomain)" }
        let ports = (spec.containers + (spec.initContainers ?? [])).flatMap { $0.ports ?? [] }.compactMap { port -> PortMapping? in
            guard let hostPort = port.hostPort, hostPort > 0 else { return nil }
            let transport = PortMapping.TransportProtocol(rawValue: (port.protocol ?? "TCP").lowercased()) ?? .tcp
            return PortMapping(
                hostPort: Int(hostPort), containerPort: Int(port.containerPort), protocol: transport, hostIP: port.hostIP ?? "")
        }
        let dnsConfig = spec.dnsConfig.map { config in
            PodDNS.Config(
                nameservers: config.nameservers ?? [], searches: config.searches ?? [],
                options: (config.options ?? []).compactMap { option in
                    guard let name = option.name else { return nil }
                    return option.value.map { "\(name):\($0)" } ?? name
                })
        }
        self.init(
            uid: pod.metadata.uid ?? "", namespace: namespace, name: name, hostname: String(hostname.prefix(63)),
            hostDomain: domain, hostNetwork: spec.hostNetwork ?? false, hostIPC: spec.hostIPC ?? false,
            portMappings: ports, dnsPolicy: PodDNS.Policy(rawValue: spec.dnsPolicy ?? "ClusterFirst") ?? .clusterFirst,
            dnsConfig: dnsConfig,
            hostAliases: (spec.hostAliases ?? []).map { PodFiles.HostAlias(ip: $0.ip, hostnames: $0.hostnames ?? []) })
    }
}

extension PodSandbox {
    /// The paths every container of the pod is made with.
    var containerPaths: PodSandboxPaths {
        PodSandboxPaths(
            network: namespacePaths[.network], ipc: namespacePaths[.ipc], uts: namespacePaths[.uts], hosts: hostsPath,
            resolvConf: resolvConfPath, hostname: config.hostNetwork ? nil : hostnamePath)
    }
}
