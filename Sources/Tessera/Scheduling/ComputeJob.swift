import Atomics

/// The state of one compute on the thread pool: per-task counters, result slots and completion.
///
/// - `remaining[i]`: inputs of task `i` not yet computed; the worker that brings it to zero
///   schedules `i`.
/// - `consumersLeft[i]`: consumers of `i` not yet finished; the one that brings it to zero
///   releases `i`'s value unless `i` is an output.
/// - `outstanding`: tasks queued or running. It reaches zero exactly once — when everything ran,
///   or, after a failure or cancellation, when the tasks already queued have drained without
///   running — and that moment completes the job. Nothing of the job is referenced afterwards.
final class ComputeJob: @unchecked Sendable {
    let plan: ExecutionPlan
    private let results: TaskValues
    private let remaining: UnsafeMutablePointer<UnsafeAtomic<Int>.Storage>
    private let consumersLeft: UnsafeMutablePointer<UnsafeAtomic<Int>.Storage>
    private let outstanding = ManagedAtomic<Int>(0)
    private let stopped = ManagedAtomic<Bool>(false)
    private let failure = LockedBox<Error?>(nil)
    private let observers: [ComputeObserver]
    private let completion: @Sendable (Result<[Any], Error>) -> Void
    /// The pool the job runs on, leased until the job finishes.
    private var pool: ThreadPool?
    /// Set when the job runs only this process's share of the plan.
    private let distribution: Distribution?

    /// What a job running one process's share of a plan needs besides the plan.
    struct Distribution {
        /// Whether each task runs in this process; the others' values arrive through `deliver`.
        let isLocal: [Bool]
        /// Whether each local task's value must be handed to `produced` (other processes need it).
        let isExported: [Bool]
        /// Called on the worker with each exported value as soon as it exists.
        let produced: @Sendable (Int, Any) throws -> Void
        /// Called once with the first failure of a local task (not with failures from `stop`).
        let failed: @Sendable (Error) -> Void
        /// This process's rank, in every task event.
        let rank: Int
    }

    init(plan: ExecutionPlan, observers: [ComputeObserver], distribution: Distribution? = nil,
         completion: @escaping @Sendable (Result<[Any], Error>) -> Void) {
        self.plan = plan
        self.observers = observers
        self.completion = completion
        self.distribution = distribution
        let n = plan.count
        results = TaskValues(count: n)
        remaining = .allocate(capacity: max(n, 1))
        consumersLeft = .allocate(capacity: max(n, 1))
        if let d = distribution {
            // A task of another process never becomes ready here; a value counts only the
            // consumers that run here.
            for i in 0..<n {
                (remaining + i).initialize(to: .init(d.isLocal[i] ? plan.distinctInputCount(i) : Int.max / 2))
                var local = 0
                for c in plan.dependents(of: i) where d.isLocal[Int(c)] { local += 1 }
                (consumersLeft + i).initialize(to: .init(local))
            }
        } else {
            for i in 0..<n {
                (remaining + i).initialize(to: .init(plan.distinctInputCount(i)))
                (consumersLeft + i).initialize(to: .init(plan.consumerCount(i)))
            }
        }
    }

    deinit {
        remaining.deallocate()
        consumersLeft.deallocate()
    }

    /// Queues the tasks with no inputs; completes at once for an empty plan.
    func start(on pool: ThreadPool) {
        self.pool = pool
        for o in observers { o.computeStarted(plan: plan) }
        var roots: [Int32] = []
        for i in 0..<plan.count where plan.inputStart[i] == plan.inputStart[i + 1] { roots.append(Int32(i)) }
        if roots.isEmpty {
            finish()
            return
        }
        outstanding.store(roots.count, ordering: .sequentiallyConsistent)
        pool.submit(job: self, tasks: roots)
    }

    /// A distributed job takes its pool and one hold on `outstanding` before anything can be
    /// delivered: deliveries may then come before `startLocal`, and the job cannot complete
    /// until `releaseHold()`.
    func attach(to pool: ThreadPool) {
        self.pool = pool
        outstanding.store(1, ordering: .sequentiallyConsistent)
    }

    /// Queues the local tasks that need no input (after `attach(to:)`).
    func startLocal() {
        guard let pool, let d = distribution else { return }
        for o in observers { o.computeStarted(plan: plan, localTasks: d.isLocal) }
        var roots: [Int32] = []
        for i in 0..<plan.count where plan.inputStart[i] == plan.inputStart[i + 1] && d.isLocal[i] { roots.append(Int32(i)) }
        guard !roots.isEmpty else { return }
        outstanding.wrappingIncrement(by: roots.count, ordering: .sequentiallyConsistent)
        pool.submit(job: self, tasks: roots)
    }

    /// Stores the value of task `task`, computed by another process, and queues the local tasks
    /// it makes ready. Called from one thread (the executor's communication thread), before
    /// `releaseHold()`.
    func deliver(_ task: Int, _ value: Any) {
        guard let pool else { return }
        results.store(value, at: task)
        var ready: [Int32] = []
        for c in plan.dependents(of: task) where distribution!.isLocal[Int(c)] {
            if UnsafeAtomic<Int>(at: remaining + Int(c)).wrappingDecrementThenLoad(ordering: .acquiringAndReleasing) == 0 {
                ready.append(c)
            }
        }
        if UnsafeAtomic<Int>(at: consumersLeft + task).load(ordering: .acquiring) == 0 && !plan.isOutput[task] {
            results.clear(task)
        }
        if !ready.isEmpty {
            outstanding.wrappingIncrement(by: ready.count, ordering: .acquiringAndReleasing)
            pool.submit(job: self, tasks: ready)
        }
    }

    /// Ends the hold taken by `start` for a distributed job: no more values will be delivered.
    func releaseHold() { finishOne() }

    /// Stops scheduling new tasks and makes the compute throw `error` (the first one wins).
    /// - Returns: whether `error` is the job's first failure.
    @discardableResult
    func stop(with error: Error) -> Bool {
        let first = failure.withLock { f -> Bool in
            if f == nil { f = error; return true }
            return false
        }
        stopped.store(true, ordering: .sequentiallyConsistent)
        return first
    }

    /// Runs task `i` on worker `worker` and returns a task it made ready, which the caller runs
    /// next on the same worker; the others it made ready go on the worker's deque.
    ///
    /// Running one ready dependent in place spares it the deque (two lock round trips), the
    /// pool's shared `queued` counter and the job's `outstanding` (two contended atomic updates
    /// each): the task it made ready inherits its hold on `outstanding`. Most tasks of a tree make
    /// at most one task ready.
    ///
    /// - Parameter args: scratch storage for the inputs' values, reused from task to task; left
    ///   empty on return, so no value outlives its task in it.
    func runTask(_ i: Int, worker: Int, pool: ThreadPool, args: inout [Any]) -> Int? {
        if stopped.load(ordering: .relaxed) {
            finishOne()
            return nil
        }
        let ins = plan.inputs(of: i)
        for d in ins { args.append(results.value(Int(d))) }
        let observed = !observers.isEmpty
        let rank = observed ? distribution?.rank ?? 0 : 0
        if observed { for o in observers { o.taskStarted(plan: plan, task: i, rank: rank, worker: worker) } }
        do {
            results.store(try plan.run(i, &args), at: i)
            if let d = distribution { try export(i, d) }
        } catch {
            if observed { for o in observers { o.taskFinished(plan: plan, task: i, rank: rank, worker: worker) } }
            if stop(with: error), let d = distribution { d.failed(error) }
            args.removeAllKeepingStorage()
            finishOne()
            return nil
        }
        args.removeAllKeepingStorage()
        if observed { for o in observers { o.taskFinished(plan: plan, task: i, rank: rank, worker: worker) } }
        ExecutionPlan.forEachDistinct(ins) { d in
            let di = Int(d)
            if UnsafeAtomic<Int>(at: consumersLeft + di).wrappingDecrementThenLoad(ordering: .acquiringAndReleasing) == 0,
               !plan.isOutput[di] {
                results.clear(di)
            }
        }
        var next: Int? = nil
        for c in plan.dependents(of: i) {
            if UnsafeAtomic<Int>(at: remaining + Int(c)).wrappingDecrementThenLoad(ordering: .acquiringAndReleasing) == 0 {
                if next == nil {
                    next = Int(c)
                } else {
                    outstanding.wrappingIncrement(ordering: .acquiringAndReleasing)
                    pool.pushLocal(job: self, task: c, worker: worker)
                }
            }
        }
        if next == nil { finishOne() }
        return next
    }

    /// Hands an exported value over and drops it when no task of this process consumes it.
    private func export(_ i: Int, _ d: Distribution) throws {
        if d.isExported[i] {
            do { try d.produced(i, results.value(i)) } catch let error as TaskFailure { throw error } catch {
                throw TaskFailure(key: plan.key(i), kind: plan.kind(i), underlying: error)
            }
        }
        if UnsafeAtomic<Int>(at: consumersLeft + i).load(ordering: .acquiring) == 0 && !plan.isOutput[i] {
            results.clear(i)
        }
    }

    private func finishOne() {
        if outstanding.wrappingDecrementThenLoad(ordering: .acquiringAndReleasing) == 0 { finish() }
    }

    private func finish() {
        let error = failure.withLock { $0 }
        let result: Result<[Any], Error>
        if let error {
            result = .failure(error)
        } else {
            // A distributed job may leave an output on another process (its executor said so).
            result = .success(plan.outputs.map { results.valueIfPresent($0) ?? ElsewhereValue() })
        }
        // Release everything now, not when the last reference to the job goes away.
        for i in 0..<plan.count { results.clear(i) }
        for o in observers { o.computeFinished(plan: plan, error: error) }
        // Nothing of this job touches the pool any more: end its lease (from `ThreadPool.shared`).
        pool?.release()
        pool = nil
        completion(result)
    }
}
