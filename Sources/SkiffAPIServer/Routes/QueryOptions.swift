import SkiffAPI

/// The query parameters of resource requests, parsed as upstream's parameter codec
/// reads them into ListOptions, CreateOptions, PatchOptions and DeleteOptions.
/// Parameters a verb does not know are ignored, as upstream ignores them; a known
/// one with a malformed value is a 400.
struct QueryOptions {
    let query: QueryItems

    /// `watch=true|1|True` (Go's strconv.ParseBool).
    var watch: Bool { get throws(APIError) { try bool("watch") ?? false } }

    func listOptions() throws(APIError) -> Registry.ListOptions {
        try Registry.ListOptions(
            labelSelector: query["labelSelector"], fieldSelector: query["fieldSelector"],
            limit: Int(try integer("limit") ?? 0), continueToken: query["continue"],
            resourceVersion: query["resourceVersion"], resourceVersionMatch: query["resourceVersionMatch"])
    }

    /// `fieldValidation`: Strict, Warn (the default) or Ignore.
    func fieldValidation() throws(APIError) -> FieldValidation {
        guard let value = query["fieldValidation"], !value.isEmpty else { return .warn }
        guard let validation = FieldValidation(rawValue: value) else {
            throw .badRequest(
                "fieldValidation must be one of \"Ignore\", \"Warn\", or \"Strict\", got \(value.debugDescription)")
        }
        return validation
    }

    var writeOptions: Registry.WriteOptions {
        Registry.WriteOptions(dryRun: query.values("dryRun"), fieldManager: query["fieldManager"])
    }

    /// `force` of server-side apply.
    var force: Bool { get throws(APIError) { try bool("force") ?? false } }

    /// DeleteOptions from the body (when there is one) and the query, the query
    /// filling what the body leaves out, as upstream's delete handler merges them.
    func deleteOptions(_ request: APIRequest) throws(APIError) -> DeleteOptions {
        var options = DeleteOptions()
        if !request.body.isEmpty {
            let document = try RequestBody.parse(request, as: "DeleteOptions in version \"v1\"", kind: "DeleteOptions")
            do {
                options = try JSONCodec.decode(DeleteOptions.self, from: document, unknownFields: .ignore)
            } catch {
                throw .badRequest("\(error)")
            }
            if let kind = options.kind, kind != DeleteOptions.kind {
                throw .badRequest("no kind \"\(kind)\" is registered for version \"\(options.apiVersion ?? "")\"")
            }
        }
        if options.gracePeriodSeconds == nil { options.gracePeriodSeconds = try integer("gracePeriodSeconds") }
        if options.propagationPolicy == nil { options.propagationPolicy = query["propagationPolicy"] }
        if options.orphanDependents == nil { options.orphanDependents = try bool("orphanDependents") }
        if options.dryRun == nil, query.contains("dryRun") { options.dryRun = query.values("dryRun") }
        return options
    }

    /// `timeoutSeconds` of a watch.
    var timeoutSeconds: Int64? { get throws(APIError) { try integer("timeoutSeconds") } }

    func bool(_ name: String) throws(APIError) -> Bool? {
        guard let value = query[name] else { return nil }
        switch value {
        case "1", "t", "T", "true", "TRUE", "True": return true
        case "0", "f", "F", "false", "FALSE", "False", "": return false
        default: throw .badRequest("strconv.ParseBool: parsing \(value.debugDescription): invalid syntax")
        }
    }

    func integer(_ name: String) throws(APIError) -> Int64? {
        guard let value = query[name], !value.isEmpty else { return nil }
        guard let number = Int64(value) else {
            throw .badRequest("strconv.ParseInt: parsing \(value.debugDescription): invalid syntax")
        }
        return number
    }
}

/// How the server treats fields of a body that the kind does not define.
enum FieldValidation: String {
    /// Refuse the request: 400 `strict decoding error: unknown field "spec.foo"`.
    case strict = "Strict"
    /// Drop them and say so in `Warning` headers.
    case warn = "Warn"
    /// Drop them silently.
    case ignore = "Ignore"
}
