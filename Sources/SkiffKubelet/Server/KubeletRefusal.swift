import SkiffAPIServer

/// A request the kubelet refuses, answered as upstream's kubelet answers: a status
/// code and a plain-text sentence (go-restful's `WriteError`), never a `Status` object.
struct KubeletRefusal: Error, Equatable, CustomStringConvertible {
    var status: Int
    var message: String

    var description: String { message }

    var response: APIResponse {
        APIResponse(status: status, contentType: "text/plain; charset=utf-8", body: Array(message.utf8))
    }

    static func badRequest(_ message: String) -> KubeletRefusal { KubeletRefusal(status: 400, message: message) }
    static func notFound(_ message: String) -> KubeletRefusal { KubeletRefusal(status: 404, message: message) }
    static func internalError(_ message: String) -> KubeletRefusal { KubeletRefusal(status: 500, message: message) }

    /// GetExec, GetAttach and GetPortForward failures: the CRI streaming helper maps
    /// errors that carry no gRPC code to 500.
    static func streamingFailure(_ message: String) -> KubeletRefusal { .internalError(message) }

    /// `GetPodByName` found nothing, as `/exec`, `/attach` and `/portForward` say it.
    static let podDoesNotExist = KubeletRefusal.notFound("pod does not exist")
}
