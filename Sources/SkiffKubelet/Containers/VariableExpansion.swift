/// Kubernetes' `$(VAR)` references in env values, command and args: a defined
/// variable is replaced, an undefined one is left as written, `$$` is a literal `$`
/// (so `$$(VAR)` stays `$(VAR)`), as k8s.io/kubernetes third_party/forked/golang/expansion.
enum VariableExpansion {
    static func expand(_ text: String, _ lookup: (String) -> String?) -> String {
        guard text.contains("$") else { return text }
        var result = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            guard character == "$", next < text.endIndex else {
                result.append(character)
                index = next
                continue
            }
            if text[next] == "$" {
                result.append("$")
                index = text.index(after: next)
            } else if text[next] == "(", let close = text[next...].firstIndex(of: ")") {
                let name = String(text[text.index(after: next)..<close])
                result += lookup(name) ?? "$(\(name))"
                index = text.index(after: close)
            } else {
                result.append(character)
                index = next
            }
        }
        return result
    }
}
