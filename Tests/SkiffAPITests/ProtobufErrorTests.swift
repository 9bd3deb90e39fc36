import Testing

@testable import SkiffAPI

/// Bodies that cannot be read give upstream-like errors that say where, and never
/// a document with data missing.
@Suite struct ProtobufErrorTests {
    private func failure(_ bytes: [UInt8]) -> ProtobufError? {
        do {
            _ = try ProtobufDecoding.document(from: bytes)
            return nil
        } catch {
            return error
        }
    }

    private let namespace = Proto.body("v1", "Namespace", Proto.objectMeta(name: "demo"))

    @Test func bodiesWithoutTheEnvelope() {
        for bytes in [Array(#"{"kind":"Namespace"}"#.utf8), [0x6b, 0x38, 0x73], []] {
            #expect(
                failure(bytes)?.description
                    == "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]")
        }
    }

    @Test func everyCutInsideTheObjectIsAnError() {
        // Protobuf has no end marker, so a body cut right after the envelope's typeMeta
        // reads as an object without fields; every other cut runs into a length prefix.
        let typeMetaEnd = 4 + 2 + 4 + 11
        for length in 5..<(namespace.count - 4) where length != typeMetaEnd {
            let error = failure(Array(namespace.prefix(length)))
            #expect(error?.code == .truncated, "cut at \(length): \(String(describing: error))")
        }
    }

    @Test func truncationNamesTheMessage() {
        var cut = namespace
        cut.removeLast(8)  // ends inside the object: raw's length now runs past the end
        #expect(failure(cut)?.description == "proto: unexpected EOF in runtime.Unknown")

        let inner = Proto.body("v1", "Namespace", Proto.tag(1, 2) + Proto.varint(3) + [0x0a, 0x09, 0x41])
        #expect(failure(inner)?.description == "proto: unexpected EOF in metadata (meta.v1.ObjectMeta)")
    }

    @Test func unknownKinds() {
        #expect(
            failure(Proto.body("v1", "Widget"))?.description
                == #"no kind "Widget" is registered for version "v1" in scheme "skiff""#)
        #expect(failure(Proto.body("apps/v2", "Deployment"))?.code == .unknownKind)
        #expect(failure(Proto.body("v1", ""))?.description == "Object 'Kind' is missing in the protobuf envelope")
    }

    @Test func unknownFieldsAreRefusedWithTheirPath() {
        let body = Proto.body(
            "apps/v1", "Deployment",
            Proto.message(2, Proto.message(3, Proto.message(2, Proto.message(2, Proto.string(99, "x"))))))
        #expect(
            failure(body)?.description
                == "proto: unknown field 99 in spec.template.spec.containers[0] (core.v1.Container): "
                + "Skiff's protobuf schema does not have it, so the body cannot be read without losing data")
    }

    @Test func wireTypeMismatchNamesTheField() {
        let body = Proto.body("apps/v1", "Deployment", Proto.message(2, Proto.string(1, "3")))
        #expect(
            failure(body)?.description
                == "proto: wrong wireType = 2 (length-delimited) for field spec.replicas, "
                + "field 1 of apps.v1.DeploymentSpec, expected 0 (varint)")
    }

    @Test func malformedBytes() {
        let overlong = Proto.body("v1", "Event", Proto.tag(8, 0) + Array(repeating: 0xff, count: 10) + [0x01])
        #expect(failure(overlong)?.description == "proto: integer overflow in core.v1.Event")
        #expect(failure(Proto.body("v1", "Event", [0x00]))?.code == .malformed)
        #expect(failure(Proto.body("v1", "Event", Proto.tag(8, 3)))?.code == .malformed)
    }

    @Test func invalidValues() {
        let badUTF8 = Proto.body("v1", "Namespace", Proto.message(1, Proto.bytes(1, [0xc3, 0x28])))
        #expect(failure(badUTF8)?.description == "proto: invalid UTF-8 in field metadata.name")

        let impossible = Proto.message(4, Proto.int(1, 7))
        let service = Proto.body("v1", "Service", Proto.message(2, Proto.message(1, impossible)))
        #expect(
            failure(service)?.description == "proto: impossible IntOrString.Type 7 in field spec.ports[0].targetPort")

        let notJSON = Proto.body("apps/v1", "ControllerRevision", Proto.message(2, Proto.string(1, "{")))
        #expect(failure(notJSON)?.code == .invalidValue)
    }

    @Test func contentEncodingsAreRefused() {
        var gzipped = Proto.body("v1", "Namespace")
        gzipped.removeLast(4)
        gzipped += Proto.string(3, "gzip") + Proto.string(4, "")
        #expect(failure(gzipped)?.code == .invalidValue)
    }
}
