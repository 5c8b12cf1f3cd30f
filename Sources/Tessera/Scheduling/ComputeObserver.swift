import Foundation

/// Told what a compute does: where diagnostics (progress bars, profilers) plug in.
///
/// Callbacks arrive on worker threads, concurrently, so implementations must be thread-safe and
/// quick. With no observer installed the scheduler checks one `isEmpty` per task and pays
/// nothing else.
public protocol ComputeObserver: AnyObject, Sendable {
    /// A compute begins running `plan` (after culling and fusion).
    func computeStarted(plan: ExecutionPlan)
    /// A multi-process executor (MPI ranks) begins running this process's share of `plan`:
    /// the tasks whose `localTasks` flag is set; only they get `taskStarted`/`taskFinished` here.
    /// Called instead of `computeStarted(plan:)`, which the default implementation forwards to.
    func computeStarted(plan: ExecutionPlan, localTasks: [Bool])
    /// Task `task` of `plan` starts on worker `worker` (0 for the synchronous scheduler).
    func taskStarted(plan: ExecutionPlan, task: Int, worker: Int)
    /// Task `task` of `plan` finished on worker `worker` (successfully or not).
    func taskFinished(plan: ExecutionPlan, task: Int, worker: Int)
    /// Task `task` of `plan` starts on worker `worker` of the process of rank `rank`: the MPI
    /// rank under a multi-process executor, 0 in a one-process program. Executors call this
    /// one; the default forwards to `taskStarted(plan:task:worker:)`.
    func taskStarted(plan: ExecutionPlan, task: Int, rank: Int, worker: Int)
    /// Task `task` of `plan` finished on worker `worker` of rank `rank` (successfully or not).
    /// Executors call this one; the default forwards to `taskFinished(plan:task:worker:)`.
    func taskFinished(plan: ExecutionPlan, task: Int, rank: Int, worker: Int)
    /// The compute ended; `error` is the failure, if it failed.
    func computeFinished(plan: ExecutionPlan, error: Error?)
}

extension ComputeObserver {
    /// Does nothing: an observer implements only the callbacks it needs.
    public func computeStarted(plan: ExecutionPlan) {}
    /// Forwards to `computeStarted(plan:)`: an observer that needs to know the share implements it.
    public func computeStarted(plan: ExecutionPlan, localTasks: [Bool]) { computeStarted(plan: plan) }
    /// Does nothing: an observer implements only the callbacks it needs.
    public func taskStarted(plan: ExecutionPlan, task: Int, worker: Int) {}
    /// Does nothing: an observer implements only the callbacks it needs.
    public func taskFinished(plan: ExecutionPlan, task: Int, worker: Int) {}
    /// Does nothing: an observer implements only the callbacks it needs.
    public func computeFinished(plan: ExecutionPlan, error: Error?) {}
    /// Forwards to `taskStarted(plan:task:worker:)`: an observer that needs the rank implements it.
    public func taskStarted(plan: ExecutionPlan, task: Int, rank: Int, worker: Int) {
        taskStarted(plan: plan, task: task, worker: worker)
    }
    /// Forwards to `taskFinished(plan:task:worker:)`: an observer that needs the rank implements it.
    public func taskFinished(plan: ExecutionPlan, task: Int, rank: Int, worker: Int) {
        taskFinished(plan: plan, task: task, worker: worker)
    }
}

/// The process-wide list of observers that every compute notifies.
public enum ComputeObservers {
    private static let box = LockedBox<[ComputeObserver]>([])

    /// Installs `observer` for all later computes until `remove` is called.
    public static func add(_ observer: ComputeObserver) { box.withLock { $0.append(observer) } }

    /// Removes a previously added observer.
    public static func remove(_ observer: ComputeObserver) {
        box.withLock { $0.removeAll { $0 === observer } }
    }

    /// Runs `body` with `observer` installed, removing it afterwards even if `body` throws.
    public static func with<T>(_ observer: ComputeObserver, _ body: () throws -> T) rethrows -> T {
        add(observer)
        defer { remove(observer) }
        return try body()
    }

    /// Observers bound by `withScoped`: they see only computes started inside that call (on its
    /// thread, or in its child tasks), so concurrent work elsewhere in the process stays out.
    @TaskLocal static var scoped: [ComputeObserver] = []

    /// Runs `body` with `observer` told about the computes `body` starts (not about computes
    /// other threads start meanwhile, nor nested computes run inside tasks on pool workers).
    public static func withScoped<T>(_ observer: ComputeObserver, _ body: () throws -> T) rethrows -> T {
        try $scoped.withValue(scoped + [observer], operation: body)
    }

    /// Runs the asynchronous `body` with `observer` told about the computes `body` starts.
    public static func withScoped<T>(_ observer: ComputeObserver, _ body: () async throws -> T) async rethrows -> T {
        try await $scoped.withValue(scoped + [observer]) { try await body() }
    }

    /// The observers a compute started now on this thread notifies: the process-wide ones and
    /// the scoped ones. Read once per compute, never per task.
    static var current: [ComputeObserver] {
        let global = box.withLock { $0 }
        let local = scoped
        return local.isEmpty ? global : global + local
    }
}
