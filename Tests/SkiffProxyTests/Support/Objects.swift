import SkiffAPI
import SkiffProxy

/// Services and EndpointSlices as the API server and the EndpointSlice controller write them.
enum Objects {
    static func service(
        _ name: String, clusterIP: String, ports: [(name: String?, port: Int32, target: Int32, nodePort: Int32?)] = [(nil, 80, 8080, nil)],
        protocol: String = "TCP", namespace: String = "default", change: (inout ServiceSpec) -> Void = { _ in }
    ) -> Service {
        var service = Service()
        service.metadata.name = name
        service.metadata.namespace = namespace
        service.spec.clusterIP = clusterIP
        service.spec.clusterIPs = [clusterIP]
        service.spec.type = ports.contains { $0.nodePort != nil } ? ServiceType.nodePort : ServiceType.clusterIP
        service.spec.ports = ports.map { port in
            var servicePort = ServicePort(name: port.name, protocol: `protocol`, port: port.port, targetPort: .int(port.target))
            servicePort.nodePort = port.nodePort
            return servicePort
        }
        service.spec.selector = ["app": name]
        change(&service.spec)
        return service
    }

    struct EP {
        var ip: String
        var ready = true
        var serving: Bool? = nil
        var terminating: Bool? = nil
        var node: String? = "node-a"
    }

    static func slice(
        for service: String, _ endpoints: [EP], port: Int32 = 8080, portName: String? = nil, protocol: String = "TCP",
        name: String? = nil, namespace: String = "default", addressType: String = "IPv4"
    ) -> EndpointSlice {
        var slice = EndpointSlice()
        slice.metadata.name = name ?? "\(service)-abcde"
        slice.metadata.namespace = namespace
        slice.metadata.labels = [ModelBuilder.serviceNameLabel: service]
        slice.addressType = addressType
        var slicePort = EndpointSlicePort()
        slicePort.name = portName
        slicePort.protocol = `protocol`
        slicePort.port = port
        slice.ports = [slicePort]
        slice.endpoints = endpoints.map { ep in
            var endpoint = Endpoint()
            endpoint.addresses = [ep.ip]
            endpoint.conditions.ready = ep.ready
            endpoint.conditions.serving = ep.serving
            endpoint.conditions.terminating = ep.terminating
            endpoint.nodeName = ep.node
            return endpoint
        }
        return slice
    }

    static func backend(_ ip: String, _ port: UInt16 = 8080) -> Backend { Backend(address: IPAddress(ip)!, port: port) }

    static func address(_ ip: String, _ port: UInt16 = 80, _ proto: L4Protocol = .tcp) -> ServiceAddress {
        ServiceAddress(address: IPAddress(ip)!, proto: proto, port: port)
    }
}
