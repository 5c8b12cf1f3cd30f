import Atomics
import Foundation
import NIOConcurrencyHelpers
import Tessera

// The recorder's per-worker state, laid out for the hot path (two calls per task on the
// workers). Lanes are plain structs in one raw allocation, one per 128 bytes so two workers
// never write the same cache line, and the callbacks reach them through a pointer: no reference
// counting, no class lock object, no dictionary. Each lane has a spin lock (an atomic word):
// only its worker takes it per task, so it is uncontended except when the drain thread takes
// it ten times a second or when two threads share a worker number (two pools, or the
// synchronous scheduler beside a pool), which is why it exists at all.
//
// The plan a lane serves is checked by identity (`planID`), and the per-task kind numbers are
// read through a raw pointer that the lane's `run` keeps alive. A run does not keep its plan
// alive (so the plan is freed where it would be without the dashboard, not on the drain
// thread): identities are compared only from `computeStarted` to `computeFinished`, while the
// executor holds the plan, and `computeFinished` clears them from the lanes.

extension DashboardRecorder {
    /// One compute's plan as the lanes need it.
    final class Run: @unchecked Sendable {
        /// The plan's identity, meaningful while its compute runs.
        let planID: ObjectIdentifier
        let id: Int
        /// The rank-level kind number of each plan task (tasks of other ranks included).
        let kinds: UnsafeMutablePointer<Int32>
        let taskCount: Int
        let kindCount: Int
        private let lock = NIOLock()
        // Guarded by `lock`.
        private var done: [Int]
        private var changed = false

        init(plan: ExecutionPlan, id: Int, kinds: [Int32], kindCount: Int) {
            planID = ObjectIdentifier(plan)
            self.id = id
            self.kinds = .allocate(capacity: Swift.max(kinds.count, 1))
            self.kinds.initialize(from: kinds, count: kinds.count)
            taskCount = kinds.count
            self.kindCount = kindCount
            done = [Int](repeating: 0, count: kindCount)
        }

        deinit { kinds.deallocate() }

        func add(_ counts: inout [Int]) {
            lock.withLock {
                for (k, c) in counts.enumerated() where c > 0 {
                    done[k] += c
                    changed = true
                }
            }
            for k in counts.indices { counts[k] = 0 }
        }

        /// The cumulative counts if they changed since the last call (or `always`).
        func progress(always: Bool = false) -> ComputeProgress? {
            lock.withLock {
                guard changed || always else { return nil }
                changed = false
                return ComputeProgress(id: id, done: done.enumerated().compactMap { $0.1 > 0 ? KindCount(kind: $0.0, count: $0.1) : nil })
            }
        }
    }

    /// One worker's scratch; see the header. `lock` comes first: the lock is the lane's address.
    struct Lane {
        /// When the worker's current task started.
        var start: Double = 0
        /// The plan of `run`, compared per task.
        var planID: ObjectIdentifier?
        /// `run.kinds`, or nil when the lane's plan is not a compute the recorder knows.
        var kinds: UnsafeMutablePointer<Int32>?
        /// How many entries `kinds` has (0 without a run): a task index is checked against it.
        var taskCount = 0
        var run: Run?
        /// Finished tasks per kind since the last fold into `run`.
        var done: [Int] = []
        /// Segments finished since the last drain.
        var segments: [TaskSegment] = []
        /// Per kind, the index in `segments` of that kind's last segment (-1: none yet).
        var lastOfKind: [Int] = []

        /// Folds the lane's counts into its run; called with the lane's lock held.
        mutating func flush() {
            guard let run else { return }
            run.add(&done)
        }

        mutating func record(kind k: Int, end: Double, worker: Int, mergeGap: Double, cap: Int) {
            if k >= lastOfKind.count { lastOfKind += [Int](repeating: -1, count: k + 1 - lastOfKind.count) }
            let last = lastOfKind[k]
            if last >= 0 && (last == segments.count - 1 && start - segments[last].end < mergeGap || segments.count >= cap) {
                if end > segments[last].end { segments[last].end = end }
                segments[last].count += 1
                return
            }
            lastOfKind[k] = segments.count
            segments.append(TaskSegment(worker: worker, kind: k, start: start, end: end, count: 1))
        }

        mutating func takeSegments() -> [TaskSegment] {
            let out = segments
            segments.removeAll(keepingCapacity: true)
            for k in lastOfKind.indices { lastOfKind[k] = -1 }
            return out
        }
    }

    /// The lanes' raw storage: `count` lanes, `stride` bytes apart (a multiple of 128), each its
    /// lock word then, `lockBytes` further, the lane. The lock is outside the `Lane` value so that
    /// the inout access to a lane never overlaps the word other threads compare-and-swap
    /// (ThreadSanitizer reports that overlap as an access race).
    struct LaneStorage: @unchecked Sendable {
        let base: UnsafeMutableRawPointer
        let count: Int
        let stride: Int
        static let lockBytes = 64

        init(count: Int) {
            self.count = count
            stride = (Self.lockBytes + MemoryLayout<Lane>.stride + 127) / 128 * 128
            base = .allocate(byteCount: count * stride, alignment: 128)
            for i in 0..<count {
                (base + i * stride).initializeMemory(as: UnsafeAtomic<Int>.Storage.self, repeating: UnsafeAtomic<Int>.Storage(0), count: 1)
                (base + i * stride + Self.lockBytes).initializeMemory(as: Lane.self, repeating: Lane(), count: 1)
            }
        }

        /// The lock word of lane `i` (clamped as `lane(_:)`).
        @inline(__always)
        func lockWord(_ i: Int) -> UnsafeMutablePointer<UnsafeAtomic<Int>.Storage> {
            (base + Swift.min(Swift.max(i, 0), count - 1) * stride).assumingMemoryBound(to: UnsafeAtomic<Int>.Storage.self)
        }

        /// Lane `i` (clamped to the lanes that exist: higher worker numbers share the last one).
        @inline(__always)
        func lane(_ i: Int) -> UnsafeMutablePointer<Lane> {
            (base + Swift.min(Swift.max(i, 0), count - 1) * stride + Self.lockBytes).assumingMemoryBound(to: Lane.self)
        }

        /// Runs `body` on lane `i` under its lock.
        @inline(__always)
        func withLane<T>(_ i: Int, _ body: (inout Lane) -> T) -> T {
            let p = lane(i)
            let lock = UnsafeAtomic<Int>(at: lockWord(i))
            while !lock.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged {
                // Held by the drain (a few microseconds) or by a thread sharing the number.
                while lock.load(ordering: .relaxed) != 0 { sched_yield() }
            }
            defer { lock.store(0, ordering: .releasing) }
            return body(&p.pointee)
        }

        func deallocate() {
            for i in 0..<count { _ = lane(i).deinitialize(count: 1) }
            base.deallocate()
        }
    }
}
