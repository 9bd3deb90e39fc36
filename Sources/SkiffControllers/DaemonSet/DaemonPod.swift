import SkiffAPI

/// The pods a DaemonSet makes (upstream's daemon util): the template with the
/// revision hash label, the default daemon tolerations, and a required node
/// affinity on `metadata.name` that binds the pod to its node through the
/// scheduler rather than by setting `spec.nodeName`.
enum DaemonPod {
    /// AddOrUpdateDaemonPodTolerations: a daemon pod stays on a node that is
    /// not ready or unreachable and is placed on one under pressure or cordoned.
    static let defaultTolerations: [Toleration] = {
        let noExecute = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]
        let noSchedule = [
            "node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure", "node.kubernetes.io/pid-pressure",
            "node.kubernetes.io/unschedulable",
        ]
        return noExecute.map { toleration($0, "NoExecute") } + noSchedule.map { toleration($0, "NoSchedule") }
    }()

    /// Host-network pods also go on nodes whose network is not set up yet.
    static let networkUnavailable = toleration("node.kubernetes.io/network-unavailable", "NoSchedule")

    private static func toleration(_ key: String, _ effect: String) -> Toleration {
        var toleration = Toleration()
        toleration.key = key
        toleration.operator = "Exists"
        toleration.effect = effect
        return toleration
    }

    /// The template as every daemon pod of this revision starts: hash label and tolerations added.
    static func template(of set: DaemonSet, hash: String) -> PodTemplateSpec {
        var template = set.spec.template
        template.metadata.labels = (template.metadata.labels ?? [:]).merging([ControllerRevisions<DaemonSet>.hashLabel: hash]) { $1 }
        var tolerations = template.spec.tolerations ?? []
        var wanted = defaultTolerations
        if template.spec.hostNetwork == true { wanted.append(networkUnavailable) }
        for toleration in wanted where !tolerations.contains(toleration) { tolerations.append(toleration) }
        template.spec.tolerations = tolerations
        return template
    }

    /// A new pod for `node`: ReplaceDaemonSetPodNodeNameNodeAffinity puts
    /// `metadata.name In [node]` into every required term (or a term of its own).
    static func make(for node: String, set: DaemonSet, template: PodTemplateSpec) -> Pod {
        var pod = Pod.fromTemplate(template, owner: set)
        var requirement = NodeSelectorRequirement()
        requirement.key = "metadata.name"
        requirement.operator = "In"
        requirement.values = [node]
        var affinity = pod.spec.affinity ?? Affinity()
        var nodeAffinity = affinity.nodeAffinity ?? NodeAffinity()
        var required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution ?? NodeSelector()
        if required.nodeSelectorTerms.isEmpty { required.nodeSelectorTerms = [NodeSelectorTerm()] }
        for index in required.nodeSelectorTerms.indices { required.nodeSelectorTerms[index].matchFields = [requirement] }
        nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = required
        affinity.nodeAffinity = nodeAffinity
        pod.spec.affinity = affinity
        return pod
    }

    /// GetTargetNodeName: the node a pod is bound to, or the one its affinity names.
    static func targetNode(of pod: Pod) -> String? {
        if let name = pod.spec.nodeName, !name.isEmpty { return name }
        let terms = pod.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []
        for term in terms {
            for field in term.matchFields ?? [] where field.key == "metadata.name" && field.operator == "In" {
                if let values = field.values, values.count == 1 { return values[0] }
            }
        }
        return nil
    }
}
