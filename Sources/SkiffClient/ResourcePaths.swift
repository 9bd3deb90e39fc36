import SkiffAPI

extension APIObject {
    /// The REST path of this kind's collection or of one object in it:
    /// `/api/v1/namespaces/ns/pods/web/status`, `/apis/apps/v1/deployments`.
    /// A nil namespace of a namespaced kind means all namespaces (lists, watches).
    public static func path(namespace: String? = nil, name: String? = nil, subresource: String? = nil) -> String {
        var path = group.isEmpty ? "/api/" + apiVersion : "/apis/" + apiVersion
        if namespaced, let namespace { path += "/namespaces/" + PathEscaping.segment(namespace) }
        path += "/" + resource
        if let name { path += "/" + PathEscaping.segment(name) }
        if let subresource { path += "/" + subresource }
        return path
    }
}

/// Percent-encoding of path segments and query values.
enum PathEscaping {
    private static let unreserved: Set<UInt8> = Set(
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))

    static func segment(_ text: String) -> String { escape(text) }

    static func query(_ items: [(String, String)]) -> String {
        items.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
