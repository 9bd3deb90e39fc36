import SkiffAPI

/// Which nodes a daemon pod belongs on (upstream's NodeShouldRunDaemonPod):
/// the node must satisfy the pod's node selector and required node affinity,
/// and the pod must tolerate the node's taints — all NoSchedule and NoExecute
/// ones to be placed there, the NoExecute ones to stay.
struct DaemonNodeEligibility {
    /// Place a new daemon pod on the node.
    let shouldRun: Bool
    /// Keep an existing daemon pod on the node.
    let shouldContinueRunning: Bool

    init(node: Node, pod: Pod) {
        guard Self.selectionMatches(node: node, pod: pod) else {
            (shouldRun, shouldContinueRunning) = (false, false)
            return
        }
        let tolerations = pod.spec.tolerations ?? []
        let taints = node.spec.taints ?? []
        func tolerated(_ taint: Taint) -> Bool { tolerations.contains { $0.tolerates(taint) } }
        shouldContinueRunning = taints.allSatisfy { $0.effect != "NoExecute" || tolerated($0) }
        shouldRun = shouldContinueRunning && taints.allSatisfy { $0.effect != "NoSchedule" || tolerated($0) }
    }

    /// nodeSelector, and any one term of the required node affinity.
    static func selectionMatches(node: Node, pod: Pod) -> Bool {
        let labels = node.metadata.labels ?? [:]
        for (key, value) in pod.spec.nodeSelector ?? [:] where labels[key] != value { return false }
        guard let required = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution else {
            return true
        }
        return required.nodeSelectorTerms.contains { $0.matches(labels: labels, name: node.metadata.name ?? "") }
    }
}

extension NodeSelectorTerm {
    /// All expressions hold on the labels and all fields on the name; an empty term matches nothing.
    fileprivate func matches(labels: [String: String], name: String) -> Bool {
        let expressions = matchExpressions ?? []
        let fields = matchFields ?? []
        if expressions.isEmpty && fields.isEmpty { return false }
        return expressions.allSatisfy { $0.matches(value: labels[$0.key]) }
            && fields.allSatisfy { $0.key == "metadata.name" && $0.matches(value: name) }
    }
}

extension NodeSelectorRequirement {
    /// In, NotIn, Exists, DoesNotExist, and Gt/Lt comparing integers, on one value (nil: absent).
    fileprivate func matches(value: String?) -> Bool {
        switch `operator` {
        case "In": return value.map { (values ?? []).contains($0) } ?? false
        case "NotIn": return value.map { !(values ?? []).contains($0) } ?? true
        case "Exists": return value != nil
        case "DoesNotExist": return value == nil
        case "Gt", "Lt":
            guard let value, let actual = Int64(value), values?.count == 1, let bound = values?.first.flatMap({ Int64($0) })
            else { return false }
            return `operator` == "Gt" ? actual > bound : actual < bound
        default: return false
        }
    }
}
