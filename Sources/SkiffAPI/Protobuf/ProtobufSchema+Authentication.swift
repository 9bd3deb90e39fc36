/// authentication/v1: TokenRequest, the body of a service account's `token`
/// subresource (`kubectl create token`).
/// Field numbers and names are upstream's, from k8s.io/api authentication/v1 generated.proto (v1.32).
extension ProtobufSchema {
    static let authentication: [String: ProtobufMessage] = [
        "authentication.v1.BoundObjectReference": [
            // The one field whose protobuf name ("uID") is not its JSON name.
            1: .string("kind"), 2: .string("apiVersion"), 3: .string("name"), 4: .string("uid"),
        ],
        "authentication.v1.TokenRequest": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .message("spec", "authentication.v1.TokenRequestSpec"),
            3: .message("status", "authentication.v1.TokenRequestStatus"),
        ],
        "authentication.v1.TokenRequestSpec": [
            1: .strings("audiences"), 3: .message("boundObjectRef", "authentication.v1.BoundObjectReference"),
            4: .int64("expirationSeconds"),
        ],
        "authentication.v1.TokenRequestStatus": [
            1: .string("token"), 2: .message("expirationTimestamp", "meta.v1.Time"),
        ],
    ]
}
