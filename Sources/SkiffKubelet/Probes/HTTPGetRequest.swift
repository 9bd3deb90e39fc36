import Foundation
import SkiffAPI
import SkiffAPIServer

/// The GET an HTTP probe or hook sends, built from its HTTPGetAction the way upstream's
/// NewRequestForHTTPGetAction builds it.
struct HTTPGetRequest: Sendable, Hashable {
    var url: HTTPGetURL
    /// Header fields in order, names canonical as Go writes them; Host is apart.
    var headers: [HTTPGetHeader]
    /// The Host header the action set, which replaces the URL's authority.
    var host: String?

    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    /// `purpose` names the sender in the User-Agent: "probe" or "lifecycle".
    init(action: HTTPGetAction, container: Container, podIP: String?, purpose: String) throws(Invalid) {
        let host = action.host.flatMap { $0.isEmpty ? nil : $0 } ?? podIP
        // Upstream would dial ":port", the node itself; a pod without an IP is not ready
        // to be probed yet.
        guard let host, !host.isEmpty else { throw Invalid(description: "the pod has no IP address yet") }
        let port: Int
        do { port = try ProbePort.resolve(action.port, in: container) } catch { throw Invalid(description: error.description) }
        let scheme = (action.scheme ?? "").lowercased()
        url = HTTPGetURL(scheme: scheme.isEmpty ? "http" : scheme, host: host, port: port, target: Self.target(action.path))

        var headers = (action.httpHeaders ?? []).map { HTTPGetHeader(name: Self.canonicalName($0.name), value: $0.value) }
        self.host = headers.first(where: { $0.name == "Host" }).map(\.value).flatMap { $0.isEmpty ? nil : $0 }
        headers.removeAll { $0.name == "Host" }
        if !headers.contains(where: { $0.name == "User-Agent" }) {
            headers.append(HTTPGetHeader(name: "User-Agent", value: "kube-\(purpose)/\(ServerVersion.major).\(ServerVersion.minor)"))
        }
        if !headers.contains(where: { $0.name == "Accept" }) {
            headers.append(HTTPGetHeader(name: "Accept", value: "*/*"))
        } else if headers.first(where: { $0.name == "Accept" })?.value == "" {
            // An Accept header set to nothing asks for none at all.
            headers.removeAll { $0.name == "Accept" }
        }
        self.headers = headers
    }

    /// The request target for a path field: a leading slash, the query kept, the
    /// fragment dropped, and what may not appear in a request line percent-encoded.
    static func target(_ path: String?) -> String {
        var path = path ?? ""
        if let fragment = path.firstIndex(of: "#") { path = String(path[..<fragment]) }
        if !path.hasPrefix("/") { path = "/" + path }
        var result = ""
        for byte in path.utf8 {
            if byte > 0x20 && byte < 0x7f {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += String(format: "%%%02X", byte)
            }
        }
        return result
    }

    /// Go's CanonicalMIMEHeaderKey: "x-custom-header" → "X-Custom-Header"; a name with
    /// a character that is not a token character stays as it is.
    static func canonicalName(_ name: String) -> String {
        let token = CharacterSet(charactersIn: "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        guard !name.isEmpty, name.unicodeScalars.allSatisfy(token.contains) else { return name }
        var upper = true
        var result = ""
        for character in name {
            result += upper ? character.uppercased() : character.lowercased()
            upper = character == "-"
        }
        return result
    }
}

struct HTTPGetHeader: Sendable, Hashable {
    var name: String
    var value: String
}

/// Where a GET goes: scheme, host, port and request target.
struct HTTPGetURL: Sendable, Hashable, CustomStringConvertible {
    var scheme: String
    /// A name or an address; an IPv6 address without brackets.
    var host: String
    var port: Int
    /// Path and query, starting with "/".
    var target: String

    /// host:port as Go's JoinHostPort writes it.
    var authority: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    var description: String { "\(scheme)://\(authority)\(target)" }

    /// Where a redirect's Location points, relative to this URL; nil when it is no
    /// HTTP(S) URL.
    func resolving(_ location: String) -> HTTPGetURL? {
        guard let base = URL(string: description), let resolved = URL(string: location, relativeTo: base),
              let components = URLComponents(url: resolved.absoluteURL, resolvingAgainstBaseURL: false),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              var host = components.host, !host.isEmpty
        else { return nil }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        let query = components.percentEncodedQuery.map { "?" + $0 } ?? ""
        return HTTPGetURL(
            scheme: scheme, host: host, port: components.port ?? (scheme == "https" ? 443 : 80), target: path + query)
    }
}
