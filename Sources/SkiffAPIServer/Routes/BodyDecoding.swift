import Foundation
import SkiffAPI

/// The media types request bodies may come in: JSON and YAML as clients write
/// them, and Kubernetes protobuf, which kubectl's typed clients send.
enum RequestBody {
    static let accepted = "application/json, application/yaml, \(ProtobufDecoding.contentType)"

    /// The body as a JSON tree, whatever its Content-Type. `subject` and `kind`
    /// word the error as upstream's decoder does (`Pod in version "v1" cannot be
    /// handled as a Pod: …`).
    static func parse(_ request: APIRequest, as subject: String, kind: String) throws(APIError) -> JSONValue {
        let contentType = MediaType(parsing: Substring(request.headers["Content-Type"] ?? "application/json"))
        do {
            switch contentType.essence {
            case "application/json", "":
                return try JSONCodec.parse(request.body)
            case "application/yaml":
                return try YAMLReader.document(String(decoding: request.body, as: UTF8.self))
            case ProtobufDecoding.contentType:
                return try ProtobufDecoding.document(from: request.body)
            default:
                throw APIError.unsupportedMediaType(accepted)
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw .badRequest("\(subject) cannot be handled as a \(kind): \(error)")
        }
    }
}

/// Reads request bodies into objects of the kind the URL names, as upstream's
/// create and update handlers do: JSON or YAML, TypeMeta defaulted from the URL,
/// a body of another kind refused, unknown fields handled as `fieldValidation` says.
struct BodyDecoding {
    let type: any APIObject.Type
    let validation: FieldValidation

    /// The body as a JSON tree with `kind` and `apiVersion` set.
    func document(_ request: APIRequest) throws(APIError) -> JSONValue {
        let document = try RequestBody.parse(request, as: "\(type.kind) in version \"\(type.apiVersion)\"", kind: type.kind)
        guard case .object(var fields) = document else {
            throw .badRequest(
                "\(type.kind) in version \"\(type.apiVersion)\" cannot be handled as a \(type.kind): "
                    + "json: cannot unmarshal \(document.kindName) into Go value of type struct")
        }
        let kind = fields["kind"]?.stringValue ?? ""
        let apiVersion = fields["apiVersion"]?.stringValue ?? ""
        if (!kind.isEmpty && kind != type.kind) || (!apiVersion.isEmpty && apiVersion != type.apiVersion) {
            let sentKind = kind.isEmpty ? type.kind : kind
            let sentVersion = apiVersion.isEmpty ? type.apiVersion : apiVersion
            throw .badRequest("\(sentKind) in version \"\(sentVersion)\" cannot be handled as a \(type.kind): "
                + "the object provided is unrecognized (must be of type \(type.kind))")
        }
        if kind.isEmpty { fields["kind"] = .string(type.kind) }
        if apiVersion.isEmpty { fields["apiVersion"] = .string(type.apiVersion) }
        return .object(fields)
    }

    /// The typed object of a document, and the warnings to send (`Warn`).
    func object(from document: JSONValue) throws(APIError) -> (object: any APIObject, warnings: [String]) {
        try type.decodeBody(document, validation: validation)
    }
}

extension APIObject {
    /// This kind from a request body, as ``BodyDecoding`` reads it: a static on
    /// the kind so that a registry's `any APIObject.Type` can call it.
    fileprivate static func decodeBody(_ document: JSONValue, validation: FieldValidation) throws(APIError)
        -> (object: any APIObject, warnings: [String])
    {
        typealias T = Self
        do {
            let decoded = try JSONCodec.decodeReportingUnknownFields(T.self, from: document)
            let unknown = decoded.unknownFields
            switch validation {
            case .strict where !unknown.isEmpty:
                throw APIError.badRequest(
                    "\(T.kind) in version \"\(T.apiVersion)\" cannot be handled as a \(T.kind): strict decoding error: "
                        + unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", "))
            case .warn:
                return (decoded.value, unknown.map { "unknown field \"\($0)\"" })
            default:
                return (decoded.value, [])
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw .badRequest("\(T.kind) in version \"\(T.apiVersion)\" cannot be handled as a \(T.kind): \(error)")
        }
    }
}

extension APIResponse {
    /// Adds one `Warning: 299 - "…"` header per message, as upstream warns clients.
    mutating func addWarnings(_ warnings: [String]) {
        for warning in warnings {
            let escaped = warning.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            headers.add("Warning", "299 - \"\(escaped)\"")
        }
    }
}
