#if canImport(Glibc)
import Glibc
#endif

/// Process-wide glibc `malloc` tuning for programs that parse a lot of CSV: an explicit call,
/// never made by the library on its own (a library must not change its caller's allocator).
///
/// The `tessera` and `tessera-bench` executables call ``tuneForParsing()`` at start; call it
/// first thing in your own program if it reads gigabytes of CSV and nothing else in the process
/// depends on glibc's defaults.
///
/// Why it helps: column buffers of a few MB are freed after every partition. glibc gives
/// allocations over its mmap threshold fresh zeroed pages each time, and clearing and faulting
/// those in is pure system time; a thread arena unmaps each of its 64 MiB heaps as soon as it
/// empties. Raising the mmap and trim thresholds and sharing the main arena keeps freed buffers in
/// the heap for the next partition: about half the page faults when parsing, and a tenth of the
/// parse time, on the 2-core development machine.
public enum AllocatorTuning {
    /// Raises glibc's mmap threshold to its maximum (32 MiB) and its trim threshold to 1 GiB, and
    /// makes threads share the main malloc arena (`M_ARENA_MAX` 1). Idempotent; a no-op where
    /// the C library is not glibc.
    ///
    /// - Important: this changes the whole process's allocator, including memory other libraries
    ///   allocate: peak RSS can stay higher after large frees, and heavily multi-threaded
    ///   allocation elsewhere may contend on the one arena.
    /// - Complexity: O(1).
    public static func tuneForParsing() {
        _ = applied
    }

    /// Hands the pages of freed memory back to the system (glibc's `malloc_trim`): memory the
    /// process freed in the middle of the heap stays resident otherwise, and a computation that
    /// frees gigabytes of small blocks (a group-by's partial states, merged into larger ones
    /// that glibc maps separately) would keep them on top of what it holds. A no-op elsewhere.
    ///
    /// Changes no setting: it is what glibc does on its own at the top of the heap, done for
    /// the whole heap. Called by the library only after tasks that freed hundreds of MB.
    /// - Complexity: O(free blocks of the heap).
    static func releaseFreedMemory() {
        #if canImport(Glibc)
        _ = glibcMallocTrim(0)
        #endif
    }

    private static let applied: Void = {
        #if canImport(Glibc)
        _ = glibcMallopt(-3, 32 << 20)  // M_MMAP_THRESHOLD (32 MiB is glibc's maximum)
        _ = glibcMallopt(-1, 1 << 30)  // M_TRIM_THRESHOLD
        _ = glibcMallopt(-8, 1)  // M_ARENA_MAX
        #endif
    }()
}

#if canImport(Glibc)
/// glibc's `mallopt` (malloc.h is not part of the Glibc module).
@_silgen_name("mallopt")
private func glibcMallopt(_ param: Int32, _ value: Int32) -> Int32

/// glibc's `malloc_trim`.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
