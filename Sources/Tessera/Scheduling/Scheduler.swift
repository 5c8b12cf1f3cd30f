import Foundation

/// Where and how a compute runs.
///
/// ```swift
/// let total = try sum.compute(scheduler: .synchronous)   // calling thread, for debugging
/// let fast = try sum.compute(scheduler: .threads(4))     // a pool of 4 workers
/// Scheduler.default = .threads                           // every later compute in the process
/// ```
public struct Scheduler: Sendable, Hashable, CustomStringConvertible {
    /// The engine that runs a plan for this scheduler.
    public let executor: any Executor

    /// A scheduler backed by `executor`: how a module adds a way to run (`TesseraMPI` adds
    /// `.mpi(workersPerRank:)` this way) without touching the engine.
    /// - Parameter executor: runs the plans of every compute given this scheduler.
    public init(_ executor: some Executor) { self.executor = executor }

    /// Runs every task on the calling thread, in topological order, with no recursion.
    public static let synchronous = Scheduler(SynchronousExecutor())

    /// The process-wide pool with one worker per core.
    public static var threads: Scheduler { .threads(defaultWorkerCount) }

    /// A process-wide pool of `workers` threads (created on first use, then reused).
    public static func threads(_ workers: Int) -> Scheduler {
        Scheduler(ThreadsExecutor(workers: max(1, workers)))
    }

    /// The number of workers the scheduler uses in this process (1 for `.synchronous`).
    public var workers: Int { executor.workers }

    /// The scheduler as it would be written in code: `synchronous` or `threads(4)`.
    public var description: String { executor.description }

    /// Whether both schedulers run plans the same way (same executor type and settings).
    public static func == (a: Scheduler, b: Scheduler) -> Bool {
        AnyHashable(a.executor) == AnyHashable(b.executor)
    }

    /// Hashes the executor and its settings.
    public func hash(into hasher: inout Hasher) { hasher.combine(AnyHashable(executor)) }

    /// The core count, or `TESSERA_WORKERS` from the environment when set.
    public static var defaultWorkerCount: Int {
        if let s = ProcessInfo.processInfo.environment["TESSERA_WORKERS"], let n = Int(s), n > 0 { return n }
        return ProcessInfo.processInfo.activeProcessorCount
    }

    private static let defaultBox = LockedBox<Scheduler?>(nil)
    @TaskLocal private static var scopedDefault: Scheduler?

    /// The scheduler used when a compute names none: the one of the innermost
    /// ``withDefault(_:_:)`` if any, else the process-wide setting, else `.threads`.
    /// `TESSERA_SCHEDULER=sync` in the environment makes the initial one `.synchronous`.
    ///
    /// Setting it changes every later compute in the process (guarded by a lock); a library or a
    /// test should prefer ``withDefault(_:_:)``, which changes nothing outside its closure.
    public static var `default`: Scheduler {
        get {
            if let scoped = scopedDefault { return scoped }
            return defaultBox.withLock { box in
                if let s = box { return s }
                let env = ProcessInfo.processInfo.environment["TESSERA_SCHEDULER"]
                return env == "sync" || env == "synchronous" ? .synchronous : .threads
            }
        }
        set { defaultBox.withLock { $0 = newValue } }
    }

    /// Runs `body` with `scheduler` as the default of every compute it starts on this thread or
    /// task (and its child tasks), leaving the process-wide default alone.
    ///
    /// ```swift
    /// let v = try Scheduler.withDefault(.synchronous) { try x.compute() }
    /// ```
    /// - Complexity: O(1) besides `body`.
    public static func withDefault<T>(_ scheduler: Scheduler, _ body: () throws -> T) rethrows -> T {
        try $scopedDefault.withValue(scheduler, operation: body)
    }
}
