import SkiffAPI

/// The built-in mutating admission plugins that change pods, as upstream's
/// kube-apiserver runs them by default and in its order (NamespaceLifecycle first,
/// in the registry's create): ServiceAccount, then DefaultTolerationSeconds.
enum PodAdmission {
    static let defaultServiceAccountName = "default"
    /// Pods a kubelet mirrors from static manifests carry this annotation.
    static let mirrorPodAnnotation = "kubernetes.io/config.mirror"
    static let notReadyTaint = "node.kubernetes.io/not-ready"
    static let unreachableTaint = "node.kubernetes.io/unreachable"
    /// `--default-not-ready-toleration-seconds` and `--default-unreachable-toleration-seconds`.
    static let defaultTolerationSeconds: Int64 = 300

    /// ServiceAccount admission (create only): a pod without a service account runs
    /// as "default", and a pod without pull secrets gets its service account's.
    /// Mirror pods are left as they are but may not name service accounts or mount
    /// secrets.
    ///
    /// Upstream also refuses pods whose service account does not exist and mounts
    /// its API token as a projected volume; both wait for the serviceaccount
    /// controller and token issuing, so a missing account is not an error yet.
    ///
    /// - Parameter lookup: reads a service account of the pod's namespace, nil when absent.
    static func admitServiceAccount(
        _ pod: inout Pod, lookup: (String) async throws(APIError) -> ServiceAccount?
    ) async throws(APIError) {
        if pod.metadata.annotations?[mirrorPodAnnotation] != nil {
            if !(pod.spec.serviceAccountName ?? "").isEmpty {
                throw forbidden(pod, "a mirror pod may not reference service accounts")
            }
            if (pod.spec.volumes ?? []).contains(where: { $0.secret != nil }) {
                throw forbidden(pod, "a mirror pod may not reference secrets")
            }
            return
        }
        if (pod.spec.serviceAccountName ?? "").isEmpty {
            pod.spec.serviceAccountName = defaultServiceAccountName
            // The deprecated field mirrors the new one, as the v1 conversion writes it.
            pod.spec.serviceAccount = defaultServiceAccountName
        }
        guard (pod.spec.imagePullSecrets ?? []).isEmpty,
            let account = try await lookup(pod.spec.serviceAccountName ?? ""),
            let secrets = account.imagePullSecrets, !secrets.isEmpty
        else { return }
        pod.spec.imagePullSecrets = secrets
    }

    /// DefaultTolerationSeconds (create and update): a pod that does not tolerate
    /// the not-ready and unreachable NoExecute taints already tolerates each for 300 s,
    /// so its node's loss evicts it after five minutes rather than at once.
    static func addDefaultTolerations(_ pod: inout Pod) {
        var notReady = false
        var unreachable = false
        for toleration in pod.spec.tolerations ?? [] {
            let anyKey = (toleration.key ?? "").isEmpty
            guard (toleration.effect ?? "").isEmpty || toleration.effect == "NoExecute" else { continue }
            if anyKey || toleration.key == notReadyTaint { notReady = true }
            if anyKey || toleration.key == unreachableTaint { unreachable = true }
        }
        if !notReady { pod.spec.tolerations = (pod.spec.tolerations ?? []) + [toleration(notReadyTaint)] }
        if !unreachable { pod.spec.tolerations = (pod.spec.tolerations ?? []) + [toleration(unreachableTaint)] }
    }

    private static func toleration(_ key: String) -> Toleration {
        var toleration = Toleration()
        toleration.key = key
        toleration.operator = "Exists"
        toleration.effect = "NoExecute"
        toleration.tolerationSeconds = defaultTolerationSeconds
        return toleration
    }

    /// admission.NewForbidden: `pods "web" is forbidden: …`.
    private static func forbidden(_ pod: Pod, _ why: String) -> APIError {
        let name = pod.metadata.name ?? ""
        var details = StatusDetails()
        details.name = name
        details.kind = Pod.resource
        return APIError(code: 403, reason: "Forbidden", message: "pods \"\(name)\" is forbidden: \(why)", details: details)
    }
}
