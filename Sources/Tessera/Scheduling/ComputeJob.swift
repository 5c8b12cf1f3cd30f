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
    private let results: UnsafeMutablePointer<Any?>
    private let remaining: UnsafeMutablePointer<UnsafeAtomic<Int>.Storage>
    private let consumersLeft: UnsafeMutablePointer<UnsafeAtomic<Int>.Storage>
    private let outstanding = ManagedAtomic<Int>(0)
    private let stopped = ManagedAtomic<Bool>(false)
    private let failure = LockedBox<Error?>(nil)
    private let observers: [ComputeObserver]
    private let completion: @Sendable (Result<[Any], Error>) -> Void
    /// The pool the job runs on, leased until the job finishes.
    private var pool: ThreadPool?

    init(plan: ExecutionPlan, observers: [ComputeObserver], completion: @escaping @Sendable (Result<[Any], Error>) -> Void) {
        self.plan = plan
        self.observers = observers
        self.completion = completion
        let n = plan.count
        results = .allocate(capacity: max(n, 1))
        results.initialize(repeating: nil, count: n)
        remaining = .allocate(capacity: max(n, 1))
        consumersLeft = .allocate(capacity: max(n, 1))
        for i in 0..<n {
            (remaining + i).initialize(to: .init(plan.distinctInputCount(i)))
            (consumersLeft + i).initialize(to: .init(plan.consumerCount(i)))
        }
    }

    deinit {
        results.deinitialize(count: plan.count)
        results.deallocate()
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

    /// Stops scheduling new tasks and makes the compute throw `error` (the first one wins).
    func stop(with error: Error) {
        failure.withLock { if $0 == nil { $0 = error } }
        stopped.store(true, ordering: .sequentiallyConsistent)
    }

    func runTask(_ i: Int, worker: Int, pool: ThreadPool) {
        if stopped.load(ordering: .relaxed) {
            finishOne()
            return
        }
        let ins = plan.inputs(of: i)
        var args: [Any] = []
        args.reserveCapacity(ins.count)
        for d in ins { args.append(results[Int(d)]!) }
        let observed = !observers.isEmpty
        if observed { for o in observers { o.taskStarted(plan: plan, task: i, worker: worker) } }
        do {
            results[i] = try plan.run(i, args)
        } catch {
            if observed { for o in observers { o.taskFinished(plan: plan, task: i, worker: worker) } }
            stop(with: error)
            finishOne()
            return
        }
        args = []
        if observed { for o in observers { o.taskFinished(plan: plan, task: i, worker: worker) } }
        ExecutionPlan.forEachDistinct(ins) { d in
            let di = Int(d)
            if UnsafeAtomic<Int>(at: consumersLeft + di).wrappingDecrementThenLoad(ordering: .acquiringAndReleasing) == 0,
               !plan.isOutput[di] {
                results[di] = nil
            }
        }
        for c in plan.dependents(of: i) {
            if UnsafeAtomic<Int>(at: remaining + Int(c)).wrappingDecrementThenLoad(ordering: .acquiringAndReleasing) == 0 {
                outstanding.wrappingIncrement(ordering: .acquiringAndReleasing)
                pool.pushLocal(job: self, task: c, worker: worker)
            }
        }
        finishOne()
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
            result = .success(plan.outputs.map { results[$0]! })
        }
        // Release everything now, not when the last reference to the job goes away.
        for i in 0..<plan.count { results[i] = nil }
        for o in observers { o.computeFinished(plan: plan, error: error) }
        // Nothing of this job touches the pool any more: end its lease (from `ThreadPool.shared`).
        pool?.release()
        pool = nil
        completion(result)
    }
}
