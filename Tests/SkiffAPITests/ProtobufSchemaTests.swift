import Testing

@testable import SkiffAPI

@Suite struct ProtobufSchemaTests {
    @Test func everyServedKindHasAMessage() {
        for type in Scheme.objectTypes {
            #expect(ProtobufSchema.message(apiVersion: type.apiVersion, kind: type.kind) != nil, "\(type.kind)")
        }
        for (apiVersion, kind) in [("policy/v1", "Eviction"), ("autoscaling/v1", "Scale"), ("v1", "DeleteOptions")] {
            #expect(ProtobufSchema.message(apiVersion: apiVersion, kind: kind) != nil, "\(kind)")
        }
    }

    @Test func everyReferencedMessageIsDefined() {
        let special = Set(ProtobufSpecialType.allCases.map(\.rawValue))
        for (name, message) in ProtobufSchema.messages {
            for (number, field) in message {
                guard case .message(let type) = field.value else { continue }
                #expect(ProtobufSchema.messages[type] != nil || special.contains(type), "\(name) field \(number)")
            }
        }
        for message in ProtobufSchema.kinds.values { #expect(ProtobufSchema.messages[message] != nil, "\(message)") }
    }

    @Test func tablesDoNotOverlapOrShadowSpecialTypes() {
        #expect(ProtobufSchema.tables.map(\.count).reduce(0, +) == ProtobufSchema.messages.count)
        for special in ProtobufSpecialType.allCases { #expect(ProtobufSchema.messages[special.rawValue] == nil) }
    }

    @Test func jsonNamesAreUniqueWithinAMessage() {
        for (name, message) in ProtobufSchema.messages {
            let names = message.values.filter { $0.shape != .inline }.map(\.name)
            #expect(Set(names).count == names.count, "\(name)")
        }
    }
}
