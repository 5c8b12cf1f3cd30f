import Foundation
import Testing
@testable import Tessera

/// The pool of warm receive buffers: a buffer freed comes back for the next request of the same
/// page-rounded size, never while still lent, and idle memory stays under the limit.
@Suite struct BlockBufferPoolTests {
    static let page = Int(sysconf(Int32(_SC_PAGESIZE)))

    @Test func aFreedBufferComesBackForTheSameSize() throws {
        let pool = BlockBufferPool(limit: 1 << 20)
        var first: BlockBuffer? = pool.buffer(count: 10_000)
        #expect(first != nil)
        let base = first!.bytes.baseAddress
        #expect(first!.bytes.count == 10_000 && Int(bitPattern: base) % Self.page == 0)
        first = nil
        #expect(pool.idleByteCount == (10_000 + Self.page - 1) / Self.page * Self.page)
        // Same page-rounded size: the same memory, cut to the new count.
        let again = try #require(pool.buffer(count: 10_000 - 100))
        #expect(again.bytes.baseAddress == base && again.bytes.count == 9_900)
        #expect(pool.idleByteCount == 0)
        // Another size, or the same size while the first is lent: new memory.
        let other = try #require(pool.buffer(count: 3 * Self.page + 1))
        let second = try #require(pool.buffer(count: 10_000))
        #expect(other.bytes.baseAddress != base && second.bytes.baseAddress != base)
    }

    @Test func idleMemoryStaysUnderTheLimitOldestFirst() throws {
        let pool = BlockBufferPool(limit: 3 * Self.page)
        var lent = (0..<4).map { _ in pool.buffer(count: Self.page)! }
        let bases = lent.map(\.bytes.baseAddress)
        lent.removeAll()
        #expect(pool.idleByteCount == 3 * Self.page)
        // The first freed was dropped; the three kept come back newest first.
        let back = (0..<3).map { _ in pool.buffer(count: Self.page)! }
        #expect(Set(back.map(\.bytes.baseAddress)) == Set(bases[1...]))
        #expect(pool.idleByteCount == 0)
        // Larger than the limit: never kept.
        var big: BlockBuffer? = pool.buffer(count: 4 * Self.page)
        #expect(big != nil)
        big = nil
        #expect(pool.idleByteCount <= 3 * Self.page)
    }

    @Test func offOrEmptyGivesNoBuffer() {
        #expect(BlockBufferPool(limit: 0).buffer(count: 100) == nil)
        #expect(BlockBufferPool(limit: 1 << 20).buffer(count: 0) == nil)
    }

    /// Threads taking and freeing buffers at once: each writes its own pattern and finds it intact
    /// before freeing, so no buffer is ever lent twice.
    @Test func concurrentUseNeverSharesABuffer() {
        let pool = BlockBufferPool(limit: 16 * Self.page)
        let clashes = Counter()
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            for i in 0..<300 {
                guard let b = pool.buffer(count: Self.page * (1 + i % 3)) else { clashes.add(); continue }
                let words = b.bytes.bindMemory(to: Int.self)
                let mark = t * 1_000_000 + i
                for k in words.indices { words[k] = mark }
                if i % 7 == 0 { usleep(50) }
                if words.contains(where: { $0 != mark }) { clashes.add() }
            }
        }
        #expect(clashes.value == 0)
        #expect(pool.idleByteCount <= 16 * Self.page)
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func add() { lock.lock(); n += 1; lock.unlock() }
        var value: Int { lock.lock(); defer { lock.unlock() }; return n }
    }
}
