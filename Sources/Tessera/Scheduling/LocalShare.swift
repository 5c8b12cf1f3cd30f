/// One process's share of a plan run by a multi-process executor (`TesseraMPI`'s ranks): the
/// tasks placed on this process run on its thread pool, with the same work stealing and early
/// release as `.threads`; values computed elsewhere are delivered; values other processes need
/// are handed out as soon as they exist.
///
/// The executor creates the share, calls `start()`, calls `deliver(_:_:)` for every value it
/// receives (from one thread), then `inputsComplete()` once nothing more will arrive — or
/// `stop(with:)` and `inputsComplete()` when another process failed — and `wait()` returns
/// the outputs. Task indices are plan indices: the same on every process that built the plan.
public final class LocalShare: @unchecked Sendable {
    private let job: ComputeJob
    private let pool: ThreadPool
    private let outcome = OneShot<Result<[Any], Error>>()

    /// Prepares this process's share of `plan`.
    /// - Parameters:
    ///   - plan: the whole plan, as every process built it.
    ///   - isLocal: whether each task runs here.
    ///   - isExported: whether each local task's value must go to `produced`.
    ///   - workers: the size of the thread pool that runs the local tasks.
    ///   - rank: this process's rank, which every task event carries to the observers.
    ///   - observers: told about the compute and each local task.
    ///   - produced: called on the worker with task `i`'s value as soon as it exists; what it
    ///     throws fails that task (wrapped in a `TaskFailure` naming it).
    ///   - failed: called once with the first failure of a local task, so the executor can
    ///     tell the other processes.
    public init(plan: ExecutionPlan, isLocal: [Bool], isExported: [Bool], workers: Int, rank: Int = 0, observers: [ComputeObserver],
                produced: @escaping @Sendable (Int, Any) throws -> Void, failed: @escaping @Sendable (Error) -> Void) {
        precondition(isLocal.count == plan.count && isExported.count == plan.count, "one flag per task")
        let outcome = self.outcome
        job = ComputeJob(plan: plan, observers: observers,
                         distribution: .init(isLocal: isLocal, isExported: isExported, produced: produced, failed: failed, rank: rank)) {
            outcome.fulfil($0)
        }
        pool = ThreadPool.shared(workers: workers)
        job.attach(to: pool)
    }

    /// Queues the local tasks that need no input.
    public func start() { job.startLocal() }

    /// Stores the value of task `task`, computed by another process, and queues what it makes
    /// ready. Called from one thread (before or after `start()`), never after `inputsComplete()`.
    /// - Parameters:
    ///   - task: the plan index of the task the value belongs to.
    ///   - value: the decoded value.
    public func deliver(_ task: Int, _ value: Any) { job.deliver(task, value) }

    /// Stops scheduling local tasks; `wait()` throws `error` (unless a local failure came first).
    /// - Parameter error: why, typically another process's `TaskFailure`.
    public func stop(with error: Error) { job.stop(with: error) }

    /// Says that no value will be delivered any more; the share completes once its queued
    /// tasks have drained. Called exactly once.
    public func inputsComplete() { job.releaseHold() }

    /// Blocks until the share completes.
    /// - Returns: the values of `plan.outputs`, in order (local or delivered; an
    ///   ``ElsewhereValue`` for an output that neither ran here nor was sent here).
    /// - Throws: the first failure, local or given to `stop(with:)`.
    public func wait() throws -> [Any] { try outcome.wait().get() }
}
