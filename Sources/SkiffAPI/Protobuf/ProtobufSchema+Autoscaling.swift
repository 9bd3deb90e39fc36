/// autoscaling/v1: Scale, the body of the `scale` subresource.
/// Field numbers and names are upstream's, from k8s.io/api autoscaling/v1 generated.proto (v1.32).
extension ProtobufSchema {
    static let autoscaling: [String: ProtobufMessage] = [
        "autoscaling.v1.Scale": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "autoscaling.v1.ScaleSpec"),
            3: .message("status", "autoscaling.v1.ScaleStatus"),
        ],
        "autoscaling.v1.ScaleSpec": [1: .int32("replicas")],
        "autoscaling.v1.ScaleStatus": [1: .int32("replicas"), 2: .string("selector")],
    ]
}
