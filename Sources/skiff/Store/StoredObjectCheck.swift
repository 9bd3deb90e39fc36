import ArgumentParser
import Foundation
import SkiffAPI
import SkiffAPIServer

/// What `skiff store put` checks before writing under /registry/: the bytes are an
/// object of the key's resource, strictly decoded, named as the key says, and valid
/// once defaulted (the bytes are stored as given). Allocation keys under
/// /registry/allocations/ hold no objects but allocation records, checked as such.
enum StoredObjectCheck {
    static func check(key: String, value: Data) throws {
        if AllocationKeys.contains(key) {
            do {
                try AllocationKeys.check(key: key, value: value)
            } catch {
                throw CommandFailure("refusing to write \(key): \(error) (use --raw to write it anyway)")
            }
            return
        }
        guard let registryKey = RegistryKey(key) else {
            throw CommandFailure(
                "\(key) is not an object key: expected /registry/<resource>/<namespace>/<name> "
                    + "or /registry/<resource>/<name> for a known resource (use --raw to write it anyway)")
        }
        let object: any APIObject
        do {
            object = try ObjectDecoding.decode(Array(value))
        } catch {
            throw CommandFailure("refusing to write \(key): \(error)")
        }
        let objectKey = RegistryKey(of: object)
        guard objectKey == registryKey else {
            throw CommandFailure(
                "refusing to write \(key): the value is \(type(of: object).kind) "
                    + "\"\(object.metadata.name ?? "")\"\(object.metadata.namespace.map { " in namespace \"\($0)\"" } ?? ""), "
                    + "which belongs at \(objectKey)")
        }
        var defaulted = object
        APIDefaulting.apply(to: &defaulted)
        let errors = APIValidation.validateCreate(defaulted)
        guard errors.isEmpty else {
            let kind = type(of: object)
            throw CommandFailure(
                "refusing to write \(key): "
                    + APIValidation.invalidMessage(
                        kind: kind.kind, group: kind.group, name: object.metadata.name ?? "", errors: errors))
        }
    }
}
