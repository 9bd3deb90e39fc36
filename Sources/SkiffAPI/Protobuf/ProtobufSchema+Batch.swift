/// batch/v1: Job and CronJob.
/// Field numbers and names are upstream's, from k8s.io/api batch/v1 generated.proto (v1.32).
extension ProtobufSchema {
    static let batch: [String: ProtobufMessage] = [
        "batch.v1.CronJob": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "batch.v1.CronJobSpec"),
            3: .message("status", "batch.v1.CronJobStatus"),
        ],
        "batch.v1.CronJobSpec": [
            1: .string("schedule"), 2: .int64("startingDeadlineSeconds"), 3: .string("concurrencyPolicy"),
            4: .bool("suspend"), 5: .message("jobTemplate", "batch.v1.JobTemplateSpec"),
            6: .int32("successfulJobsHistoryLimit"), 7: .int32("failedJobsHistoryLimit"),
            8: .optionalString("timeZone"),
        ],
        "batch.v1.CronJobStatus": [
            1: .messages("active", "core.v1.ObjectReference"), 4: .message("lastScheduleTime", "meta.v1.Time"),
            5: .message("lastSuccessfulTime", "meta.v1.Time"),
        ],
        "batch.v1.Job": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "batch.v1.JobSpec"),
            3: .message("status", "batch.v1.JobStatus"),
        ],
        "batch.v1.JobCondition": [
            1: .string("type"), 2: .string("status"), 3: .message("lastProbeTime", "meta.v1.Time"),
            4: .message("lastTransitionTime", "meta.v1.Time"), 5: .string("reason"), 6: .string("message"),
        ],
        "batch.v1.JobSpec": [
            1: .int32("parallelism"), 2: .int32("completions"), 3: .int64("activeDeadlineSeconds"),
            4: .message("selector", "meta.v1.LabelSelector"), 5: .bool("manualSelector"),
            6: .message("template", "core.v1.PodTemplateSpec"), 7: .int32("backoffLimit"),
            8: .int32("ttlSecondsAfterFinished"), 9: .optionalString("completionMode"), 10: .bool("suspend"),
            11: .message("podFailurePolicy", "batch.v1.PodFailurePolicy"), 12: .int32("backoffLimitPerIndex"),
            13: .int32("maxFailedIndexes"), 14: .optionalString("podReplacementPolicy"),
            15: .optionalString("managedBy"), 16: .message("successPolicy", "batch.v1.SuccessPolicy"),
        ],
        "batch.v1.JobStatus": [
            1: .messages("conditions", "batch.v1.JobCondition"), 2: .message("startTime", "meta.v1.Time"),
            3: .message("completionTime", "meta.v1.Time"), 4: .int32("active"), 5: .int32("succeeded"),
            6: .int32("failed"), 7: .string("completedIndexes"),
            8: .message("uncountedTerminatedPods", "batch.v1.UncountedTerminatedPods"), 9: .int32("ready"),
            10: .optionalString("failedIndexes"), 11: .int32("terminating"),
        ],
        "batch.v1.JobTemplateSpec": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "batch.v1.JobSpec"),
        ],
        "batch.v1.PodFailurePolicy": [1: .messages("rules", "batch.v1.PodFailurePolicyRule")],
        "batch.v1.PodFailurePolicyOnExitCodesRequirement": [
            1: .optionalString("containerName"), 2: .string("operator"), 3: .int32s("values"),
        ],
        "batch.v1.PodFailurePolicyOnPodConditionsPattern": [1: .string("type"), 2: .string("status")],
        "batch.v1.PodFailurePolicyRule": [
            1: .string("action"), 2: .message("onExitCodes", "batch.v1.PodFailurePolicyOnExitCodesRequirement"),
            3: .messages("onPodConditions", "batch.v1.PodFailurePolicyOnPodConditionsPattern"),
        ],
        "batch.v1.SuccessPolicy": [1: .messages("rules", "batch.v1.SuccessPolicyRule")],
        "batch.v1.SuccessPolicyRule": [1: .optionalString("succeededIndexes"), 2: .int32("succeededCount")],
        "batch.v1.UncountedTerminatedPods": [1: .strings("succeeded"), 2: .strings("failed")],
    ]
}
