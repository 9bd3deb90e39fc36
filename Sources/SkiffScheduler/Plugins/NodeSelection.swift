import SkiffAPI

extension NodeSelectorRequirement {
    /// Upstream's node selector operators over labels: In, NotIn, Exists,
    /// DoesNotExist, and Gt/Lt comparing integers.
    func matches(labels: [String: String]) -> Bool {
        let value = labels[key]
        switch `operator` {
        case "In": return value.map { (values ?? []).contains($0) } ?? false
        case "NotIn": return value.map { !(values ?? []).contains($0) } ?? true
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        case "Gt", "Lt":
            guard let value, let actual = Int64(value), let bound = values?.first.flatMap({ Int64($0) }),
                values?.count == 1
            else { return false }
            return `operator` == "Gt" ? actual > bound : actual < bound
        default: return false
        }
    }

    /// matchFields: only `metadata.name`, with In or NotIn.
    func matches(nodeName: String) -> Bool {
        guard key == "metadata.name", (values ?? []).count == 1 || `operator` == "NotIn" else { return false }
        switch `operator` {
        case "In": return (values ?? []).contains(nodeName)
        case "NotIn": return !(values ?? []).contains(nodeName)
        default: return false
        }
    }
}

extension NodeSelectorTerm {
    /// All expressions and fields hold; a term with neither matches nothing.
    func matches(_ node: NodeInfo) -> Bool {
        let expressions = matchExpressions ?? []
        let fields = matchFields ?? []
        if expressions.isEmpty && fields.isEmpty { return false }
        return expressions.allSatisfy { $0.matches(labels: node.labels) } && fields.allSatisfy { $0.matches(nodeName: node.name) }
    }
}

extension PodInfo {
    /// Whether the node satisfies the pod's `nodeSelector` and required node
    /// affinity (any one of its terms), as NodeAffinity and PodTopologySpread ask.
    func requiredNodeSelectionMatches(_ node: NodeInfo) -> Bool {
        if let selector = pod.spec.nodeSelector {
            for (key, value) in selector where node.labels[key] != value { return false }
        }
        if let required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution {
            return required.nodeSelectorTerms.contains { $0.matches(node) }
        }
        return true
    }

    var hasRequiredNodeSelection: Bool {
        !(pod.spec.nodeSelector ?? [:]).isEmpty
            || pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution != nil
    }
}
