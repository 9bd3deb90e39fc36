import Yams

/// Reads manifests written in YAML (or JSON, which is YAML too) into JSON trees,
/// converting scalars by their resolved YAML 1.1 tags as sigs.k8s.io/yaml does.
/// Yams composes with no resolver rules (its default rules are regular expressions,
/// which bring ICU in); untagged plain scalars are resolved by `YAMLImplicitTag`.
public enum YAMLReader {
    /// Every non-empty document in a `---`-separated stream.
    public static func documents(_ text: String) throws(JSONError) -> [JSONValue] {
        if let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[" {
            return [try JSONParser.parse(Array(text.utf8))]
        }
        do {
            var result: [JSONValue] = []
            for node in try Yams.compose_all(yaml: text, .basic) {
                let value = try convert(node, path: "")
                if case .null = value { continue }
                result.append(value)
            }
            return result
        } catch let error as JSONError {
            throw error
        } catch {
            throw .yaml(message: "\(error)")
        }
    }

    /// Exactly one document.
    public static func document(_ text: String) throws(JSONError) -> JSONValue {
        let all = try documents(text)
        guard all.count == 1 else {
            throw .yaml(message: "expected one document, found \(all.count)")
        }
        return all[0]
    }

    private static func convert(_ node: Yams.Node, path: String) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            // The stored tag, not `node.tag`, which would resolve an implicit one.
            return convertScalar(scalar, explicitTag: scalar.tag.rawValue)
        case .sequence(let sequence):
            return .array(try sequence.enumerated().map { try convert($1, path: "\(path)[\($0)]") })
        case .mapping(let mapping):
            var object = JSONObject()
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw JSONError.yaml(message: "\(path.isEmpty ? "document" : path): map keys must be scalars")
                }
                let name = keyScalar.string
                object[name] = try convert(value, path: path.isEmpty ? name : "\(path).\(name)")
            }
            return .object(object)
        case .alias:
            throw JSONError.yaml(message: "\(path): aliases are not supported")
        }
    }

    private static func convertScalar(_ scalar: Yams.Node.Scalar, explicitTag: String) -> JSONValue {
        // Quoted scalars are always strings.
        if scalar.style != .plain { return .string(scalar.string) }
        let text = scalar.string
        let tag: YAMLImplicitTag
        switch Tag.Name(rawValue: explicitTag) {
        case .implicit: tag = YAMLImplicitTag(text)
        case .null: tag = .null
        case .bool: tag = .bool
        case .int: tag = .int
        case .float: tag = .float
        default: tag = .str
        }
        switch tag {
        case .null: return .null
        case .bool:
            // As Yams' Bool.construct, which would also refuse a scalar whose tag was
            // resolved to str by the rule-less resolver.
            switch text.lowercased() {
            case "true", "yes", "on": return .bool(true)
            case "false", "no", "off": return .bool(false)
            default: return .string(text)
            }
        case .int:
            if let number = Int.construct(from: scalar) { return .integer(number) }
            return .string(text)
        case .float:
            if (try? JSONParser.parse(Array(text.utf8))).map({ if case .number = $0 { true } else { false } }) == true {
                return .number(text)
            }
            if let number = Double.construct(from: scalar), number.isFinite { return .number(formatFloat(number)) }
            return .string(text)
        case .str: return .string(text)
        }
    }
}
