import Foundation
import SkiffAPI

/// Who holds an allocated cluster IP or node port: the value of its key under
/// ``AllocationKeys``. The key is created (create-if-absent) before the Service that
/// holds the value is written and deleted after that Service lets it go, so the
/// store alone decides races between API servers, and a crash in between leaves a
/// record that ``AllocationRepair`` frees.
public struct AllocationRecord: Codable, Hashable, Sendable {
    /// The Service holding the value.
    public struct Owner: Codable, Hashable, Sendable, CustomStringConvertible {
        public var namespace: String
        public var name: String
        public var uid: String

        public init(namespace: String, name: String, uid: String) {
            self.namespace = namespace
            self.name = name
            self.uid = uid
        }

        public init(of service: Service) {
            self.init(
                namespace: service.metadata.namespace ?? "", name: service.metadata.name ?? "",
                uid: service.metadata.uid ?? "")
        }

        public var description: String { "\(namespace)/\(name)" }
    }

    public var service: Owner
    /// When the value was taken; repair leaves younger records alone.
    public var allocatedAt: Time

    public init(service: Owner, allocatedAt: Time) {
        self.service = service
        self.allocatedAt = allocatedAt
    }

    /// The stored bytes.
    public func encoded() -> Data {
        // A struct of strings and a time always encodes.
        Data((try? JSONCodec.encode(self)) ?? [])
    }

    /// Decodes stored bytes strictly, as `skiff store put` checks them.
    public static func decode(_ data: Data) throws -> AllocationRecord {
        let record = try JSONCodec.decode(AllocationRecord.self, from: Array(data), unknownFields: .reject)
        if record.service.namespace.isEmpty || record.service.name.isEmpty || record.service.uid.isEmpty {
            throw ServiceNetworkError("an allocation record names its service's namespace, name and uid")
        }
        return record
    }
}

/// The store keys of allocations: `/registry/allocations/serviceips/<ip>` (either
/// family, canonical text: `10.43.0.5`, `fd00:43::5`) and
/// `/registry/allocations/nodeports/<port>`. They are not API objects, so
/// `skiff store put` checks them with ``check(key:value:)`` instead.
public enum AllocationKeys {
    public static let root = RegistryKey.root + "allocations/"
    public static let serviceIPs = root + "serviceips/"
    public static let nodePorts = root + "nodeports/"

    /// Whether `key` is an allocation key.
    public static func contains(_ key: String) -> Bool { key.hasPrefix(root) }

    /// What `skiff store put` checks under ``root``: a known pool, a value of that
    /// pool as the key's last segment, and a well-formed ``AllocationRecord``.
    public static func check(key: String, value: Data) throws {
        let name: Substring
        if key.hasPrefix(serviceIPs) {
            name = key.dropFirst(serviceIPs.count)
            guard let ip = ServiceIP(String(name)), ip.description == name else {
                throw ServiceNetworkError("\(key): \(name) is not an IP address in canonical form")
            }
        } else if key.hasPrefix(nodePorts) {
            name = key.dropFirst(nodePorts.count)
            guard let port = Int(name), (1...65535).contains(port), String(port) == name else {
                throw ServiceNetworkError("\(key): \(name) is not a port number")
            }
        } else {
            throw ServiceNetworkError("\(key) is not an allocation key: expected \(serviceIPs)<ip> or \(nodePorts)<port>")
        }
        do {
            _ = try AllocationRecord.decode(value)
        } catch {
            throw ServiceNetworkError("\(key): not an allocation record: \(error)")
        }
    }
}
