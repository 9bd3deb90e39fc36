/// coordination/v1: Lease.
/// Field numbers and names are upstream's, from k8s.io/api coordination/v1 generated.proto (v1.32).
extension ProtobufSchema {
    static let coordination: [String: ProtobufMessage] = [
        "coordination.v1.Lease": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "coordination.v1.LeaseSpec"),
        ],
        "coordination.v1.LeaseSpec": [
            1: .optionalString("holderIdentity"), 2: .int32("leaseDurationSeconds"),
            3: .message("acquireTime", "meta.v1.MicroTime"), 4: .message("renewTime", "meta.v1.MicroTime"),
            5: .int32("leaseTransitions"), 6: .optionalString("strategy"), 7: .optionalString("preferredHolder"),
        ],
    ]
}
