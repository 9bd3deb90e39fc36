import SkiffAPI
import SkiffStore

/// Errors the registry raises besides those ``APIError`` already words, each as
/// upstream words it.
extension APIError {
    /// 504 for a resourceVersion newer than the store has (storage.NewTooLargeResourceVersionError):
    /// reflectors recognise the `ResourceVersionTooLarge` cause and retry.
    public static func tooLargeResourceVersion(requested: Int64, current: Int64) -> APIError {
        var details = StatusDetails()
        details.causes = [StatusCause(reason: "ResourceVersionTooLarge", message: "Too large resource version")]
        details.retryAfterSeconds = 1
        return APIError(
            code: 504, reason: "Timeout",
            message: "Timeout: Too large resource version: \(requested), current: \(current)", details: details)
    }

    /// 410 for a list at an exact resourceVersion that was compacted away.
    public static let listResourceVersionTooOld = APIError(
        code: 410, reason: "Expired", message: "The resourceVersion for the provided list is too old.")

    /// 409 when every name generated from `generateName` was taken (NewGenerateNameConflict).
    static func generateNameConflict(resource: String, group: String, name: String) -> APIError {
        var error = APIError.alreadyExists(resource: resource, group: group, name: name)
        error.message += ", the server was not able to generate a unique name for the object"
        error.details?.retryAfterSeconds = 1
        return error
    }

    /// 413 for an object larger than the store keeps. Upstream passes on etcd's
    /// `etcdserver: request is too large` as a 500; a 413 says what to fix.
    static func objectTooLarge(resource: String, group: String, name: String, bytes: Int?) -> APIError {
        let size = bytes.map { "\($0) bytes" } ?? "too large"
        return APIError(
            code: 413, reason: "RequestEntityTooLarge",
            message: "Request entity too large: \(qualified(resource, group: group)) \"\(name)\" is \(size) "
                + "once stored, the limit is \(StoreLimits.maxValueSize) bytes")
    }

    /// 422 for bad request options, e.g. `ListOptions.meta.k8s.io "" is invalid: …`.
    static func invalidOptions(_ kind: String, _ errors: [FieldError]) -> APIError {
        .invalid(kind: kind, group: "meta.k8s.io", name: "", errors: errors)
    }

    /// 500 ServerTimeout when the store cannot be reached (etcd down or not
    /// answering), as upstream's storage.IsUnreachable → errors.NewServerTimeout:
    /// clients read `retryAfterSeconds` and try again.
    static func serverTimeout(operation: String, resource: String, group: String) -> APIError {
        var details = StatusDetails()
        details.name = operation
        details.group = group
        details.kind = resource
        details.retryAfterSeconds = 2
        return APIError(
            code: 500, reason: "ServerTimeout",
            message: "The \(operation) operation against \(qualified(resource, group: group)) could not be completed at this time, please try again.",
            details: details)
    }

    /// The error for a store failure that no caller turned into something more
    /// precise: a compacted revision, a value too large, an unreachable store, or a 500.
    /// `operation` is the verb upstream names in its ServerTimeout message.
    static func storeFailure(
        _ error: any Error, operation: String, resource: String, group: String, name: String
    ) -> APIError {
        if let error = error as? APIError { return error }
        guard let error = error as? StoreError else { return .internalError("\(error)") }
        switch error.code {
        case .compacted:
            return APIError(code: 410, reason: "Expired", message: error.message)
        case .requestTooLarge:
            return .objectTooLarge(resource: resource, group: group, name: name, bytes: nil)
        case .unavailable:
            return .serverTimeout(operation: operation, resource: resource, group: group)
        default:
            return .internalError(error.message)
        }
    }
}
