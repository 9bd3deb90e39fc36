import SkiffAPI

/// How an exec or attach ended, written on the error channel (3) as upstream's
/// remotecommand server writes it: from v4 a metav1.Status as JSON (Success;
/// Failure with reason NonZeroExitCode and the code as an ExitCode cause; or an
/// InternalError), before v4 only a failure's message.
enum RemoteCommandStatus: Sendable, Equatable {
    static let errorChannel: UInt8 = 3

    case success
    /// The command ran and exited non-zero; `detail` is the runtime's sentence about it.
    case nonZeroExit(code: Int32, detail: String)
    /// The command could not be run, or the stream failed.
    case internalError(String)

    /// The error channel's payload for `version`; nil when nothing is written (success before v4).
    func payload(for version: ChannelProtocol.Version) -> [UInt8]? {
        let status = self.status
        if version < .v4 {
            guard status.status != Status.success else { return nil }
            return Array((status.message ?? "").utf8)
        }
        // Encoding a Status cannot fail in practice; an empty payload still ends the session.
        return (try? JSONCodec.encode(status)) ?? []
    }

    /// The Status as apimachinery builds it; no kind or apiVersion, as json.Marshal of
    /// a bare metav1.Status leaves them out.
    var status: Status {
        var status = Status()
        switch self {
        case .success:
            status.status = Status.success
        case .nonZeroExit(let code, let detail):
            status.status = Status.failure
            status.reason = "NonZeroExitCode"
            status.message = "command terminated with non-zero exit code: \(detail)"
            var details = StatusDetails()
            details.causes = [StatusCause(reason: "ExitCode", message: String(code))]
            status.details = details
        case .internalError(let message):
            // apierrors.NewInternalError.
            status.status = Status.failure
            status.reason = "InternalError"
            status.code = 500
            status.message = "Internal error occurred: \(message)"
            var details = StatusDetails()
            details.causes = [StatusCause(reason: nil, message: message)]
            status.details = details
        }
        return status
    }
}
