import SkiffAPI
import SkiffStore

extension ResourceRegistry {
    /// Filtering lists read pages of keys that double up to this size (upstream's maxLimit).
    static var maxPageSize: Int { 10_000 }

    /// Lists objects in a namespace (nil: all namespaces), sorted by key, as
    /// upstream's etcd3 storage does: one consistent state however many pages
    /// (`limit` + `continue` pin the revision of the first page), selectors applied,
    /// `metadata.resourceVersion` the revision read at, `remainingItemCount` when
    /// nothing is filtered.
    ///
    /// Errors: 400 for a bad continue token or field label, 410 when the state asked
    /// for was compacted, 422 for contradictory options, 504 for a resourceVersion
    /// the store has not reached.
    public func list(
        namespace: String?, options: Registry.ListOptions = Registry.ListOptions()
    ) async throws(APIError) -> ObjectList<T> {
        try options.validate()
        for requirement in options.fieldSelector.requirements where !selectableFields.contains(requirement.field) {
            throw .badRequest("field label not supported: \(requirement.field)")
        }
        let scope = listScope(namespace: namespace, fieldSelector: options.fieldSelector)
        var range = scope.range
        var revision: Int64?
        var minimum: Int64?
        let continuing = !(options.continueToken ?? "").isEmpty
        if let token = options.continueToken, continuing {
            if let version = options.resourceVersion, !version.isEmpty, version != "0" {
                throw .badRequest("specifying resource version is not allowed when using continue")
            }
            let (tokenRevision, start) = try ContinueToken.decode(token, prefix: scope.prefix)
            // A negative revision asks for the latest state (an inconsistent continuation).
            if tokenRevision > 0 { revision = tokenRevision }
            range = Self.resume(range, at: start)
        } else if let requested = try Revisions.parse(options.resourceVersion), requested > 0 {
            switch options.resourceVersionMatch ?? "" {
            case "Exact": revision = requested
            case "NotOlderThan": minimum = requested
            default:
                // Legacy rule: a paged list reads exactly there, an unpaged one at least there.
                if options.limit > 0 { revision = requested } else { minimum = requested }
            }
        }

        var items: [T] = []
        var lastKey: String?
        var more = false
        var pageSize = options.limit > 0 ? options.limit : nil
        pages: while true {
            let page = try await readPage(range, revision: revision, limit: pageSize, continuing: continuing)
            revision = page.revision
            more = page.more
            for kv in page.kvs {
                if options.limit > 0 && items.count >= options.limit {
                    more = true
                    break pages
                }
                lastKey = kv.key
                var object = try StoredObjects.decode(T.self, from: kv)
                guard Self.matches(object, options) else { continue }
                // Items of a list carry no TypeMeta on the wire; the list does.
                object.kind = nil
                object.apiVersion = nil
                items.append(object)
            }
            guard more, options.limit > 0, items.count < options.limit, let lastKey else { break }
            pageSize = min((pageSize ?? options.limit) * 2, Self.maxPageSize)
            range = range.after(lastKey)
        }

        let readAt = revision ?? 0
        if let minimum, minimum > readAt { throw .tooLargeResourceVersion(requested: minimum, current: readAt) }
        var metadata = ListMeta(resourceVersion: String(readAt))
        if more, let lastKey {
            metadata.continue = ContinueToken.encode(lastKey: lastKey, prefix: scope.prefix, revision: readAt)
            if !options.selects {
                let rest = range.after(lastKey)
                metadata.remainingItemCount = Int64(
                    try await attempt("list", name: "") { try await store.count(rest, revision: readAt) })
            }
        }
        return ObjectList(items: items, metadata: metadata)
    }

    /// Whether an object passes the list's selectors.
    static func matches(_ object: T, _ options: Registry.ListOptions) -> Bool {
        if !options.labelSelector.isEmpty && !options.labelSelector.matches(object.metadata.labels ?? [:]) {
            return false
        }
        if !options.fieldSelector.isEmpty && !options.fieldSelector.matches(SelectableFields.of(object)) {
            return false
        }
        return true
    }

    /// The keys a list reads: the kind's, or one namespace's, narrowed by field
    /// selectors that pin the namespace or the name (as upstream's ListPredicate).
    /// `prefix` is what continue tokens are relative to.
    func listScope(namespace: String?, fieldSelector: Fields.Selector) -> (prefix: String, range: KeyRange) {
        var namespace = T.namespaced ? namespace.flatMap { $0.isEmpty ? nil : $0 } : nil
        if T.namespaced, namespace == nil, let selected = fieldSelector.requiresExactMatch("metadata.namespace"),
            Self.isKeySegment(selected)
        {
            namespace = selected
        }
        let prefix = RegistryKey.prefix(of: T.self, namespace: namespace)
        if namespace != nil || !T.namespaced, let name = fieldSelector.requiresExactMatch("metadata.name"),
            Self.isKeySegment(name)
        {
            return (prefix, .key(prefix + name))
        }
        return (prefix, .prefix(prefix))
    }

    private static func isKeySegment(_ text: String) -> Bool {
        !text.isEmpty && !text.contains("/") && !text.contains("\u{0}")
    }

    /// The part of `range` from a continue token's start key: keys after the last
    /// one returned when it ends in NUL (always, for tokens upstream or Skiff minted).
    static func resume(_ range: KeyRange, at start: String) -> KeyRange {
        if start.hasSuffix("\u{0}") { return range.after(String(start.dropLast())) }
        if range.includesUpperBound { return range }
        return KeyRange(from: start, to: range.upperBound)
    }

    /// One page from the store, its errors worded as upstream's list errors.
    private func readPage(
        _ range: KeyRange, revision: Int64?, limit: Int?, continuing: Bool
    ) async throws(APIError) -> RangeResult {
        do {
            return try await store.range(range, revision: revision, limit: limit)
        } catch let error as StoreError where error.code == .compacted {
            throw continuing ? .expiredContinue() : .listResourceVersionTooOld
        } catch let error as StoreError where error.code == .futureRevision {
            let current = (try? await store.currentRevision) ?? 0
            throw .tooLargeResourceVersion(requested: revision ?? 0, current: current)
        } catch {
            throw failure(error, during: "list", name: "")
        }
    }
}
