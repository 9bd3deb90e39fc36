/// A normalised image reference, as containerd and the kubelet read one: `busybox`
/// is `docker.io/library/busybox:latest`, `127.0.0.1:5000/busybox` is
/// `127.0.0.1:5000/busybox:latest`, and `name@sha256:…` pins a digest (no tag implied).
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// `docker.io`, `registry.example.com`, `127.0.0.1:5000`: host with an optional port.
    public let registry: String
    /// The path in the registry: `library/busybox`.
    public let repository: String
    /// The tag; `latest` when the reference names neither a tag nor a digest.
    public let tag: String?
    /// The pinned digest, when the reference has `@sha256:…`. Pulls then fetch by digest.
    public let digest: Digest?

    public static let defaultRegistry = "docker.io"
    public static let defaultTag = "latest"

    public init(parsing text: String) throws(ImageError) {
        func invalid(_ why: String) -> ImageError {
            ImageError(.invalidReference, "invalid image reference \(text.debugDescription): \(why)")
        }
        guard !text.isEmpty else { throw invalid("it is empty") }
        guard text.utf8.count <= 512, text.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw invalid("it has spaces, non-ASCII characters or is too long")
        }
        var rest = Substring(text)
        if let at = rest.firstIndex(of: "@") {
            do { digest = try Digest(parsing: String(rest[rest.index(after: at)...])) } catch {
                throw invalid(error.message)
            }
            rest = rest[..<at]
        } else {
            digest = nil
        }
        let nameStart = rest.lastIndex(of: "/").map { rest.index(after: $0) } ?? rest.startIndex
        var tag: String?
        if let colon = rest[nameStart...].lastIndex(of: ":") {
            let written = rest[rest.index(after: colon)...]
            guard Self.isValidTag(written) else { throw invalid("tag \(String(written).debugDescription) is not [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}") }
            tag = String(written)
            rest = rest[..<colon]
        }
        guard !rest.isEmpty else { throw invalid("it has no repository name") }

        var registry = Self.defaultRegistry
        var path = rest
        if let slash = rest.firstIndex(of: "/") {
            let first = rest[..<slash]
            // docker's rule: the first component is a registry when it has a dot or a
            // port, is localhost, or has upper-case letters (which paths may not).
            if first.contains(".") || first.contains(":") || first == "localhost" || first.lowercased() != first {
                guard Self.isValidRegistry(first) else { throw invalid("registry \(String(first).debugDescription) is not host[:port]") }
                registry = String(first)
                path = rest[rest.index(after: slash)...]
            }
        }
        if registry == "index.docker.io" { registry = Self.defaultRegistry }
        if registry == Self.defaultRegistry, !path.contains("/") { path = "library/" + path }
        let components = path.split(separator: "/", omittingEmptySubsequences: false)
        for component in components where !Self.isValidPathComponent(component) {
            throw invalid("path component \(String(component).debugDescription) must be lower-case letters, digits and separators (. _ __ -)")
        }
        guard registry.utf8.count + 1 + path.utf8.count <= 255 else { throw invalid("the name is longer than 255 characters") }
        if components.count == 2, components[0] == "library", components[1].utf8.count == 64,
            components[1].allSatisfy(\.isHexDigit)
        {
            throw invalid("a 64-hex-digit name is an image ID, not a repository")
        }
        self.registry = registry
        repository = String(path)
        self.tag = tag ?? (digest == nil ? Self.defaultTag : nil)
    }

    /// `registry/repository`, e.g. `docker.io/library/busybox` (crictl's REPOSITORY).
    public var name: String { "\(registry)/\(repository)" }

    /// The normalised reference: `docker.io/library/busybox:latest`, `…@sha256:…`.
    public var description: String {
        var text = name
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// What the manifest request names: the digest when pinned, else the tag.
    var manifestReference: String { digest?.description ?? tag ?? Self.defaultTag }

    /// This reference with a different tag and no digest (`import` names tags that way).
    func withTag(_ tag: String) throws(ImageError) -> ImageReference {
        try ImageReference(parsing: "\(name):\(tag)")
    }

    static func isValidTag(_ tag: Substring) -> Bool {
        guard let first = tag.first, tag.utf8.count <= 128, first != ".", first != "-" else { return false }
        return tag.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-") }
    }

    /// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`, the distribution spec's path component.
    private static func isValidPathComponent(_ component: Substring) -> Bool {
        func isLowerAlnum(_ character: Character) -> Bool {
            character.isASCII && (character.isNumber || (character.isLetter && character.isLowercase))
        }
        guard let first = component.first, let last = component.last, isLowerAlnum(first), isLowerAlnum(last) else {
            return false
        }
        var separator = ""
        for character in component {
            if isLowerAlnum(character) {
                guard ["", ".", "_", "__"].contains(separator) || separator.allSatisfy({ $0 == "-" }) else { return false }
                separator = ""
            } else if character == "." || character == "_" || character == "-" {
                separator.append(character)
            } else {
                return false
            }
        }
        return true
    }

    /// A DNS name or IPv4 address, or `[IPv6]`, with an optional numeric port.
    private static func isValidRegistry(_ text: Substring) -> Bool {
        var host = text
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return false }
            let address = text[text.index(after: text.startIndex)..<close]
            guard !address.isEmpty, address.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return false }
            let after = text[text.index(after: close)...]
            return after.isEmpty || isValidPort(after)
        }
        if let colon = text.lastIndex(of: ":") {
            guard isValidPort(text[colon...]) else { return false }
            host = text[..<colon]
        }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            guard let first = label.first, let last = label.last, first != "-", last != "-" else { return false }
            return label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }

    /// `:1234`
    private static func isValidPort(_ text: Substring) -> Bool {
        let digits = text.dropFirst()
        return text.first == ":" && !digits.isEmpty && digits.count <= 5 && digits.allSatisfy(\.isNumber)
            && Int(digits).map { $0 <= 65535 } == true
    }
}
