/// policy/v1: Eviction, the body of a pod's `eviction` subresource.
/// Field numbers and names are upstream's, from k8s.io/api policy/v1 generated.proto (v1.32).
extension ProtobufSchema {
    static let policy: [String: ProtobufMessage] = [
        "policy.v1.Eviction": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("deleteOptions", "meta.v1.DeleteOptions"),
        ],
    ]
}
