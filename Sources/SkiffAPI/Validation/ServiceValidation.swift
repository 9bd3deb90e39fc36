extension Service: Validatable {
    static let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
    static let protocols = ["SCTP", "TCP", "UDP"]

    /// ValidateService (create). The registry allocates cluster IPs and node ports
    /// before validation, as upstream's BeginCreate does; an unset clusterIP passes.
    public func validateCreate() -> [FieldError] {
        normalized.validateService()
    }

    /// ValidateServiceUpdate: cluster IPs, IP families and the load balancer class keep their values.
    public func validateUpdate(old: Service) -> [FieldError] {
        let new = normalized
        let old = old.normalized
        var errors = metadata.validateUpdate(old: old.metadata)
        errors += new.validateClusterIPChanges(old: old)
        errors += new.validateIPFamilyChanges(old: old)
        if old.spec.type == ServiceType.loadBalancer && new.spec.type == ServiceType.loadBalancer
            && old.spec.loadBalancerClass != new.spec.loadBalancerClass
        {
            errors.append(.invalid(FieldPath("spec", "loadBalancerClass"),
                                   new.spec.loadBalancerClass.map { .string($0) } ?? .null, "may not change once set"))
        }
        if old.needsHealthCheck && new.needsHealthCheck && old.spec.healthCheckNodePort != new.spec.healthCheckNodePort {
            errors.append(.forbidden(FieldPath("spec", "healthCheckNodePort"), Messages.immutable))
        }
        return errors + new.validateService()
    }

    /// clusterIP and clusterIPs in step, as the registry keeps them before validating.
    var normalized: Service {
        var service = self
        if let clusterIP = spec.clusterIP, !clusterIP.isEmpty, (spec.clusterIPs ?? []).isEmpty {
            service.spec.clusterIPs = [clusterIP]
        } else if (spec.clusterIP ?? "").isEmpty, let first = spec.clusterIPs?.first {
            service.spec.clusterIP = first
        }
        return service
    }

    var isHeadless: Bool { spec.clusterIPs == ["None"] }

    /// A LoadBalancer that keeps client source addresses needs a health check port.
    var needsHealthCheck: Bool { spec.type == ServiceType.loadBalancer && spec.externalTrafficPolicy == "Local" }

    private func validateService() -> [FieldError] {
        let specPath = FieldPath("spec")
        var errors = metadata.validateCreate(namespaced: true, name: .dns1035Label)
        let ports = spec.ports ?? []
        let type = spec.type ?? ""
        if ports.isEmpty && !isHeadless && type != ServiceType.externalName {
            errors.append(.required(specPath.child("ports")))
        }
        switch type {
        case ServiceType.loadBalancer where isHeadless:
            errors.append(.invalid(specPath.child("clusterIPs").index(0), .string("None"),
                                   "may not be set to 'None' for LoadBalancer services"))
        case ServiceType.nodePort where isHeadless:
            errors.append(.invalid(specPath.child("clusterIPs").index(0), .string("None"),
                                   "may not be set to 'None' for NodePort services"))
        case ServiceType.externalName:
            if !(spec.clusterIPs ?? []).isEmpty {
                errors.append(.forbidden(specPath.child("clusterIPs"), "may not be set for ExternalName services"))
            }
            if !(spec.ipFamilies ?? []).isEmpty {
                errors.append(.forbidden(specPath.child("ipFamilies"), "may not be set for ExternalName services"))
            }
            if spec.ipFamilyPolicy != nil {
                errors.append(.forbidden(specPath.child("ipFamilyPolicy"), "may not be set for ExternalName services"))
            }
            let name = spec.externalName ?? ""
            let cname = name.hasSuffix(".") ? String(name.dropLast()) : name
            if cname.isEmpty {
                errors.append(.required(specPath.child("externalName")))
            } else {
                errors += Check.dnsSubdomain(cname, specPath.child("externalName"))
            }
        default: break
        }
        var portNames = Set<String>()
        for (index, port) in ports.enumerated() {
            errors += port.validate(requireName: ports.count > 1, names: &portNames, path: specPath.child("ports").index(index))
        }
        if let selector = spec.selector { errors += Validation.validateLabels(selector, path: specPath.child("selector")) }
        let affinity = spec.sessionAffinity ?? ""
        if affinity.isEmpty {
            errors.append(.required(specPath.child("sessionAffinity")))
        } else if affinity != "ClientIP" && affinity != "None" {
            errors.append(.notSupported(specPath.child("sessionAffinity"), .string(affinity), supported: ["ClientIP", "None"]))
        }
        if affinity == "ClientIP" {
            errors += validateClientIPAffinity(path: specPath.child("sessionAffinityConfig"))
        } else if affinity == "None" && spec.sessionAffinityConfig != nil {
            errors.append(.forbidden(specPath.child("sessionAffinityConfig"), "must not be set when session affinity is None"))
        }
        errors += validateClusterIPs()
        for (index, ip) in (spec.externalIPs ?? []).enumerated() {
            let item = specPath.child("externalIPs").index(index)
            let ipErrors = Check.ip(ip, item)
            errors += ipErrors.isEmpty ? Check.nonSpecialIP(ip, item) : ipErrors
        }
        if type.isEmpty {
            errors.append(.required(specPath.child("type")))
        } else if !Self.types.contains(type) {
            errors.append(.notSupported(specPath.child("type"), .string(type), supported: Self.types))
        }
        if type == ServiceType.clusterIP {
            for (index, port) in ports.enumerated() where (port.nodePort ?? 0) != 0 {
                errors.append(.forbidden(specPath.child("ports").index(index).child("nodePort"),
                                         "may not be used when `type` is 'ClusterIP'"))
            }
        }
        errors += validatePortUniqueness(ports, path: specPath.child("ports"))
        errors += validateLoadBalancerFields(type: type, path: specPath)
        errors += validateTrafficPolicies(type: type, path: specPath)
        return errors
    }

    private func validateClientIPAffinity(path: FieldPath) -> [FieldError] {
        guard let config = spec.sessionAffinityConfig else { return [.required(path, "when session affinity type is ClientIP")] }
        guard let clientIP = config.clientIP else { return [.required(path.child("clientIP"), "when session affinity type is ClientIP")] }
        guard let timeout = clientIP.timeoutSeconds else {
            return [.required(path.child("clientIP", "timeoutSeconds"), "when session affinity type is ClientIP")]
        }
        if timeout <= 0 || timeout > 86400 {
            return [.invalid(path.child("clientIP", "timeoutSeconds"), .int(Int64(timeout)),
                             "must be greater than 0 and less than 86400")]
        }
        return []
    }

    /// Duplicate node ports and duplicate (protocol, port) pairs.
    private func validatePortUniqueness(_ ports: [ServicePort], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        var nodePorts = Set<String>()
        for (index, port) in ports.enumerated() {
            guard let nodePort = port.nodePort, nodePort != 0 else { continue }
            let key = (port.protocol ?? "") + "/" + String(nodePort)
            if nodePorts.contains(key) { errors.append(.duplicate(path.index(index).child("nodePort"), .int(Int64(nodePort)))) }
            nodePorts.insert(key)
        }
        var seen = Set<String>()
        for (index, port) in ports.enumerated() {
            let key = (port.protocol ?? "") + "/" + String(port.port)
            if seen.contains(key) {
                let rendered = "core.ServicePort{Name:\"\", Protocol:\(GoText.quote(port.protocol ?? "")), "
                    + "AppProtocol:(*string)(nil), Port:\(port.port), TargetPort:\(GoSyntax.intOrString(.int(0))), NodePort:0}"
                errors.append(.duplicate(path.index(index), rendered: rendered))
            }
            seen.insert(key)
        }
        return errors
    }

    private func validateLoadBalancerFields(type: String, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let ranges = spec.loadBalancerSourceRanges ?? []
        if !ranges.isEmpty {
            let rangesPath = path.child("LoadBalancerSourceRanges")
            if type != ServiceType.loadBalancer {
                errors.append(.forbidden(rangesPath, "may only be used when `type` is 'LoadBalancer'"))
            }
            for (index, range) in ranges.enumerated() {
                let value = range.trimmingGoSpace()
                errors += Validation.isValidCIDR(value).map { .invalid(rangesPath.index(index), .string(value), $0) }
            }
        }
        if spec.allocateLoadBalancerNodePorts != nil && type != ServiceType.loadBalancer {
            errors.append(.forbidden(path.child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'"))
        }
        if type == ServiceType.loadBalancer && spec.allocateLoadBalancerNodePorts == nil {
            // Upstream's path lacks the `spec.` prefix here.
            errors.append(.required(FieldPath("allocateLoadBalancerNodePorts")))
        }
        if let loadBalancerClass = spec.loadBalancerClass {
            if type == ServiceType.loadBalancer {
                errors += Check.qualifiedName(loadBalancerClass, path.child("loadBalancerClass"))
            } else {
                errors.append(.forbidden(path.child("loadBalancerClass"), "may only be used when `type` is 'LoadBalancer'"))
            }
        }
        return errors
    }

    private func validateTrafficPolicies(type: String, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let external = spec.externalTrafficPolicy ?? ""
        if !isExternallyAccessible {
            if !external.isEmpty {
                errors.append(.invalid(path.child("externalTrafficPolicy"), .string(external),
                                       "may only be set for externally-accessible services"))
            }
        } else {
            errors += Check.oneOf(external, ["Cluster", "Local"], path.child("externalTrafficPolicy"))
        }
        let healthCheckPort = spec.healthCheckNodePort ?? 0
        if !needsHealthCheck {
            if healthCheckPort != 0 {
                errors.append(.invalid(path.child("healthCheckNodePort"), .int(Int64(healthCheckPort)),
                                       "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
            }
        } else if healthCheckPort == 0 {
            errors.append(.required(path.child("healthCheckNodePort")))
        } else {
            errors += Validation.isValidPortNum(Int(healthCheckPort))
                .map { .invalid(path.child("healthCheckNodePort"), .int(Int64(healthCheckPort)), $0) }
        }
        if let policy = spec.internalTrafficPolicy {
            if policy != "Cluster" && policy != "Local" {
                errors.append(.notSupported(path.child("internalTrafficPolicy"), .string(policy), supported: ["Cluster", "Local"]))
            }
        } else if [ServiceType.nodePort, ServiceType.loadBalancer, ServiceType.clusterIP].contains(type) {
            errors.append(.required(path.child("internalTrafficPolicy")))
        }
        if let distribution = spec.trafficDistribution, distribution != "PreferClose" {
            errors.append(.notSupported(path.child("trafficDistribution"), .string(distribution), supported: ["PreferClose"]))
        }
        return errors
    }
}

extension ServicePort {
    /// validateServicePort.
    func validate(requireName: Bool, names: inout Set<String>, path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        let name = self.name ?? ""
        if requireName && name.isEmpty {
            errors.append(.required(path.child("name")))
        } else if !name.isEmpty {
            errors += Check.dnsLabel(name, path.child("name"))
            if names.contains(name) {
                errors.append(.duplicate(path.child("name"), .string(name)))
            } else {
                names.insert(name)
            }
        }
        errors += Validation.isValidPortNum(Int(port)).map { .invalid(path.child("port"), .int(Int64(port)), $0) }
        errors += Check.oneOf(self.protocol, Service.protocols, path.child("protocol"))
        errors += PortCheck.numberOrName(targetPort, path.child("targetPort"))
        if let appProtocol { errors += Check.qualifiedName(appProtocol, path.child("appProtocol")) }
        return errors
    }
}
