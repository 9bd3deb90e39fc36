extension JSONValue {
    /// This value with `value` stored at the object path `path` (`["metadata",
    /// "resourceVersion"]`), creating objects on the way; a non-object on the way
    /// is replaced by one.
    public func setting(_ path: [String], to value: JSONValue) -> JSONValue {
        guard let key = path.first else { return value }
        var object = objectValue ?? JSONObject()
        let child = object[key] ?? .object(JSONObject())
        object[key] = child.setting(Array(path.dropFirst()), to: value)
        return .object(object)
    }
}
