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
///
/// Two things keep the pool from hanging or piling up (issue 22):
/// - A task may block on work queued behind it (a task bridging into async code waits for an
///   `await compute()` of another graph, which queues that graph's tasks on this pool). When every
///   thread of the pool is inside a task, none has finished one for a tick, work is queued, and
///   together they used almost no CPU in that tick, they are waiting, not working: a monitor adds
///   a helper thread that runs queued items until none is left, then ends (`PoolCompensation`).
///   CPU-bound tasks, however long, never trigger it.
/// - A pool is leased by each compute that uses it; when more than `retainedPools` distinct
///   sizes exist, idle pools beyond the most recently used are shut down, so `.threads(1...64)`
///   does not leave thousands of threads behind.
final class ThreadPool: @unchecked Sendable {
    struct Item {
        let job: ComputeJob
        let task: Int32
    }

    final class WorkerQueue: @unchecked Sendable {
        let lock = ConditionLock()
        // Guarded by `lock`; unchecked so the hot path pays no run-time exclusivity check.
        @exclusivity(unchecked) var items = Deque<Item>()
    }

    let size: Int
    private let queues: [WorkerQueue]
    private let parking = ConditionLock()
    private let sleepers = ManagedAtomic<Int>(0)
    private let queued = ManagedAtomic<Int>(0)
    private let nextQueue = ManagedAtomic<Int>(0)
    /// Computes using the pool now; an idle pool (0) may be shut down.
    private let leases = ManagedAtomic<Int>(0)
    private let stopping = ManagedAtomic<Bool>(false)
    /// When the pool was last handed out (a `shared` call count), for releasing the least recent.
    private let lastUse = ManagedAtomic<Int>(0)
    let compensation = PoolCompensation()

    private static let pools = LockedBox<[Int: ThreadPool]>([:])
    private static let uses = ManagedAtomic<Int>(0)
    /// Idle pools kept for reuse; more distinct sizes than this release the least recently used.
    static let retainedPools = 4
    /// Pool threads (workers and helpers) alive in the process, for tests and diagnostics.
    static var liveWorkerThreads: Int { PoolCompensation.live.load(ordering: .relaxed) }

    /// The pool of `workers` threads, created on first use and reused, leased to the caller until
    /// `release()`; creating it may shut down idle pools of other sizes (see `retainedPools`).
    static func shared(workers: Int) -> ThreadPool {
        pools.withLock { pools in
            let p: ThreadPool
            if let existing = pools[workers] { p = existing } else {
                p = ThreadPool(size: workers)
                pools[workers] = p
            }
            p.leases.wrappingIncrement(ordering: .sequentiallyConsistent)
            p.lastUse.store(uses.wrappingIncrementThenLoad(ordering: .relaxed), ordering: .relaxed)
            if pools.count > retainedPools {
                let idle = pools.filter { $0.value !== p && $0.value.leases.load(ordering: .sequentiallyConsistent) == 0 }
                    .sorted { $0.value.lastUse.load(ordering: .relaxed) < $1.value.lastUse.load(ordering: .relaxed) }
                for (size, q) in idle.prefix(pools.count - retainedPools) {
                    pools[size] = nil
                    q.shutDown()
                }
            }
            return p
        }
    }

    /// Ends a lease taken by `shared(workers:)`: the compute no longer uses the pool.
    func release() {
        leases.wrappingDecrement(ordering: .sequentiallyConsistent)
    }

    private init(size: Int) {
        precondition(size > 0, "a thread pool needs at least one worker")
        self.size = size
        self.queues = (0..<size).map { _ in WorkerQueue() }
        PoolSetup.poolWillStart()
        for w in 0..<size {
            // The thread holds the pool: a released pool lives until its threads have ended.
            let thread = Thread { [self] in
                WorkerIdentity.set(worker: w)
                let stats = compensation.register()
                self.workerLoop(w, stats)
                compensation.unregister(stats)
            }
            thread.name = "tessera-worker-\(w)"
            thread.stackSize = 16 << 20
            thread.start()
        }
        let monitor = Thread { [self] in self.monitorLoop() }
        monitor.name = "tessera-pool-monitor"
        monitor.start()
    }

    /// Stops the workers once their queues are empty (only called on an idle pool).
    private func shutDown() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        parking.withLock { parking.broadcast() }
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

    /// Runs one item and the tasks it makes ready in place (see `ComputeJob.runTask`), each
    /// counted for the monitor; `args` is the worker's scratch array for task inputs.
    @inline(__always)
    private func run(_ item: Item, _ w: Int, _ stats: PoolCompensation.ThreadStats, _ args: inout [Any]) {
        queued.wrappingDecrement(ordering: .sequentiallyConsistent)
        var task = Int(item.task)
        while true {
            stats.started.wrappingIncrement(ordering: .relaxed)
            let next = item.job.runTask(task, worker: w, pool: self, args: &args)
            stats.finished.wrappingIncrement(ordering: .relaxed)
            guard let next else { return }
            task = next
        }
    }

    private func workerLoop(_ w: Int, _ stats: PoolCompensation.ThreadStats) {
        var args: [Any] = []
        while true {
            if let item = take(w) {
                run(item, w, stats, &args)
                continue
            }
            if stopping.load(ordering: .sequentiallyConsistent) { return }
            parking.lock()
            sleepers.wrappingIncrement(ordering: .sequentiallyConsistent)
            if queued.load(ordering: .sequentiallyConsistent) == 0 && !stopping.load(ordering: .sequentiallyConsistent) {
                parking.wait()
            }
            sleepers.wrappingDecrement(ordering: .sequentiallyConsistent)
            parking.unlock()
        }
    }

    /// Every `PoolCompensation.tick`, adds a helper thread when the pool's threads are all blocked
    /// inside tasks while work is queued (see the type's documentation).
    private func monitorLoop() {
        var last = compensation.snapshot()
        while !stopping.load(ordering: .sequentiallyConsistent) {
            usleep(PoolCompensation.tickMicroseconds)
            let now = compensation.snapshot()
            defer { last = now }
            guard queued.load(ordering: .sequentiallyConsistent) > 0, now.allBusy,
                  now.finished == last.finished, now.cpuNanoseconds - last.cpuNanoseconds < PoolCompensation.idleCPUNanoseconds,
                  compensation.helpers.load(ordering: .relaxed) < PoolCompensation.maxHelpers else { continue }
            startHelper()
        }
    }

    /// A temporary worker: runs queued items (its own pushes go on queue `w`, which it pops
    /// first) until none is left, then ends.
    private func startHelper() {
        let w = compensation.helpers.wrappingIncrementThenLoad(ordering: .relaxed) % size
        let thread = Thread { [self] in
            WorkerIdentity.set(worker: w)
            let stats = compensation.register()
            var args: [Any] = []
            while let item = take(w) { run(item, w, stats, &args) }
            compensation.unregister(stats)
            compensation.helpers.wrappingDecrement(ordering: .relaxed)
        }
        thread.name = "tessera-helper-\(w)"
        thread.stackSize = 16 << 20
        thread.start()
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
