import Foundation
import SkiffAPI
import SkiffAPIServer
import SkiffRuntime

/// core/v1 PodLogOptions as the kubelet's `/containerLogs` reads them, decoded and
/// validated as upstream's getContainerLogs does, with its answers: 400
/// `{"message": "Unable to decode query."}` and 422 `{"message": "Invalid request."}`.
struct ContainerLogQuery: Sendable, Equatable {
    var follow = false
    var previous = false
    var timestamps = false
    var sinceSeconds: Int64?
    var sinceTime: Time?
    var tailLines: Int64?
    var limitBytes: Int64?

    static let undecodable = KubeletRefusal.badRequest(#"{"message": "Unable to decode query."}"#)
    static let invalid = KubeletRefusal(status: 422, message: #"{"message": "Invalid request."}"#)

    init(query: QueryItems) throws(KubeletRefusal) {
        follow = QueryBool.value(query, "follow") ?? false
        previous = QueryBool.value(query, "previous") ?? false
        timestamps = QueryBool.value(query, "timestamps") ?? false
        sinceSeconds = try Self.integer(query, "sinceSeconds")
        limitBytes = try Self.integer(query, "limitBytes")
        // The legacy `tail` wins over `tailLines`; `tail=all` means no tail at all.
        if let tail = query["tail"], !tail.isEmpty {
            tailLines = tail == "all" ? nil : try Self.parse(tail)
        } else {
            tailLines = try Self.integer(query, "tailLines")
        }
        if let text = query["sinceTime"], !text.isEmpty {
            do { sinceTime = try Time(rfc3339: text) } catch { throw Self.undecodable }
        }
        try validate()
    }

    /// Upstream's ValidatePodLogOptions.
    private func validate() throws(KubeletRefusal) {
        if let tailLines, tailLines < 0 { throw Self.invalid }
        if let limitBytes, limitBytes < 1 { throw Self.invalid }
        if sinceSeconds != nil && sinceTime != nil { throw Self.invalid }
        if let sinceSeconds, sinceSeconds < 1 { throw Self.invalid }
    }

    /// What to read, with `sinceSeconds` counted back from `now`.
    func readOptions(now: Date) -> LogReadOptions {
        var since: Date?
        if let sinceSeconds { since = now.addingTimeInterval(-Double(sinceSeconds)) }
        if let sinceTime { since = sinceTime.date }
        return LogReadOptions(
            tailLines: tailLines.map { Int(clamping: $0) }, since: since, timestamps: timestamps,
            limitBytes: limitBytes.map { Int(clamping: $0) })
    }

    /// An empty value is no value, as upstream's parameter codec reads a pointer field.
    private static func integer(_ query: QueryItems, _ name: String) throws(KubeletRefusal) -> Int64? {
        guard let text = query[name], !text.isEmpty else { return nil }
        return try parse(text)
    }

    private static func parse(_ text: String) throws(KubeletRefusal) -> Int64 {
        guard let value = Int64(text) else { throw undecodable }
        return value
    }
}

/// A boolean query parameter as upstream's parameter codec converts it: absent is
/// unset; `false` (any case) and `0` are false; anything else, even empty, is true.
enum QueryBool {
    static func value(_ query: QueryItems, _ name: String) -> Bool? {
        guard let value = query[name] else { return nil }
        return !(value == "0" || value.lowercased() == "false")
    }
}
