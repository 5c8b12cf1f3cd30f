import Foundation

/// The graph behind a set of output tasks, and the one entry point that computes it.
///
/// A `TaskGraph` is just its outputs: the layers they reference hold the rest. Two graphs combine
/// in O(1) by concatenating outputs; shared tasks run once.
///
/// ```swift
/// let graph = TaskGraph(a.outputs + b.outputs)
/// let values = try graph.compute(scheduler: .threads(2))
/// ```
public struct TaskGraph: Sendable {
    /// The tasks whose values `compute` returns, in order.
    public let outputs: [TaskRef]

    /// Creates the graph behind `outputs`.
    public init(_ outputs: [TaskRef]) { self.outputs = outputs }

    /// The culled (and, if `optimize`, fused) plan the schedulers would run.
    /// - Complexity: O(t + e) for t reachable tasks and e edges.
    public func plan(optimize: Bool = true) -> ExecutionPlan {
        ExecutionPlan(outputs: outputs, fuse: optimize)
    }

    /// Computes every output and returns the values in order, blocking the calling thread.
    ///
    /// - Parameters:
    ///   - scheduler: where to run; `Scheduler.default` when nil.
    ///   - optimize: fuse linear chains before running (results are identical either way).
    /// - Throws: `TaskFailure` naming the first task that threw; no new tasks start after it.
    /// - Complexity: O(t + e) scheduling work plus the tasks' own work.
    public func compute(scheduler: Scheduler? = nil, optimize: Bool = true) throws -> [Any] {
        let plan = self.plan(optimize: optimize)
        let scheduler = scheduler ?? .default
        let observers = ComputeObservers.current
        // Inside a pool task, waiting on the pool could deadlock it: run inline instead.
        if case .synchronous = scheduler.kind { return try SynchronousExecutor.run(plan, observers: observers) }
        if WorkerIdentity.current != nil { return try SynchronousExecutor.run(plan, observers: observers) }
        let pool = ThreadPool.shared(workers: scheduler.workers)
        let done = ConditionLock()
        var outcome: Result<[Any], Error>?
        let job = ComputeJob(plan: plan, observers: observers) { result in
            done.withLock {
                outcome = result
                done.broadcast()
            }
        }
        job.start(on: pool)
        return try done.withLock {
            while outcome == nil { done.wait() }
            return try outcome!.get()
        }
    }

    /// Computes every output from Swift concurrency without blocking a cooperative thread.
    ///
    /// Cancelling the calling `Task` stops scheduling new tasks; the call then throws
    /// `CancellationError` once the tasks already running have finished.
    public func compute(scheduler: Scheduler? = nil, optimize: Bool = true) async throws -> [Any] {
        let plan = self.plan(optimize: optimize)
        let scheduler = scheduler ?? .default
        let observers = ComputeObservers.current
        try Task.checkCancellation()
        if case .synchronous = scheduler.kind {
            return try SynchronousExecutor.run(plan, observers: observers, isCancelled: { Task.isCancelled })
        }
        let pool = ThreadPool.shared(workers: scheduler.workers)
        let jobBox = LockedBox<ComputeJob?>(nil)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[Any], Error>) in
                let job = ComputeJob(plan: plan, observers: observers) { continuation.resume(with: $0) }
                jobBox.withLock { $0 = job }
                if Task.isCancelled { job.stop(with: CancellationError()) }
                job.start(on: pool)
            }
        } onCancel: {
            jobBox.withLock { $0?.stop(with: CancellationError()) }
        }
    }
}
