import Foundation

/// Chunk-sized byte buffers reused by one reader's block tasks: the compressed bytes of a chunk
/// and the stages of its filter pipeline. Allocating them afresh per chunk made glibc hand the
/// memory back and fault it in again every time (multi-MB buffers sit at the top of a thread's
/// heap and are trimmed when freed): `hdf5-sum` spent as much time in the kernel as decoding.
/// The pool keeps at most `capacity` buffers; each task holds its buffers only while decoding
/// one chunk, so the pool holds about two per worker.
final class ScratchBuffers: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [UnsafeMutableRawBufferPointer] = []
    private let capacity: Int

    init(capacity: Int = 16) { self.capacity = capacity }

    deinit { for b in free { b.deallocate() } }

    /// Runs `body` with `size` bytes of uninitialised memory, returned to the pool afterwards.
    /// - Complexity: O(pooled buffers) to find one large enough; an allocation only when none is.
    func withBuffer<R>(_ size: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        lock.lock()
        let found = free.firstIndex { $0.count >= size }.map { free.remove(at: $0) }
        lock.unlock()
        let buffer = found ?? .allocate(byteCount: Swift.max(size, 1), alignment: 64)
        defer {
            lock.lock()
            free.append(buffer)
            let evicted = free.count > capacity ? free.removeFirst() : nil
            lock.unlock()
            evicted?.deallocate()
        }
        return try body(UnsafeMutableRawBufferPointer(rebasing: buffer[..<size]))
    }
}
