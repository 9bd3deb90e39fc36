/// discovery/v1: EndpointSlice.
/// Field numbers and names are upstream's, from k8s.io/api discovery/v1 generated.proto (v1.32).
extension ProtobufSchema {
    static let discovery: [String: ProtobufMessage] = [
        "discovery.v1.Endpoint": [
            1: .strings("addresses"), 2: .message("conditions", "discovery.v1.EndpointConditions"),
            3: .optionalString("hostname"), 4: .message("targetRef", "core.v1.ObjectReference"),
            5: .stringMap("deprecatedTopology"), 6: .optionalString("nodeName"), 7: .optionalString("zone"),
            8: .message("hints", "discovery.v1.EndpointHints"),
        ],
        "discovery.v1.EndpointConditions": [1: .bool("ready"), 2: .bool("serving"), 3: .bool("terminating")],
        "discovery.v1.EndpointHints": [1: .messages("forZones", "discovery.v1.ForZone")],
        "discovery.v1.EndpointPort": [
            1: .optionalString("name"), 2: .optionalString("protocol"), 3: .int32("port"),
            4: .optionalString("appProtocol"),
        ],
        "discovery.v1.EndpointSlice": [
            1: .message("metadata", "meta.v1.ObjectMeta"), 2: .messages("endpoints", "discovery.v1.Endpoint"),
            3: .messages("ports", "discovery.v1.EndpointPort"), 4: .string("addressType"),
        ],
        "discovery.v1.ForZone": [1: .string("name")],
    ]
}
