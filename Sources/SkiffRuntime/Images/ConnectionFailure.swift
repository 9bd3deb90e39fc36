import NIOCore
import NIOPosix
import NIOSSL
#if canImport(Glibc)
import Glibc
#endif

/// A connection-level failure (refused, unresolvable, timed out, TLS) as a short
/// sentence, instead of NIO's nested error dumps.
struct ConnectionFailure: Error, CustomStringConvertible, Sendable {
    let description: String

    init(_ error: any Error) {
        description = Self.describe(error)
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let failure = error.connectionErrors.first { return describe(failure.error) }
            if let dns = error.dnsAError ?? error.dnsAAAAError { return "cannot resolve \(error.host): \(dns)" }
            return "no address for \(error.host)"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as ReadStalled:
            return "the server sent nothing for \(Double(error.timeout.nanoseconds) / 1e9) s"
        case ChannelError.connectTimeout(let timeout):
            return "connection timed out after \(timeout.nanoseconds / 1_000_000_000) s"
        case let error as NIOSSLError:
            if "\(error)".contains("WRONG_VERSION_NUMBER") {
                return "TLS handshake failed: the registry seems to speak plain http (reach it as an insecure registry)"
            }
            return "TLS failed: \(error)"
        case let error as BoringSSLError:
            return "TLS failed: \(error)"
        default:
            return "\(error)"
        }
    }
}
