import Testing

@testable import SkiffAPI

/// The types with JSON forms of their own, zero values, and how repeated, merged
/// and packed fields read.
@Suite struct ProtobufValueTests {
    private func event(_ fields: [UInt8]...) throws -> JSONValue {
        try protobufDocument(Proto.body("v1", "Event", Proto.objectMeta(name: "e"), fields.flatMap { $0 }))
    }

    @Test func timesAreRFC3339AsGoWritesThem() throws {
        let document = try event(
            Proto.message(6, Proto.int(1, 1_704_164_645), Proto.int(2, 987_654_321)),
            Proto.message(10, Proto.int(1, 1_704_164_645), Proto.int(2, 987_654_321)))
        #expect(document["firstTimestamp"] == "2024-01-02T03:04:05Z")
        #expect(document["eventTime"] == "2024-01-02T03:04:05.987654Z")
    }

    @Test func aZeroTimeIsLeftOut() throws {
        // gogo writes a zero metav1.Time as an empty message; Go's JSON says null.
        let document = try event(Proto.message(6))
        #expect(document["firstTimestamp"] == nil)
        #expect(document["metadata"]?["creationTimestamp"] == nil)
    }

    @Test func timesBeforeTheEpoch() throws {
        #expect(try event(Proto.message(7, Proto.int(1, -1)))["lastTimestamp"] == "1969-12-31T23:59:59Z")
    }

    @Test func negativeInt32sTakeTenBytes() throws {
        #expect(try event(Proto.int(8, -5))["count"] == -5)
    }

    @Test func emptyStringsOfValueFieldsAreDroppedAndOfPointerFieldsKept() throws {
        let claim = Proto.body(
            "v1", "PersistentVolumeClaim", Proto.objectMeta(name: "data"),
            Proto.message(2, Proto.string(1, "ReadWriteOnce"), Proto.string(3, ""), Proto.string(5, "")))
        let spec = try protobufDocument(claim)["spec"]
        #expect(try spec == json(#"{"accessModes":["ReadWriteOnce"],"storageClassName":""}"#))
    }

    @Test func listElementsMayBeSplitAndMessagesMerge() throws {
        // A message field written twice merges; list elements add up wherever they are.
        let body = Proto.body(
            "v1", "Namespace", Proto.message(1, Proto.string(1, "a")), Proto.message(2, Proto.string(1, "x")),
            Proto.message(1, Proto.string(14, "f1"), Proto.entry(11, "k", "1")),
            Proto.message(1, Proto.string(14, "f2"), Proto.entry(11, "k", "2")))
        let document = try protobufDocument(body)
        #expect(try document["metadata"] == json(#"{"name":"a","labels":{"k":"2"},"finalizers":["f1","f2"]}"#))
        #expect(try document["spec"] == json(#"{"finalizers":["x"]}"#))
    }

    @Test func packedListsOfNumbers() throws {
        let podSpec = Proto.message(
            14, Proto.bytes(4, Proto.varint(1000) + Proto.varint(2000)), Proto.int(4, 3000))
        let body = Proto.body("v1", "Pod", Proto.objectMeta(name: "p"), Proto.message(2, podSpec))
        #expect(
            try protobufDocument(body)["spec"]?["securityContext"] == json(#"{"supplementalGroups":[1000,2000,3000]}"#))
    }

    @Test func rawExtensionsHoldJSON() throws {
        let revision = Proto.body(
            "apps/v1", "ControllerRevision", Proto.objectMeta(name: "r"),
            Proto.message(2, Proto.string(1, #"{"spec":{"replicas":2}}"#)), Proto.int(3, 4))
        let document = try protobufDocument(revision)
        #expect(try document["data"] == json(#"{"spec":{"replicas":2}}"#))
        #expect(document["revision"] == 4)
    }

    @Test func managedFieldsCarryFieldsV1AsJSON() throws {
        let entry = Proto.message(
            17, Proto.string(1, "kubectl"), Proto.string(2, "Update"), Proto.string(3, "v1"),
            Proto.message(4, Proto.int(1, 0)), Proto.string(6, "FieldsV1"),
            Proto.message(7, Proto.string(1, #"{"f:data":{}}"#)))
        let body = Proto.body("v1", "ConfigMap", Proto.message(1, Proto.string(1, "c"), entry))
        #expect(
            try protobufDocument(body)["metadata"]?["managedFields"]
                == json(
                    #"""
                    [{"manager":"kubectl","operation":"Update","apiVersion":"v1","time":"1970-01-01T00:00:00Z",
                      "fieldsType":"FieldsV1","fieldsV1":{"f:data":{}}}]
                    """#))
    }

    @Test func volumesInlineTheirSourceAndQuantitiesAreText() throws {
        func volumes(_ emptyDir: [UInt8]) throws -> JSONValue? {
            let volume = Proto.message(1, Proto.string(1, "scratch"), Proto.message(2, Proto.message(2, emptyDir)))
            return try protobufDocument(Proto.body("v1", "Pod", Proto.objectMeta(name: "p"), Proto.message(2, volume)))[
                "spec"]?["volumes"]
        }
        #expect(try volumes(Proto.quantity(2, "1Gi")) == json(#"[{"name":"scratch","emptyDir":{"sizeLimit":"1Gi"}}]"#))
        // A zero Quantity prints as "0" in Go.
        #expect(try volumes(Proto.message(2)) == json(#"[{"name":"scratch","emptyDir":{"sizeLimit":"0"}}]"#))
    }

    @Test(arguments: [
        (Int64(0), "0s"), (1, "1ns"), (1_500, "1.5µs"), (2_000_000, "2ms"), (1_000_000_000, "1s"),
        (90_000_000_000, "1m30s"), (3_600_000_000_000, "1h0m0s"), (-1_500_000_000, "-1.5s"),
        (Int64.min, "-2562047h47m16.854775808s"),
    ])
    func durationsPrintAsGoDoes(nanoseconds: Int64, text: String) {
        #expect(GoDuration.string(nanoseconds: nanoseconds) == text)
    }

    @Test func durationMessages() throws {
        let json = try ProtobufSpecialType.duration.json(from: ArraySlice(Proto.int(1, 300_000_000_000)), at: .root)
        #expect(json == "5m0s")
    }
}
