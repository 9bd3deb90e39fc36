import SkiffAPI

/// What a read answers with, picked from the request's `Accept` header in the
/// order the client listed them, as upstream's content negotiation does.
enum ResponseFormat: Equatable {
    /// The object or list as JSON.
    case json
    /// A meta.k8s.io/v1 Table (what `kubectl get` asks for).
    case table(TableConversion.IncludeObject)

    /// - Throws: 406 when no listed type is one the server produces.
    init(request: APIRequest) throws(APIError) {
        let accepted = MediaType.accepted(request.headers.values("Accept"))
        for type in accepted {
            if let kind = type.metaTransformation {
                guard kind == "Table" else { continue }
                let requested = request.query["includeObject"] ?? ""
                guard let include = requested.isEmpty ? .metadata : TableConversion.IncludeObject(rawValue: requested)
                else {
                    throw .badRequest("includeObject must be one of \"None\", \"Metadata\" or \"Object\", got \"\(requested)\"")
                }
                self = .table(include)
                return
            }
            if type.acceptsJSON && type.parameters["as"] == nil {
                self = .json
                return
            }
        }
        throw .notAcceptable(accepted.map(\.essence).joined(separator: ", "))
    }
}
