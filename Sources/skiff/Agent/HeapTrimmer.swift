import CLinux

/// Hands the heap's free pages back to the kernel now and then. glibc's `free` gives
/// back only what sits at the top of an arena, so what a burst of pod starts or a
/// relist allocated and let go stays resident: about 2 MB of a 48 MB agent with 30
/// pods (docs/benchmarks.md). `malloc_trim` walks the free lists and releases whole
/// free pages; at this heap's size it takes well under a millisecond.
enum HeapTrimmer {
    static func run(every interval: Duration) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: interval) } catch { return }
            malloc_trim(0)
        }
    }
}
