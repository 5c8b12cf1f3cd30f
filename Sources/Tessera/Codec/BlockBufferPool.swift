import Foundation

/// Warm memory for the tails a transport receives (see `BlockTailSource`): a decoded array adopts
/// a buffer from here as its storage (``BlockBuffer``), and when the array is freed the buffer
/// comes back for the next value of the same size instead of going to the system.
///
/// Why: a fresh allocation of a large block is fresh pages, which the kernel faults in and zeroes
/// one at a time inside the socket copy; on the 2-core machine a receiver doing that reached
/// 0.65–0.75 of the bandwidth of one reusing its buffers, as raw MPI programs do. Blocks of a
/// chunked array mostly share one size, so an exact match of the page-rounded size suffices.
///
/// Idle buffers are bounded by `limit` bytes (the oldest go back to the system first); a buffer
/// larger than the limit is never kept. Thread-safe: buffers come back on whichever thread frees
/// their value.
///
/// ```swift
/// let pool = BlockBufferPool(limit: 1 << 30)
/// let buffer = pool.buffer(count: 64 << 20)   // memory to receive into and adopt
/// ```
public final class BlockBufferPool: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`: idle buffers, oldest first, and their total capacity.
    private var idle: [(capacity: Int, memory: UnsafeMutableRawPointer)] = []
    private var idleBytes = 0
    /// The most idle bytes kept; 0 turns pooling off.
    public let limit: Int
    private static let page = max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)

    /// A pool keeping at most `limit` idle bytes.
    /// - Parameter limit: the most bytes held by buffers no value uses; 0: `buffer(count:)` gives nil.
    public init(limit: Int) {
        self.limit = max(limit, 0)
    }

    /// A buffer of exactly `count` bytes, page-aligned: an idle one of the same page-rounded size
    /// when there is one, else new memory.
    /// - Parameter count: the bytes wanted.
    /// - Returns: the buffer, which comes back here when freed; nil when pooling is off or `count` is 0.
    /// - Complexity: O(idle buffers).
    public func buffer(count: Int) -> BlockBuffer? {
        guard limit > 0, count > 0 else { return nil }
        let capacity = (count + Self.page - 1) / Self.page * Self.page
        lock.lock()
        var memory: UnsafeMutableRawPointer?
        if let k = idle.lastIndex(where: { $0.capacity == capacity }) {
            memory = idle.remove(at: k).memory
            idleBytes -= capacity
        }
        lock.unlock()
        let base = memory ?? UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: Self.page)
        return BlockBuffer(bytes: UnsafeMutableRawBufferPointer(start: base, count: count)) { [self] bytes in
            give(bytes.baseAddress!, capacity: capacity)
        }
    }

    /// Takes memory back, dropping the oldest idle buffers to stay under the limit.
    private func give(_ memory: UnsafeMutableRawPointer, capacity: Int) {
        var free: [UnsafeMutableRawPointer] = []
        lock.lock()
        if capacity <= limit {
            idle.append((capacity, memory))
            idleBytes += capacity
            while idleBytes > limit {
                let oldest = idle.removeFirst()
                idleBytes -= oldest.capacity
                free.append(oldest.memory)
            }
        } else {
            free.append(memory)
        }
        lock.unlock()
        for m in free { m.deallocate() }
    }

    /// The bytes held by idle buffers now.
    public var idleByteCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return idleBytes
    }

    deinit {
        for m in idle { m.memory.deallocate() }
    }
}
