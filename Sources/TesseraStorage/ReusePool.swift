import Foundation

/// Costly things (chunk-sized buffers, compression contexts) lent to one task at a time and
/// kept for the next instead of freed: one array's chunk tasks share a pool, so it holds about
/// one item per worker. Freeing multi-MB memory per chunk made glibc hand it back to the kernel
/// and fault it in again each time.
/// Holds at most `capacity` idle items; the oldest is discarded beyond that.
final class ReusePool<Item>: @unchecked Sendable {
    private let lock = NSLock()
    private var idle: [Item] = []
    private let capacity: Int
    private let discard: (Item) -> Void

    /// A pool keeping up to `capacity` idle items; `discard` frees one it no longer keeps.
    init(capacity: Int = 16, discard: @escaping (Item) -> Void) {
        self.capacity = capacity
        self.discard = discard
    }

    deinit { idle.forEach(discard) }

    /// Takes an idle item that `fits`, or nil when none does.
    /// - Complexity: O(idle items).
    func take(where fits: (Item) -> Bool) -> Item? {
        lock.lock()
        defer { lock.unlock() }
        return idle.firstIndex(where: fits).map { idle.remove(at: $0) }
    }

    /// Returns `item` to the pool, discarding the oldest idle one when the pool is full.
    func give(back item: Item) {
        lock.lock()
        idle.append(item)
        let evicted = idle.count > capacity ? idle.removeFirst() : nil
        lock.unlock()
        if let evicted { discard(evicted) }
    }
}
