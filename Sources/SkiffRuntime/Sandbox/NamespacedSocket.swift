#if canImport(Glibc)
import Glibc
#endif

/// A socket made inside another network namespace: a socket belongs to the
/// namespace it was created in for life, so only its creation needs the setns,
/// on a thread of its own. For netlink to a node's network namespace when the
/// agent runs outside it (as in tests).
public enum NamespacedSocket {
    public static func open(
        domain: Int32, type: Int32, protocol number: Int32, networkNamespace path: String
    ) throws(SandboxError) -> Int32 {
        try DedicatedThread.run { () throws(SandboxError) in
            let namespace = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard namespace >= 0 else { throw .namespace(operation: "open \(path)", errno: errno) }
            defer { close(namespace) }
            guard LinuxNamespaceCalls.setns(namespace, LinuxNamespaceCalls.newNetwork) == 0 else {
                throw .namespace(operation: "setns \(path)", errno: errno)
            }
            let descriptor = socket(domain, type, number)
            guard descriptor >= 0 else { throw .namespace(operation: "socket in \(path)", errno: errno) }
            return descriptor
        }
    }
}
