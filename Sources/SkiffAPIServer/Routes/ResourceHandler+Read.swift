import SkiffAPI

extension ResourceHandler {
    func get(_ name: String) async throws(APIError) -> APIResponse {
        let object = try await registry.get(
            namespace: namespace, name: name, resourceVersion: request.query["resourceVersion"])
        return try respond(object)
    }

    /// A list: from the watch cache for `resourceVersion=0` (any state will do, as
    /// informers ask), else a consistent read of the store.
    func list() async throws(APIError) -> APIResponse {
        let options = try query.listOptions()
        let format = try ResponseFormat(request: request)
        if options.resourceVersion == "0", (options.continueToken ?? "").isEmpty {
            try options.validate()
            return try await listFromCache(options, format: format)
        }
        let listing = try await registry.list(namespace: namespace, options: options)
        switch format {
        case .json:
            return .json(try Self.encode(listing))
        case .table(let include):
            let table = try TableConversion.table(
                of: type, objects: listing.objects, listMeta: listing.metadata, includeObject: include)
            return .json(try Self.encode(table))
        }
    }

    private func listFromCache(_ options: Registry.ListOptions, format: ResponseFormat) async throws(APIError)
        -> APIResponse
    {
        let result: WatchCache.ListResult
        do {
            result = try await cache.list(
                namespace: namespace, labelSelector: options.labelSelector, fieldSelector: options.fieldSelector)
        } catch {
            throw (error as? APIError) ?? .internalError("\(error)")
        }
        var metadata = ListMeta()
        metadata.resourceVersion = String(result.resourceVersion)
        switch format {
        case .json:
            return .json(ListEncoding.list(kind: type.kind + "List", apiVersion: type.apiVersion, metadata: metadata, items: result.objects))
        case .table(let include):
            let objects = try result.objects.map { bytes throws(APIError) in try ListEncoding.decode(type, bytes) }
            let table = try TableConversion.table(of: type, objects: objects, listMeta: metadata, includeObject: include)
            return .json(try Self.encode(table))
        }
    }

    /// A watch of the collection, or of one object (`/watch/…/name`, or a field
    /// selector on metadata.name as kubectl sends).
    func watch(singleObject name: String?) async throws(APIError) -> APIResponse {
        let options = try query.listOptions()
        var fieldSelector = options.fieldSelector
        if let name {
            fieldSelector = Fields.Selector(
                fieldSelector.requirements + [Fields.Requirement(field: "metadata.name", operator: .equals, value: name)])
        }
        let format = try ResponseFormat(request: request)
        let allowBookmarks = try query.bool("allowWatchBookmarks") ?? false
        let sendInitialEvents = try query.bool("sendInitialEvents")
        if sendInitialEvents != nil, options.resourceVersionMatch != "NotOlderThan" {
            throw .invalidOptions("ListOptions", [
                .forbidden(FieldPath("sendInitialEvents"), "sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan")
            ])
        }
        let stream: WatchCache.Stream
        do {
            stream = try await cache.watch(
                namespace: namespace, labelSelector: options.labelSelector, fieldSelector: fieldSelector,
                resourceVersion: options.resourceVersion, allowBookmarks: allowBookmarks,
                sendInitialEvents: sendInitialEvents)
        } catch {
            throw (error as? APIError) ?? .internalError("\(error)")
        }
        let timeout = WatchResponseBody.timeout(requested: try query.timeoutSeconds)
        let type = self.type
        let body: WatchResponseBody
        switch format {
        case .json:
            body = WatchResponseBody(stream: stream, timeout: timeout)
        case .table(let include):
            body = WatchResponseBody(stream: stream, timeout: timeout) { event in
                var event = event
                let object = try ListEncoding.decode(type, event.object)
                event.object = try Self.encode(try TableConversion.table(of: type, objects: [object], includeObject: include))
                return event
            }
        }
        return WatchResponseBody.response(body)
    }
}

/// Lists assembled from objects the watch cache keeps as JSON, without decoding them.
enum ListEncoding {
    static func list(kind: String, apiVersion: String, metadata: ListMeta, items: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(items.reduce(128) { $0 + $1.count + 1 })
        bytes += #"{"kind":""#.utf8
        bytes += kind.utf8
        bytes += #"","apiVersion":""#.utf8
        bytes += apiVersion.utf8
        bytes += #"","metadata":"#.utf8
        bytes += (try? JSONCodec.encode(metadata)) ?? Array("{}".utf8)
        bytes += #","items":["#.utf8
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += item
        }
        bytes += "]}".utf8
        return bytes
    }

    /// An object of `type` from JSON the server wrote itself.
    static func decode(_ type: any APIObject.Type, _ bytes: [UInt8]) throws(APIError) -> any APIObject {
        try type.decodeCached(bytes)
    }
}

extension APIObject {
    fileprivate static func decodeCached(_ bytes: [UInt8]) throws(APIError) -> any APIObject {
        do {
            return try JSONCodec.decode(Self.self, from: bytes, unknownFields: .ignore)
        } catch {
            throw .internalError("unable to decode a cached \(kind): \(error)")
        }
    }
}
