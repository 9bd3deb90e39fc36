import SkiffAPI

extension ServiceAllocator {
    /// initIPFamilyFields on a single-stack cluster: `ipFamilyPolicy` defaults to
    /// SingleStack (the old one on update; RequireDualStack for a headless Service
    /// without selector), `ipFamilies` to the families of the requested cluster IPs,
    /// else the cluster's; families the cluster lacks are refused as upstream words it.
    func initIPFamilies(_ service: inout Service, old: Service?) throws(APIError) {
        guard service.needsClusterIP else { return }
        if let old, Self.keepsPreferDualStack(service, old: old) { return }
        let headlessWithoutSelector = service.spec.clusterIP == "None" && (service.spec.selector ?? [:]).isEmpty
        if service.spec.ipFamilyPolicy == nil {
            if let policy = old?.spec.ipFamilyPolicy {
                service.spec.ipFamilyPolicy = policy
            } else {
                service.spec.ipFamilyPolicy = headlessWithoutSelector ? IPFamilyPolicy.requireDualStack : IPFamilyPolicy.singleStack
            }
        }
        // Upstream's loose pre-validation: the allocators below may assume well-formed addresses.
        let malformed = APIValidation.validateCreate(service).filter {
            $0.field.hasPrefix("spec.clusterIP") || $0.field.hasPrefix("spec.ipFamil")
        }
        if !malformed.isEmpty { throw AllocationErrors.invalid(service, malformed) }

        let policy = service.spec.ipFamilyPolicy ?? ""
        let policyPath = FieldPath("spec", "ipFamilyPolicy")
        var errors: [FieldError] = []
        var ips = service.spec.clusterIPs ?? []
        var families = service.spec.ipFamilies ?? []
        if let old {
            if policy == IPFamilyPolicy.singleStack {
                // Single-stack with unchanged lists is clear intent to drop the secondary.
                if ips == (old.spec.clusterIPs ?? []), ips.count > 1 { ips = [ips[0]] }
                if families == (old.spec.ipFamilies ?? []), families.count > 1 { families = [families[0]] }
            } else {
                if !ips.isEmpty, ips.count < (old.spec.clusterIPs ?? []).count {
                    errors.append(.invalid(policyPath, .string(policy), "must be 'SingleStack' to release the secondary cluster IP"))
                }
                if !families.isEmpty, families.count < (old.spec.ipFamilies ?? []).count {
                    errors.append(.invalid(policyPath, .string(policy), "must be 'SingleStack' to release the secondary IP family"))
                }
            }
        }
        if policy == IPFamilyPolicy.singleStack {
            if ips.count == 2 {
                errors.append(.invalid(policyPath, .string(policy),
                                       "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"))
            }
            if families.count == 2 {
                errors.append(.invalid(policyPath, .string(policy),
                                       "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"))
            }
        }
        for (index, ip) in ips.enumerated() {
            if ip == "None" { break }
            guard index >= families.count, let family = ServiceIP.family(of: ip) else { continue }
            if family == cidr.family {
                families.append(family.rawValue)
            } else {
                errors.append(FieldError(
                    type: .invalid, field: FieldPath("spec", "clusterIPs").index(index), badValue: .omitted,
                    detail: AllocationErrors.goStringSlice(ips) + ": \(family.rawValue) is not configured on this cluster"))
            }
        }
        if !errors.isEmpty { throw AllocationErrors.invalid(service, errors) }
        service.spec.clusterIPs = ips.isEmpty ? service.spec.clusterIPs : ips

        if headlessWithoutSelector {
            if families.isEmpty { families = [cidr.family.rawValue] }
            if families.count < 2 && policy != IPFamilyPolicy.singleStack {
                families.append(families[0] == ServiceIP.Family.ipv4.rawValue ? "IPv6" : "IPv4")
            }
            service.spec.ipFamilies = families
            return
        }
        if policy == IPFamilyPolicy.requireDualStack {
            errors.append(.invalid(policyPath, .string(policy), "this cluster is not configured for dual-stack services"))
        }
        for (index, family) in families.enumerated() where family != cidr.family.rawValue {
            errors.append(.invalid(FieldPath("spec", "ipFamilies").index(index), .string(family), "not configured on this cluster"))
        }
        if !errors.isEmpty { throw AllocationErrors.invalid(service, errors) }
        service.spec.ipFamilies = families.isEmpty ? [cidr.family.rawValue] : families
    }

    /// isMatchingPreferDualStackClusterIPFields: a PreferDualStack Service whose type,
    /// addresses and families did not change is left as it is.
    static func keepsPreferDualStack(_ service: Service, old: Service) -> Bool {
        guard let policy = service.spec.ipFamilyPolicy, policy == IPFamilyPolicy.preferDualStack,
            old.spec.ipFamilyPolicy == nil || old.spec.ipFamilyPolicy == IPFamilyPolicy.preferDualStack,
            old.spec.type == service.spec.type, service.needsClusterIP
        else { return false }
        return (old.spec.clusterIPs ?? []) == (service.spec.clusterIPs ?? [])
            && old.spec.ipFamilies == service.spec.ipFamilies
    }
}

/// Values of `spec.ipFamilyPolicy`.
enum IPFamilyPolicy {
    static let singleStack = "SingleStack"
    static let preferDualStack = "PreferDualStack"
    static let requireDualStack = "RequireDualStack"
}
