import Foundation

/// The engine's side of a ``Scheduler``: something that runs an ``ExecutionPlan`` and returns the
/// values of its outputs.
///
/// The synchronous runner, the thread pool and the MPI ranks of `TesseraMPI` are executors; a new
/// one is a new conforming type wrapped by `Scheduler/init(_:)`, never a new case in a switch.
/// Every executor runs the same plan (same task indices, same dependencies), so task identity is
/// the task's index in the plan on every executor and every process.
///
/// ```swift
/// struct Inline: Executor {
///     var workers: Int { 1 }
///     var description: String { "inline" }
///     func run(_ plan: ExecutionPlan, observers: [ComputeObserver]) throws -> [Any] {
///         try Scheduler.synchronous.executor.run(plan, observers: observers)
///     }
/// }
/// let v = try x.compute(scheduler: Scheduler(Inline()))
/// ```
public protocol Executor: Sendable, Hashable, CustomStringConvertible {
    /// The number of threads that run tasks in this process (1 for a synchronous executor).
    var workers: Int { get }

    /// Runs every task of `plan` and returns the values of `plan.outputs`, in order, blocking the
    /// calling thread.
    ///
    /// - Parameters:
    ///   - plan: the culled, fused plan to run.
    ///   - observers: told about the compute and each task, from whichever thread runs it.
    /// - Returns: the value of each of `plan.outputs`.
    /// - Throws: `TaskFailure` naming the first task that threw.
    func run(_ plan: ExecutionPlan, observers: [ComputeObserver]) throws -> [Any]

    /// Runs `plan` from Swift concurrency without blocking a cooperative thread.
    ///
    /// The default implementation runs `run(_:observers:)` on a thread of its own and ignores
    /// cancellation once started; executors that can stop early override it.
    /// - Parameters:
    ///   - plan: the culled, fused plan to run.
    ///   - observers: told about the compute and each task.
    /// - Returns: the value of each of `plan.outputs`.
    /// - Throws: `TaskFailure`, or `CancellationError` when the calling task is cancelled.
    func runAsync(_ plan: ExecutionPlan, observers: [ComputeObserver]) async throws -> [Any]
}

extension Executor {
    /// Runs the blocking `run(_:observers:)` on a new thread and resumes when it returns, so no
    /// cooperative thread ever blocks.
    /// - Parameters:
    ///   - plan: the culled, fused plan to run.
    ///   - observers: told about the compute and each task.
    /// - Returns: the value of each of `plan.outputs`.
    /// - Throws: what `run(_:observers:)` throws, or `CancellationError` if cancelled first.
    public func runAsync(_ plan: ExecutionPlan, observers: [ComputeObserver]) async throws -> [Any] {
        try Task.checkCancellation()
        let box = PlanHandOff(plan: plan, observers: observers)
        let values = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HandedOver, Error>) in
            let thread = Thread { [self] in
                continuation.resume(with: Result { HandedOver(values: try self.run(box.plan, observers: box.observers)) })
            }
            thread.name = "tessera-executor"
            thread.start()
        }
        return values.values
    }
}

/// A plan and its observers on their way to the thread that runs them (both are only read there).
private struct PlanHandOff: @unchecked Sendable {
    let plan: ExecutionPlan
    let observers: [ComputeObserver]
}
