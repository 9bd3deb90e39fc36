/// meta/v1 (k8s.io/apimachinery pkg/apis/meta/v1): object metadata, label selectors, conditions
/// and DeleteOptions. Time, MicroTime, Duration and FieldsV1 are `ProtobufSpecialType`s.
/// Field numbers and names are upstream's, from k8s.io/apimachinery pkg/apis/meta/v1 generated.proto (v1.32).
extension ProtobufSchema {
    static let meta: [String: ProtobufMessage] = [
        "meta.v1.Condition": [
            1: .string("type"), 2: .string("status"), 3: .int64("observedGeneration"),
            4: .message("lastTransitionTime", "meta.v1.Time"), 5: .string("reason"), 6: .string("message"),
        ],
        "meta.v1.DeleteOptions": [
            1: .int64("gracePeriodSeconds"), 2: .message("preconditions", "meta.v1.Preconditions"),
            3: .bool("orphanDependents"), 4: .optionalString("propagationPolicy"), 5: .strings("dryRun"),
            6: .bool("ignoreStoreReadErrorWithClusterBreakingPotential"),
        ],
        "meta.v1.LabelSelector": [
            1: .stringMap("matchLabels"), 2: .messages("matchExpressions", "meta.v1.LabelSelectorRequirement"),
        ],
        "meta.v1.LabelSelectorRequirement": [1: .string("key"), 2: .string("operator"), 3: .strings("values")],
        "meta.v1.ManagedFieldsEntry": [
            1: .string("manager"), 2: .string("operation"), 3: .string("apiVersion"),
            4: .message("time", "meta.v1.Time"), 6: .string("fieldsType"), 7: .message("fieldsV1", "meta.v1.FieldsV1"),
            8: .string("subresource"),
        ],
        "meta.v1.ObjectMeta": [
            1: .string("name"), 2: .string("generateName"), 3: .string("namespace"), 4: .string("selfLink"),
            5: .string("uid"), 6: .string("resourceVersion"), 7: .int64("generation"),
            8: .message("creationTimestamp", "meta.v1.Time"), 9: .message("deletionTimestamp", "meta.v1.Time"),
            10: .int64("deletionGracePeriodSeconds"), 11: .stringMap("labels"), 12: .stringMap("annotations"),
            13: .messages("ownerReferences", "meta.v1.OwnerReference"), 14: .strings("finalizers"),
            17: .messages("managedFields", "meta.v1.ManagedFieldsEntry"),
        ],
        "meta.v1.OwnerReference": [
            1: .string("kind"), 3: .string("name"), 4: .string("uid"), 5: .string("apiVersion"),
            6: .bool("controller"), 7: .bool("blockOwnerDeletion"),
        ],
        "meta.v1.Preconditions": [1: .optionalString("uid"), 2: .optionalString("resourceVersion")],
    ]
}
