import SkiffAPI

/// A metav1 StatusReason ("NotFound", "Conflict", …), open to values this client
/// does not name, plus two of the client's own for failures with no Status.
public struct StatusReason: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    public static let notFound = StatusReason(rawValue: "NotFound")
    public static let alreadyExists = StatusReason(rawValue: "AlreadyExists")
    public static let conflict = StatusReason(rawValue: "Conflict")
    public static let invalid = StatusReason(rawValue: "Invalid")
    public static let badRequest = StatusReason(rawValue: "BadRequest")
    public static let unauthorized = StatusReason(rawValue: "Unauthorized")
    public static let forbidden = StatusReason(rawValue: "Forbidden")
    public static let gone = StatusReason(rawValue: "Gone")
    public static let expired = StatusReason(rawValue: "Expired")
    public static let tooManyRequests = StatusReason(rawValue: "TooManyRequests")
    public static let timeout = StatusReason(rawValue: "Timeout")
    public static let internalError = StatusReason(rawValue: "InternalError")
    public static let unknown = StatusReason(rawValue: "")
    /// No response: the connection failed or closed (client-side).
    public static let transport = StatusReason(rawValue: "Transport")
    /// A response this client could not read (client-side).
    public static let undecodable = StatusReason(rawValue: "Undecodable")
}

/// Every failure of an API call: the server's `Status` (code, reason, message) or
/// a transport or decoding failure on this side (code 0).
public struct ClientError: Error, Sendable, CustomStringConvertible {
    /// The HTTP status code; 0 when there was no usable response.
    public var code: Int
    public var reason: StatusReason
    public var message: String
    /// The server's Status, when it sent one.
    public var status: Status?

    public init(code: Int, reason: StatusReason, message: String, status: Status? = nil) {
        self.code = code
        self.reason = reason
        self.message = message
        self.status = status
    }

    static func transport(_ message: String) -> ClientError {
        ClientError(code: 0, reason: .transport, message: message)
    }

    static func undecodable(_ message: String, code: Int = 0) -> ClientError {
        ClientError(code: code, reason: .undecodable, message: message)
    }

    /// The error a non-2xx reply stands for: its Status if it is one, else the
    /// reason upstream's client infers from the code alone.
    static func from(code: Int, body: [UInt8]) -> ClientError {
        if let status = try? JSONCodec.decode(Status.self, from: body), status.kind == Status.kind {
            return ClientError(
                code: Int(status.code ?? Int32(code)), reason: StatusReason(rawValue: status.reason ?? ""),
                message: status.message ?? "", status: status)
        }
        let text = String(decoding: body.prefix(512), as: UTF8.self)
        return ClientError(code: code, reason: reason(forCode: code), message: text)
    }

    static func reason(forCode code: Int) -> StatusReason {
        switch code {
        case 400: .badRequest
        case 401: .unauthorized
        case 403: .forbidden
        case 404: .notFound
        case 409: .conflict
        case 410: .gone
        case 422: .invalid
        case 429: .tooManyRequests
        case 504: .timeout
        case 500: .internalError
        default: .unknown
        }
    }

    public var isNotFound: Bool { reason == .notFound || (code == 404 && reason == .unknown) }
    public var isAlreadyExists: Bool { reason == .alreadyExists }
    public var isConflict: Bool { reason == .conflict || code == 409 && reason != .alreadyExists }
    /// 410: a watch or list from a resourceVersion the server no longer has.
    public var isGone: Bool { code == 410 || reason == .expired || reason == .gone }

    public var description: String {
        code == 0 ? "\(reason): \(message)" : "\(message) (\(code) \(reason))"
    }
}
