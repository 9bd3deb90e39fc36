/// apps/v1: Deployment, ReplicaSet, DaemonSet, StatefulSet, ControllerRevision.
/// Field numbers and names are upstream's, from k8s.io/api apps/v1 generated.proto (v1.32).
extension ProtobufSchema {
    static let apps: [String: ProtobufMessage] = [
        "apps.v1.ControllerRevision": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("data", "runtime.RawExtension"),
            3: .int64("revision"),
        ],
        "apps.v1.DaemonSet": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "apps.v1.DaemonSetSpec"),
            3: .message("status", "apps.v1.DaemonSetStatus"),
        ],
        "apps.v1.DaemonSetCondition": [
            1: .string("type"), 2: .string("status"), 3: .message("lastTransitionTime", "meta.v1.Time"),
            4: .string("reason"), 5: .string("message"),
        ],
        "apps.v1.DaemonSetSpec": [
            1: .message("selector", "meta.v1.LabelSelector"), 2: .message("template", "core.v1.PodTemplateSpec"),
            3: .message("updateStrategy", "apps.v1.DaemonSetUpdateStrategy"), 4: .int32("minReadySeconds"),
            6: .int32("revisionHistoryLimit"),
        ],
        "apps.v1.DaemonSetStatus": [
            1: .int32("currentNumberScheduled"), 2: .int32("numberMisscheduled"), 3: .int32("desiredNumberScheduled"),
            4: .int32("numberReady"), 5: .int64("observedGeneration"), 6: .int32("updatedNumberScheduled"),
            7: .int32("numberAvailable"), 8: .int32("numberUnavailable"), 9: .int32("collisionCount"),
            10: .messages("conditions", "apps.v1.DaemonSetCondition"),
        ],
        "apps.v1.DaemonSetUpdateStrategy": [
            1: .string("type"), 2: .message("rollingUpdate", "apps.v1.RollingUpdateDaemonSet"),
        ],
        "apps.v1.Deployment": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "apps.v1.DeploymentSpec"),
            3: .message("status", "apps.v1.DeploymentStatus"),
        ],
        "apps.v1.DeploymentCondition": [
            1: .string("type"), 2: .string("status"), 4: .string("reason"), 5: .string("message"),
            6: .message("lastUpdateTime", "meta.v1.Time"), 7: .message("lastTransitionTime", "meta.v1.Time"),
        ],
        "apps.v1.DeploymentSpec": [
            1: .int32("replicas"), 2: .message("selector", "meta.v1.LabelSelector"),
            3: .message("template", "core.v1.PodTemplateSpec"), 4: .message("strategy", "apps.v1.DeploymentStrategy"),
            5: .int32("minReadySeconds"), 6: .int32("revisionHistoryLimit"), 7: .bool("paused"),
            9: .int32("progressDeadlineSeconds"),
        ],
        "apps.v1.DeploymentStatus": [
            1: .int64("observedGeneration"), 2: .int32("replicas"), 3: .int32("updatedReplicas"),
            4: .int32("availableReplicas"), 5: .int32("unavailableReplicas"),
            6: .messages("conditions", "apps.v1.DeploymentCondition"), 7: .int32("readyReplicas"),
            8: .int32("collisionCount"),
        ],
        "apps.v1.DeploymentStrategy": [
            1: .string("type"), 2: .message("rollingUpdate", "apps.v1.RollingUpdateDeployment"),
        ],
        "apps.v1.ReplicaSet": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "apps.v1.ReplicaSetSpec"),
            3: .message("status", "apps.v1.ReplicaSetStatus"),
        ],
        "apps.v1.ReplicaSetCondition": [
            1: .string("type"), 2: .string("status"), 3: .message("lastTransitionTime", "meta.v1.Time"),
            4: .string("reason"), 5: .string("message"),
        ],
        "apps.v1.ReplicaSetSpec": [
            1: .int32("replicas"), 2: .message("selector", "meta.v1.LabelSelector"),
            3: .message("template", "core.v1.PodTemplateSpec"), 4: .int32("minReadySeconds"),
        ],
        "apps.v1.ReplicaSetStatus": [
            1: .int32("replicas"), 2: .int32("fullyLabeledReplicas"), 3: .int64("observedGeneration"),
            4: .int32("readyReplicas"), 5: .int32("availableReplicas"),
            6: .messages("conditions", "apps.v1.ReplicaSetCondition"),
        ],
        "apps.v1.RollingUpdateDaemonSet": [
            1: .message("maxUnavailable", "intstr.IntOrString"), 2: .message("maxSurge", "intstr.IntOrString"),
        ],
        "apps.v1.RollingUpdateDeployment": [
            1: .message("maxUnavailable", "intstr.IntOrString"), 2: .message("maxSurge", "intstr.IntOrString"),
        ],
        "apps.v1.RollingUpdateStatefulSetStrategy": [
            1: .int32("partition"), 2: .message("maxUnavailable", "intstr.IntOrString"),
        ],
        "apps.v1.StatefulSet": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "apps.v1.StatefulSetSpec"),
            3: .message("status", "apps.v1.StatefulSetStatus"),
        ],
        "apps.v1.StatefulSetCondition": [
            1: .string("type"), 2: .string("status"), 3: .message("lastTransitionTime", "meta.v1.Time"),
            4: .string("reason"), 5: .string("message"),
        ],
        "apps.v1.StatefulSetOrdinals": [1: .int32("start")],
        "apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy": [
            1: .string("whenDeleted"), 2: .string("whenScaled"),
        ],
        "apps.v1.StatefulSetSpec": [
            1: .int32("replicas"), 2: .message("selector", "meta.v1.LabelSelector"),
            3: .message("template", "core.v1.PodTemplateSpec"),
            4: .messages("volumeClaimTemplates", "core.v1.PersistentVolumeClaim"), 5: .string("serviceName"),
            6: .string("podManagementPolicy"), 7: .message("updateStrategy", "apps.v1.StatefulSetUpdateStrategy"),
            8: .int32("revisionHistoryLimit"), 9: .int32("minReadySeconds"),
            10: .message(
                "persistentVolumeClaimRetentionPolicy", "apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy"),
            11: .message("ordinals", "apps.v1.StatefulSetOrdinals"),
        ],
        "apps.v1.StatefulSetStatus": [
            1: .int64("observedGeneration"), 2: .int32("replicas"), 3: .int32("readyReplicas"),
            4: .int32("currentReplicas"), 5: .int32("updatedReplicas"), 6: .string("currentRevision"),
            7: .string("updateRevision"), 9: .int32("collisionCount"),
            10: .messages("conditions", "apps.v1.StatefulSetCondition"), 11: .int32("availableReplicas"),
        ],
        "apps.v1.StatefulSetUpdateStrategy": [
            1: .string("type"), 2: .message("rollingUpdate", "apps.v1.RollingUpdateStatefulSetStrategy"),
        ],
    ]
}
