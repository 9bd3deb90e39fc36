extension Service {
    /// ValidateServiceClusterIPsRelatedFields: `clusterIP` and `clusterIPs` in step,
    /// well-formed families, policy and addresses, at most one address per family
    /// and each address of the family its `ipFamilies` entry names. Which families
    /// the cluster has is the allocator's to check.
    func validateClusterIPs() -> [FieldError] {
        guard spec.type != ServiceType.externalName else { return [] }
        let path = FieldPath("spec", "clusterIPs")
        let clusterIPs = spec.clusterIPs ?? []
        let rendered = GoSyntax.stringSlice(clusterIPs)
        var errors: [FieldError] = []
        if let clusterIP = spec.clusterIP, !clusterIP.isEmpty {
            if clusterIPs.isEmpty {
                errors.append(.required(path))
            } else if clusterIPs[0] != clusterIP {
                errors.append(.invalid(path, rendered: rendered, "first value must match `clusterIP`"))
            }
        } else if !clusterIPs.isEmpty {
            errors.append(.invalid(path, rendered: rendered, "must be empty when `clusterIP` is not specified"))
        }
        var seenFamilies = Set<String>()
        for (index, family) in (spec.ipFamilies ?? []).enumerated() {
            let item = FieldPath("spec", "ipFamilies").index(index)
            if family != "IPv4" && family != "IPv6" {
                errors.append(.notSupported(item, .string(family), supported: ["IPv4", "IPv6"]))
            }
            if seenFamilies.contains(family) { errors.append(.duplicate(item, .string(family))) }
            seenFamilies.insert(family)
        }
        if let policy = spec.ipFamilyPolicy, !["PreferDualStack", "RequireDualStack", "SingleStack"].contains(policy) {
            errors.append(.notSupported(FieldPath("spec", "ipFamilyPolicy"), .string(policy),
                                        supported: ["PreferDualStack", "RequireDualStack", "SingleStack"]))
        }
        var hasInvalidIPs = false
        for (index, ip) in clusterIPs.enumerated() {
            if index == 0 && ip == "None" {
                if clusterIPs.count > 1 {
                    hasInvalidIPs = true
                    errors.append(.invalid(path, rendered: rendered, "'None' must be the first and only value"))
                }
                continue
            }
            let ipErrors = Check.ip(ip, path.index(index))
            hasInvalidIPs = hasInvalidIPs || !ipErrors.isEmpty
            errors += ipErrors
        }
        if clusterIPs.count > 2 {
            errors.append(.invalid(path, rendered: rendered, "may only hold up to 2 values"))
        }
        // Upstream stops here: a bad address would skew the family checks below.
        if hasInvalidIPs { return errors }
        return errors + validateClusterIPFamilies(clusterIPs, path: path)
    }

    /// The dual-stack half of ValidateServiceClusterIPsRelatedFields, over well-formed addresses.
    private func validateClusterIPFamilies(_ clusterIPs: [String], path: FieldPath) -> [FieldError] {
        var errors: [FieldError] = []
        if clusterIPs.count > 1 {
            let ipv6Count = clusterIPs.filter(GoIP.isIPv6).count
            if ipv6Count == 0 || ipv6Count == clusterIPs.count {
                errors.append(.invalid(path, rendered: GoSyntax.stringSlice(clusterIPs),
                                       "may specify no more than one IP for each IP family"))
            }
        }
        let families = spec.ipFamilies ?? []
        guard !isHeadless, !families.isEmpty else { return errors }
        for (index, ip) in clusterIPs.enumerated() where index < families.count {
            let isIPv6 = GoIP.isIPv6(ip)
            if families[index] == "IPv4" && isIPv6 {
                errors.append(.invalid(path.index(index), .string(ip),
                                       "expected an IPv4 value as indicated by `ipFamilies[\(index)]`"))
            }
            if families[index] == "IPv6" && !isIPv6 {
                errors.append(.invalid(path.index(index), .string(ip),
                                       "expected an IPv6 value as indicated by `ipFamilies[\(index)]`"))
            }
        }
        return errors
    }

    /// validateUpgradeDowngradeClusterIPs: a Service keeps its primary cluster IP,
    /// and gives up its secondary one only as SingleStack.
    func validateClusterIPChanges(old: Service) -> [FieldError] {
        guard spec.type != ServiceType.externalName, old.spec.type != ServiceType.externalName,
            !(isHeadless && old.isHeadless)
        else { return [] }
        let new = spec.clusterIPs ?? []
        let previous = old.spec.clusterIPs ?? []
        let path = FieldPath("spec", "clusterIPs")
        let rendered = GoSyntax.stringSlice(spec.clusterIPs)
        var errors: [FieldError] = []
        if previous.count == new.count {
            for (index, ip) in previous.enumerated() where ip != new[index] {
                errors.append(.invalid(path.index(index), rendered: rendered, "may not change once set"))
            }
        } else if previous.count > new.count {
            if new.isEmpty { errors.append(.invalid(path.index(0), rendered: rendered, "primary clusterIP can not be unset")) }
            if let first = new.first, let oldFirst = previous.first, first != oldFirst {
                errors.append(.invalid(path.index(0), rendered: rendered, "may not change once set"))
            }
            if new.count == 1 && spec.ipFamilyPolicy != "SingleStack" {
                errors.append(.invalid(FieldPath("spec", "ipFamilyPolicy"), policyValue,
                                       "must be set to 'SingleStack' when releasing the secondary clusterIP"))
            }
        } else if let oldFirst = previous.first, new[0] != oldFirst {
            errors.append(.invalid(path.index(0), rendered: rendered, "may not change once set"))
        }
        return errors
    }

    /// validateUpgradeDowngradeIPFamilies: the primary family stays, and the
    /// secondary one goes only as SingleStack. Headless Services may change theirs.
    func validateIPFamilyChanges(old: Service) -> [FieldError] {
        guard spec.type != ServiceType.externalName, old.spec.type != ServiceType.externalName,
            !isHeadless, !old.isHeadless
        else { return [] }
        let new = spec.ipFamilies ?? []
        let previous = old.spec.ipFamilies ?? []
        let path = FieldPath("spec", "ipFamilies").index(0)
        // Upstream shows the families or, for a changed primary, the cluster IPs.
        let families = spec.ipFamilies.map { "[]core.IPFamily{" + $0.map(GoText.quote).joined(separator: ", ") + "}" }
            ?? "[]core.IPFamily(nil)"
        let clusterIPs = GoSyntax.stringSlice(spec.clusterIPs)
        var errors: [FieldError] = []
        if previous.count == new.count {
            for (index, family) in previous.enumerated() where family != new[index] {
                errors.append(.invalid(path, rendered: families, "may not change once set"))
            }
        } else if previous.count > new.count {
            if (spec.clusterIPs ?? []).isEmpty {
                errors.append(.invalid(path, rendered: families, "primary ipFamily can not be unset"))
            }
            if let first = new.first, first != previous[0] {
                errors.append(.invalid(path, rendered: clusterIPs, "may not change once set"))
            }
            if new.count == 1 && spec.ipFamilyPolicy != "SingleStack" {
                errors.append(.invalid(FieldPath("spec", "ipFamilyPolicy"), policyValue,
                                       "must be set to 'SingleStack' when releasing the secondary ipFamily"))
            }
        } else if let first = new.first, let oldFirst = previous.first, first != oldFirst {
            errors.append(.invalid(path, rendered: clusterIPs, "may not change once set"))
        }
        return errors
    }

    /// `ipFamilyPolicy` as a bad value: quoted, or `null` when unset (a nil pointer upstream).
    private var policyValue: FieldError.BadValue { spec.ipFamilyPolicy.map { .string($0) } ?? .null }
}
