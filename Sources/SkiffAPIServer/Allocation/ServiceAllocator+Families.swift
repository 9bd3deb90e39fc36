import SkiffAPI

extension ServiceAllocator {
    /// initIPFamilyFields: `ipFamilyPolicy` defaults to SingleStack (the old one on
    /// update; RequireDualStack for a headless Service without selector),
    /// `ipFamilies` to the families of the requested cluster IPs, else the primary
    /// family; on a dual-stack cluster PreferDualStack and RequireDualStack then
    /// add the other family. Families the cluster lacks, and RequireDualStack on a
    /// single-stack cluster, are refused as upstream words it.
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
            if network.serviceCIDR(for: family) != nil {
                families.append(family.rawValue)
            } else {
                errors.append(FieldError(
                    type: .invalid, field: FieldPath("spec", "clusterIPs").index(index), badValue: .omitted,
                    detail: AllocationErrors.goStringSlice(ips) + ": \(family.rawValue) is not configured on this cluster"))
            }
        }
        if !errors.isEmpty { throw AllocationErrors.invalid(service, errors) }
        service.spec.clusterIPs = ips.isEmpty ? service.spec.clusterIPs : ips

        // Headless without selector may name families the cluster lacks: nothing is allocated.
        if headlessWithoutSelector {
            if families.isEmpty { families = [primaryFamily.rawValue] }
            if families.count < 2 && policy != IPFamilyPolicy.singleStack { families.append(Self.otherFamily(of: families[0])) }
            service.spec.ipFamilies = families
            return
        }
        if policy == IPFamilyPolicy.requireDualStack && !network.isDualStack {
            errors.append(.invalid(policyPath, .string(policy), "this cluster is not configured for dual-stack services"))
        }
        for (index, family) in families.enumerated() where !Self.isConfigured(family, in: network) {
            errors.append(.invalid(FieldPath("spec", "ipFamilies").index(index), .string(family), "not configured on this cluster"))
        }
        if !errors.isEmpty { throw AllocationErrors.invalid(service, errors) }
        if families.isEmpty { families = [primaryFamily.rawValue] }
        if policy != IPFamilyPolicy.singleStack && families.count == 1 && network.isDualStack {
            families.append(Self.otherFamily(of: families[0]))
        }
        service.spec.ipFamilies = families
    }

    private static func isConfigured(_ family: String, in network: ServiceNetwork) -> Bool {
        ServiceIP.Family(rawValue: family).flatMap(network.serviceCIDR(for:)) != nil
    }

    private static func otherFamily(of family: String) -> String {
        family == ServiceIP.Family.ipv4.rawValue ? ServiceIP.Family.ipv6.rawValue : ServiceIP.Family.ipv4.rawValue
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
