import SkiffAPI

/// The stable identity of a StatefulSet's pods (upstream's stateful_set_utils):
/// the name `<set>-<ordinal>`, hostname and subdomain for DNS through the
/// governing service, and the labels that name the pod and its index.
enum StatefulPod {
    static let podNameLabel = "statefulset.kubernetes.io/pod-name"
    static let podIndexLabel = "apps.kubernetes.io/pod-index"

    static func name(_ set: StatefulSet, _ ordinal: Int) -> String {
        (set.metadata.name ?? "") + "-" + String(ordinal)
    }

    /// The ordinal a pod's name gives it as a member of `set`, or nil when the name is not `<set>-<n>`.
    static func ordinal(of pod: Pod, in set: StatefulSet) -> Int? {
        let prefix = (set.metadata.name ?? "") + "-"
        guard let name = pod.metadata.name, name.hasPrefix(prefix) else { return nil }
        let digits = name.dropFirst(prefix.count)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            digits == "0" || !digits.hasPrefix("0")
        else { return nil }
        return Int(digits)
    }

    /// newVersionedStatefulSetPod: the pod of `ordinal` from a revision's template.
    static func make(_ set: StatefulSet, ordinal: Int, template: PodTemplateSpec, hash: String) -> Pod {
        var pod = Pod.fromTemplate(template, owner: set)
        let name = name(set, ordinal)
        pod.metadata.generateName = nil
        pod.metadata.name = name
        pod.metadata.labels = (pod.metadata.labels ?? [:]).merging([
            podNameLabel: name, podIndexLabel: String(ordinal), ControllerRevisions<StatefulSet>.hashLabel: hash,
        ]) { $1 }
        pod.spec.hostname = name
        if !set.spec.serviceName.isEmpty { pod.spec.subdomain = set.spec.serviceName }
        // No claims yet: each claim template becomes an emptyDir, so the mounts that name it stay valid.
        var volumes = pod.spec.volumes ?? []
        for claim in set.spec.volumeClaimTemplates ?? [] {
            let claimName = claim.metadata.name ?? ""
            guard !claimName.isEmpty, !volumes.contains(where: { $0.name == claimName }) else { continue }
            var volume = Volume()
            volume.name = claimName
            volume.emptyDir = EmptyDirVolumeSource()
            volumes.append(volume)
        }
        if !volumes.isEmpty { pod.spec.volumes = volumes }
        return pod
    }

    static func revision(of pod: Pod) -> String? {
        pod.metadata.labels?[ControllerRevisions<StatefulSet>.hashLabel]
    }

    /// isHealthy: Running and Ready, and not being deleted.
    static func isHealthy(_ pod: Pod) -> Bool {
        pod.status.phase == "Running" && pod.isReady && pod.metadata.deletionTimestamp == nil
    }
}
