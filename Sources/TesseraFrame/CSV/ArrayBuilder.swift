// Output buffers of the column sinks.

#if canImport(Glibc)
import Glibc
#endif

/// A Swift array filled in place: `storage` has room past `count` (uninitialised; only trivial
/// element types are used), so batches write through one pointer and `take()` hands the array
/// over without a copy.
struct ArrayBuilder<T> {
    var storage: [T] = []
    var count = 0
    let placeholder: T

    init(_ placeholder: T) { self.placeholder = placeholder }

    /// Room for `n` more values.
    @inline(__always) mutating func reserve(_ n: Int) {
        let need = count + n
        if need > storage.count { grow(need) }
    }

    @inline(never) mutating func grow(_ need: Int) {
        let capacity = Swift.max(need, storage.count * 2, 64)
        let old = storage, used = count
        storage = [T](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            old.withUnsafeBufferPointer { o in
                if used > 0 { buffer.baseAddress!.initialize(from: o.baseAddress!, count: used) }
            }
            // The slack is written before it is read (count tracks what was written).
            initialized = capacity
            if let base = buffer.baseAddress { adviseHugePages(UnsafeMutableRawPointer(base), bytes: capacity * MemoryLayout<T>.stride) }
        }
    }

    /// Appends `n` placeholders.
    mutating func appendPlaceholders(_ n: Int) {
        guard n > 0 else { return }
        reserve(n)
        let start = count, value = placeholder
        storage.withUnsafeMutableBufferPointer { b in (b.baseAddress! + start).update(repeating: value, count: n) }
        count += n
    }

    mutating func removeAll() { count = 0 }

    /// The values, handing over the storage.
    mutating func take() -> [T] {
        storage.removeLast(storage.count - count)
        let out = storage
        storage = []
        count = 0
        return out
    }
}


/// Asks the kernel to back the 2 MiB-aligned interior of a fresh buffer of at least 4 MiB with
/// transparent huge pages (where THP is in `madvise` mode). Partitions fill tens of MB of new
/// column buffers, and glibc hands threads' freed buffers back to the kernel when a whole arena
/// heap empties, so most of those pages are fresh: one fault per 2 MiB instead of per 4 KiB
/// takes most of the reader's system time away. Advice only: nothing changes where it's refused.
@inline(never)
func adviseHugePages(_ base: UnsafeMutableRawPointer, bytes: Int) {
    #if canImport(Glibc)
    let huge = 2 << 20
    guard bytes >= 2 * huge else { return }
    let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
    let end = (Int(bitPattern: base) + bytes) & ~(huge - 1)
    guard end > start, let p = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(p, end - start, 14)  // MADV_HUGEPAGE
    #endif
}
