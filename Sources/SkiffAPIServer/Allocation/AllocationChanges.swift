import Foundation
import SkiffAPI

/// What one write of a Service took and what it lets go, upstream's service
/// allocation transaction: the registry calls ``revert()`` when the write fails
/// (the new values go back) and ``commit()`` once it has landed (the old values go
/// back). Both are best effort; whatever a crash leaves behind, repair frees.
///
/// A dry run records nothing, so both are then no-ops.
struct AllocationChanges: Sendable {
    struct Entry: Sendable {
        let pool: AllocationPool
        let offset: Int
        let owner: AllocationRecord.Owner
    }

    private(set) var allocated: [Entry] = []
    private(set) var releasedOnCommit: [Entry] = []

    /// No allocation at all (every kind but Service).
    static let none = AllocationChanges()

    mutating func recordAllocated(_ offset: Int, in pool: AllocationPool, for owner: AllocationRecord.Owner) {
        allocated.append(Entry(pool: pool, offset: offset, owner: owner))
    }

    mutating func releaseOnCommit(_ offset: Int, in pool: AllocationPool, for owner: AllocationRecord.Owner) {
        releasedOnCommit.append(Entry(pool: pool, offset: offset, owner: owner))
    }

    /// Adds another step's changes (cluster IPs, then node ports).
    mutating func append(_ other: AllocationChanges) {
        allocated += other.allocated
        releasedOnCommit += other.releasedOnCommit
    }

    /// The write landed: free what the Service no longer holds.
    func commit() async {
        for entry in releasedOnCommit { await entry.pool.release(entry.offset, from: entry.owner) }
    }

    /// The write failed: free what it had taken.
    func revert() async {
        for entry in allocated { await entry.pool.release(entry.offset, from: entry.owner) }
    }
}

/// The errors of allocation, worded as upstream's allocators and service REST.
enum AllocationErrors {
    static func ipNotInRange(_ cidr: ServiceCIDR) -> String {
        "provided IP is not in the valid range. The range of valid IPs is \(cidr)"
    }

    static let ipAllocated = "provided IP is already allocated"

    static func portNotInRange(_ range: NodePortRange) -> String {
        "provided port is not in the valid range. The range of valid ports is \(range)"
    }

    static let portAllocated = "provided port is already allocated"

    /// 422 `spec.clusterIPs: Invalid value: []string{"10.43.0.5"}: failed to allocate IP 10.43.0.5: …`.
    static func clusterIP(_ service: Service, ip: String, reason: String) -> APIError {
        let rendered = goStringSlice(service.spec.clusterIPs)
        let error = FieldError(
            type: .invalid, field: FieldPath("spec", "clusterIPs"), badValue: .omitted,
            detail: "\(rendered): failed to allocate IP \(ip): \(reason)")
        return invalid(service, [error])
    }

    /// 422 `spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated`.
    static func nodePort(_ service: Service, index: Int, port: Int32, reason: String) -> APIError {
        let path = FieldPath("spec", "ports").index(index).child("nodePort")
        return invalid(service, [.invalid(path, .int(Int64(port)), reason)])
    }

    static func invalid(_ service: Service, _ errors: [FieldError]) -> APIError {
        .invalid(kind: Service.kind, group: "", name: service.metadata.name ?? "", errors: errors)
    }

    static let ipRangeFull = APIError.internalError("failed to allocate a serviceIP: range is full")
    static let nodePortRangeFull = APIError.internalError("failed to allocate a nodePort: range is full")

    /// Go's `%#v` of a []string, as upstream prints `spec.clusterIPs` in errors.
    static func goStringSlice(_ values: [String]?) -> String {
        guard let values else { return "[]string(nil)" }
        let quoted = values.map { value in
            "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return "[]string{" + quoted.joined(separator: ", ") + "}"
    }
}
