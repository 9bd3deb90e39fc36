import Foundation

/// How etcd's refusals read, to tell them apart (etcd's rpctypes messages).
enum EtcdErrorText {
    static let compacted = "required revision has been compacted"
    static let futureRevision = "required revision is a future revision"
    static let requestTooLarge = "request is too large"
    static let messageTooLarge = "larger than max"
}

extension GRPCStatus {
    var isCompacted: Bool { message.contains(EtcdErrorText.compacted) }
    var isFutureRevision: Bool { message.contains(EtcdErrorText.futureRevision) }
}

extension StoreError {
    /// The store's error for a failed etcd call about `subject` (a key or range).
    /// Compaction and future revisions are handled by the callers, which know
    /// the revisions involved.
    /// `write`: the call was a write, whose fate a lost answer leaves unknown.
    static func etcd(_ error: any Error, _ subject: String, write: Bool = false) -> any Error {
        switch error {
        case let error as StoreError:
            return error
        case is CancellationError:
            return error
        case let status as GRPCStatus:
            if status.message.contains(EtcdErrorText.requestTooLarge) || status.message.contains(EtcdErrorText.messageTooLarge) {
                return StoreError(.requestTooLarge, "etcd refused the write of \(subject) as too large", cause: status)
            }
            switch status.code {
            case .unavailable, .deadlineExceeded, .cancelled:
                return StoreError(.unavailable, "etcd could not serve \(subject)", cause: status)
            case .invalidArgument:
                return StoreError(.invalidArgument, "etcd refused the request for \(subject)", cause: status)
            default:
                return StoreError(.storage, "etcd failed on \(subject)", cause: status)
            }
        case let transport as GRPCTransportError:
            let fate = write ? "; the write may or may not have been applied" : ""
            return StoreError(.unavailable, "etcd did not answer for \(subject)\(fate)", cause: transport)
        default:
            return StoreError(.storage, "etcd failed on \(subject)", cause: error)
        }
    }
}
