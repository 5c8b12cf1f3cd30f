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
        let executor = (scheduler ?? .default).executor
        let observers = ComputeObservers.current
        // Inside a pool task, waiting on the pool could deadlock it: run inline instead.
        if WorkerIdentity.current != nil { return try SynchronousExecutor.run(plan, observers: observers) }
        return try executor.run(plan, observers: observers)
    }

    /// Computes every output from Swift concurrency without blocking a cooperative thread.
    ///
    /// Cancelling the calling `Task` stops scheduling new tasks; the call then throws
    /// `CancellationError` once the tasks already running have finished.
    public func compute(scheduler: Scheduler? = nil, optimize: Bool = true) async throws -> [Any] {
        let plan = self.plan(optimize: optimize)
        let executor = (scheduler ?? .default).executor
        let observers = ComputeObservers.current
        try Task.checkCancellation()
        return try await executor.runAsync(plan, observers: observers)
    }
}

/// A compute's output values on their way from the finishing worker to the awaiting task.
///
/// Unchecked because the values are type-erased: each was returned by a task's `@Sendable` closure
/// whose result type the public API requires to be `Sendable`, and the worker hands them over
/// without keeping a reference, so no value is ever shared between the two sides.
struct HandedOver: @unchecked Sendable {
    let values: [Any]
}
