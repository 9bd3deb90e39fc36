import SkiffAPI

/// core/v1 PodLogOptions as `pods/{name}/log` reads them from its query, checked
/// as upstream's ValidatePodLogOptions does.
struct PodLogQuery: Sendable, Equatable {
    var container: String?
    var follow = false
    var previous = false
    var timestamps = false
    var sinceSeconds: Int64?
    var sinceTime: Time?
    var tailLines: Int64?
    var limitBytes: Int64?
    /// Read the logs even when the kubelet's certificate does not verify.
    var insecureSkipTLSVerifyBackend = false

    /// Parses the query; a malformed number or time is a 400, as upstream's
    /// parameter codec reports it.
    init(query: QueryItems) throws(APIError) {
        let options = QueryOptions(query: query)
        container = query["container"]
        follow = QueryFlag.value(query, "follow") ?? false
        previous = QueryFlag.value(query, "previous") ?? false
        timestamps = QueryFlag.value(query, "timestamps") ?? false
        insecureSkipTLSVerifyBackend = QueryFlag.value(query, "insecureSkipTLSVerifyBackend") ?? false
        sinceSeconds = try options.integer("sinceSeconds")
        tailLines = try options.integer("tailLines")
        limitBytes = try options.integer("limitBytes")
        if let text = query["sinceTime"], !text.isEmpty {
            do {
                sinceTime = try Time(rfc3339: text)
            } catch {
                throw .badRequest(
                    "parsing time \(text.debugDescription) as \"2006-01-02T15:04:05Z07:00\": not an RFC 3339 time")
            }
        }
    }

    /// 422 `PodLogOptions "web" is invalid: …` for values no kubelet could honour.
    func validate(podName: String) throws(APIError) {
        var errors: [FieldError] = []
        if let tailLines, tailLines < 0 {
            errors.append(.invalid(FieldPath("tailLines"), .int(tailLines), "must be greater than or equal to 0"))
        }
        if let limitBytes, limitBytes < 1 {
            errors.append(.invalid(FieldPath("limitBytes"), .int(limitBytes), "must be greater than 0"))
        }
        if sinceSeconds != nil && sinceTime != nil {
            errors.append(.forbidden(FieldPath(""), "at most one of `sinceTime` or `sinceSeconds` may be specified"))
        } else if let sinceSeconds, sinceSeconds < 1 {
            errors.append(.invalid(FieldPath("sinceSeconds"), .int(sinceSeconds), "must be greater than 0"))
        }
        guard errors.isEmpty else {
            throw .invalid(kind: "PodLogOptions", group: "", name: podName, errors: errors)
        }
    }

    /// The kubelet's `/containerLogs` query: only what was asked, as upstream's LogLocation sends it.
    var kubeletQuery: KubeletQuery {
        var query = KubeletQuery()
        if follow { query.add("follow", "true") }
        if previous { query.add("previous", "true") }
        if timestamps { query.add("timestamps", "true") }
        if let sinceSeconds { query.add("sinceSeconds", String(sinceSeconds)) }
        if let sinceTime { query.add("sinceTime", sinceTime.truncatedToSeconds.description) }
        if let tailLines { query.add("tailLines", String(tailLines)) }
        if let limitBytes { query.add("limitBytes", String(limitBytes)) }
        return query
    }
}

/// A boolean query parameter as upstream's parameter codec converts one into an
/// options struct: absent is unset; `false` (any case) and `0` are false; any
/// other value, even empty (`?follow`), is true.
enum QueryFlag {
    static func value(_ query: QueryItems, _ name: String) -> Bool? {
        guard let value = query[name] else { return nil }
        return !(value == "0" || value.lowercased() == "false")
    }
}
