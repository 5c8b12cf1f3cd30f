import Atomics
import Foundation

/// What a pool's monitor needs to tell blocked threads from busy ones: per thread, the tasks it
/// started and finished, and its CPU clock.
///
/// A thread inside a task that has used no CPU for a whole tick, while nothing finished and work
/// is queued, is waiting — typically on a compute whose tasks sit in this pool's queues. Counters
/// are per thread, so the hot path touches no shared cache line.
final class PoolCompensation: @unchecked Sendable {
    /// One pool thread's counters and CPU clock.
    final class ThreadStats: @unchecked Sendable {
        let started = ManagedAtomic<Int>(0)
        let finished = ManagedAtomic<Int>(0)
        let clock: clockid_t

        init() {
            var c = clockid_t()
            if pthread_getcpuclockid(pthread_self(), &c) != 0 { c = CLOCK_THREAD_CPUTIME_ID }
            clock = c
        }
    }

    /// A moment's view of the pool's threads.
    struct Snapshot {
        /// Every thread is inside a task.
        var allBusy: Bool
        /// Tasks finished, all threads together.
        var finished: Int
        /// CPU time used, all threads together.
        var cpuNanoseconds: Int
    }

    /// How often the monitor looks (50 ms).
    static let tickMicroseconds: UInt32 = 50_000
    /// Less CPU than this in a tick, all threads together, means they are all waiting (2 ms).
    static let idleCPUNanoseconds = 2_000_000
    /// At most this many helpers at once per pool: a bound, not a target.
    static let maxHelpers = 256
    /// Pool threads alive in the process.
    static let live = ManagedAtomic<Int>(0)

    let helpers = ManagedAtomic<Int>(0)
    private let threads = LockedBox<[ObjectIdentifier: ThreadStats]>([:])

    /// Registers the calling thread (a worker or helper starting).
    func register() -> ThreadStats {
        let s = ThreadStats()
        threads.withLock { $0[ObjectIdentifier(s)] = s }
        Self.live.wrappingIncrement(ordering: .relaxed)
        return s
    }

    /// Forgets a thread that is ending (its clock is invalid once it has ended).
    func unregister(_ s: ThreadStats) {
        threads.withLock { $0[ObjectIdentifier(s)] = nil }
        Self.live.wrappingDecrement(ordering: .relaxed)
    }

    func snapshot() -> Snapshot {
        threads.withLock { all in
            var snap = Snapshot(allBusy: !all.isEmpty, finished: 0, cpuNanoseconds: 0)
            for s in all.values {
                let f = s.finished.load(ordering: .relaxed)
                if s.started.load(ordering: .relaxed) == f { snap.allBusy = false }
                snap.finished &+= f
                var t = timespec()
                if clock_gettime(s.clock, &t) == 0 { snap.cpuNanoseconds &+= t.tv_sec * 1_000_000_000 + t.tv_nsec }
            }
            return snap
        }
    }
}
