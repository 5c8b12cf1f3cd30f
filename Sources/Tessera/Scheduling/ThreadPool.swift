import Atomics
import DequeModule
import Foundation

/// The process-wide pool of worker threads behind `Scheduler.threads`.
///
/// Design (after `dask/local.py` and Cilk-style work stealing):
/// - one worker per core, each owning a deque of ready tasks guarded by its own lock;
/// - a task that becomes ready when a worker finishes its last input goes on *top* of that
///   worker's deque and is popped next (depth-first, LIFO): the worker keeps walking down the
///   branch it is on, so intermediate results are consumed, and released, soon after they exist;
/// - an idle worker steals from the *bottom* of another's deque, where the oldest, widest work lies;
/// - a worker that finds nothing parks on a condition variable. `queued` counts queued items and
///   `sleepers` parked workers; both are sequentially consistent, so a pusher either sees a
///   sleeper (and signals) or the sleeper sees the item before it parks (no lost wake-up).
///
/// Items of several concurrent computes may share the pool; each item carries its job.
final class ThreadPool: @unchecked Sendable {
    struct Item {
        let job: ComputeJob
        let task: Int32
    }

    final class WorkerQueue: @unchecked Sendable {
        let lock = ConditionLock()
        var items = Deque<Item>()
    }

    let size: Int
    private let queues: [WorkerQueue]
    private let parking = ConditionLock()
    private let sleepers = ManagedAtomic<Int>(0)
    private let queued = ManagedAtomic<Int>(0)
    private let nextQueue = ManagedAtomic<Int>(0)

    private static let pools = LockedBox<[Int: ThreadPool]>([:])

    /// The pool of `workers` threads, created on first use and kept for the process's life.
    static func shared(workers: Int) -> ThreadPool {
        pools.withLock { pools in
            if let p = pools[workers] { return p }
            let p = ThreadPool(size: workers)
            pools[workers] = p
            return p
        }
    }

    private init(size: Int) {
        precondition(size > 0, "a thread pool needs at least one worker")
        self.size = size
        self.queues = (0..<size).map { _ in WorkerQueue() }
        PoolSetup.poolWillStart()
        for w in 0..<size {
            let thread = Thread { [unowned self] in
                WorkerIdentity.set(worker: w)
                self.workerLoop(w)
            }
            thread.name = "tessera-worker-\(w)"
            thread.stackSize = 16 << 20
            thread.start()
        }
    }

    /// Queues `tasks` of `job` from outside the pool: contiguous runs go to each worker, in reverse,
    /// so each worker starts on the lowest-numbered task of its run.
    func submit(job: ComputeJob, tasks: [Int32]) {
        guard !tasks.isEmpty else { return }
        let n = tasks.count
        let start = nextQueue.loadThenWrappingIncrement(ordering: .relaxed)
        for k in 0..<size {
            let lo = n * k / size, hi = n * (k + 1) / size
            guard lo < hi else { continue }
            let q = queues[(start + k) % size]
            q.lock.withLock {
                for t in tasks[lo..<hi].reversed() { q.items.append(Item(job: job, task: t)) }
            }
        }
        queued.wrappingIncrement(by: n, ordering: .sequentiallyConsistent)
        wake(n)
    }

    /// Pushes a task made ready by worker `worker` onto the top of that worker's deque.
    func pushLocal(job: ComputeJob, task: Int32, worker: Int) {
        let q = queues[worker]
        q.lock.withLock { q.items.append(Item(job: job, task: task)) }
        queued.wrappingIncrement(ordering: .sequentiallyConsistent)
        wake(1)
    }

    private func wake(_ n: Int) {
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            parking.withLock { if n > 1 { parking.broadcast() } else { parking.signal() } }
        }
    }

    private func take(_ w: Int) -> Item? {
        let own = queues[w]
        if let item = own.lock.withLock({ own.items.popLast() }) { return item }
        for k in 1..<max(size, 1) {
            let victim = queues[(w + k) % size]
            if let item = victim.lock.withLock({ victim.items.popFirst() }) { return item }
        }
        return nil
    }

    private func workerLoop(_ w: Int) {
        while true {
            if let item = take(w) {
                queued.wrappingDecrement(ordering: .sequentiallyConsistent)
                item.job.runTask(Int(item.task), worker: w, pool: self)
                continue
            }
            parking.lock()
            sleepers.wrappingIncrement(ordering: .sequentiallyConsistent)
            if queued.load(ordering: .sequentiallyConsistent) == 0 { parking.wait() }
            sleepers.wrappingDecrement(ordering: .sequentiallyConsistent)
            parking.unlock()
        }
    }
}

/// Which pool worker the current thread is, if any: a compute started from inside a task runs
/// synchronously on that worker instead of waiting for a pool that may be fully busy.
enum WorkerIdentity {
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    static func set(worker: Int) {
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: worker + 1))
    }

    /// The current worker's index, or nil on a thread outside every pool.
    static var current: Int? {
        guard let p = pthread_getspecific(key) else { return nil }
        return Int(bitPattern: p) - 1
    }
}
