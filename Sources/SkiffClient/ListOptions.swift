/// Query parameters of list and watch calls, as metav1.ListOptions names them.
public struct ListOptions: Sendable, Hashable {
    /// A label selector in upstream's text form: `app=web,tier in (a,b)`.
    public var labelSelector: String?
    /// A field selector: `spec.nodeName=,status.phase!=Succeeded`.
    public var fieldSelector: String?
    /// Page size; the reply's `metadata.continue` fetches the next page.
    public var limit: Int?
    public var `continue`: String?
    /// For lists: "0" reads the watch cache, nil a consistent read; for watches
    /// the revision to start after.
    public var resourceVersion: String?
    public var resourceVersionMatch: String?
    public var timeoutSeconds: Int?
    /// Watches: ask for BOOKMARK events carrying the latest resourceVersion.
    public var allowWatchBookmarks = false

    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil,
        resourceVersion: String? = nil, timeoutSeconds: Int? = nil, allowWatchBookmarks: Bool = false
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.resourceVersion = resourceVersion
        self.timeoutSeconds = timeoutSeconds
        self.allowWatchBookmarks = allowWatchBookmarks
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        if let limit { items.append(("limit", String(limit))) }
        if let `continue` { items.append(("continue", `continue`)) }
        if let resourceVersion { items.append(("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { items.append(("resourceVersionMatch", resourceVersionMatch)) }
        if let timeoutSeconds { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        return items
    }
}

/// How a PATCH body is to be read.
public enum PatchType: Sendable {
    /// RFC 7386 JSON merge patch.
    case merge
    /// Kubernetes strategic merge patch (lists merged by their keys).
    case strategicMerge
    /// RFC 6902 JSON patch (a list of operations).
    case json
    /// Server-side apply; needs a field manager.
    case apply(fieldManager: String, force: Bool)

    var contentType: String {
        switch self {
        case .merge: "application/merge-patch+json"
        case .strategicMerge: "application/strategic-merge-patch+json"
        case .json: "application/json-patch+json"
        case .apply: "application/apply-patch+yaml"
        }
    }
}
