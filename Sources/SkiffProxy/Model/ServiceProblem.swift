/// Something of a Service this proxy cannot program; the rest of it is programmed.
/// The proxier logs it and records it as a Warning event on the Service.
public struct ServiceProblem: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The event's reason.
    public enum Reason: String, Hashable, Sendable {
        /// An IPv6 cluster or external IP on this IPv4 proxy.
        case unsupportedAddress = "UnsupportedAddress"
        /// A port number or protocol the proxy cannot program.
        case unsupportedPort = "UnsupportedPort"
        /// The same frontend twice in one Service.
        case duplicatePort = "DuplicatePort"
        /// A frontend another Service holds (it came first by namespace and name).
        case frontendInUse = "FrontendInUse"
    }

    public var service: ServiceKey
    public var reason: Reason
    public var message: String

    public init(_ service: ServiceKey, _ reason: Reason, _ message: String) {
        self.service = service
        self.reason = reason
        self.message = message
    }

    public var description: String { "service \(service): \(message)" }

    public static func < (lhs: ServiceProblem, rhs: ServiceProblem) -> Bool { lhs.description < rhs.description }
}
