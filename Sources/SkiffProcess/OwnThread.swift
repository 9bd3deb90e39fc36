#if canImport(Glibc)
import Glibc
#endif

/// Threads made for one piece of work: a program's run blocks on poll and waitpid
/// and blocks SIGPIPE; a namespace call (setns, unshare) changes its thread. None of
/// that may happen on a thread Swift concurrency (or anyone else) shares.
public enum OwnThread {
    private final class Work {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on a new thread and waits for it; false if no thread could be made.
    public static func run(_ body: () -> Void) -> Bool {
        withoutActuallyEscaping(body) { body in
            guard let thread = start(body) else { return false }
            pthread_join(thread, nil)
            return true
        }
    }

    /// Runs `body` on a new thread that nobody waits for; false if none could be made.
    public static func detach(_ body: @escaping @Sendable () -> Void) -> Bool {
        guard let thread = start(body) else { return false }
        pthread_detach(thread)
        return true
    }

    private static func start(_ body: @escaping () -> Void) -> pthread_t? {
        let work = Unmanaged.passRetained(Work(body)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { context in
            Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, work)
        guard created == 0 else {
            Unmanaged<Work>.fromOpaque(work).release()
            return nil
        }
        return thread
    }
}
