/// Chunk-sized byte buffers reused by one reader's or writer's chunk tasks: the compressed bytes
/// of a chunk and the stages of its filter pipeline. Allocating them afresh per chunk made glibc
/// hand the memory back and fault it in again every time (multi-MB buffers sit at the top of a
/// thread's heap and are trimmed when freed): `hdf5-sum` spent as much time in the kernel as
/// decoding. Each task holds its buffers only while coding one chunk, so the pool holds about
/// two per worker.
final class ScratchBuffers: Sendable {
    private let pool = ReusePool<UnsafeMutableRawBufferPointer> { $0.deallocate() }

    /// Runs `body` with `size` bytes of uninitialised memory, returned to the pool afterwards.
    /// Compressed chunks differ in size by a few bytes, so a new buffer gets an eighth more
    /// than asked, and an idle buffer too small for the request is freed rather than kept
    /// beside the new one: the pool stays at about one buffer per task holding one.
    /// - Complexity: O(pooled buffers) to find one large enough; an allocation only when none is.
    func withBuffer<R>(_ size: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> R) rethrows -> R {
        let buffer = pool.take { $0.count >= size } ?? {
            pool.take { _ in true }?.deallocate()
            return .allocate(byteCount: Swift.max(size + size / 8, 64), alignment: 64)
        }()
        defer { pool.give(back: buffer) }
        return try body(UnsafeMutableRawBufferPointer(rebasing: buffer[..<size]))
    }
}
