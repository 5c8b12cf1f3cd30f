// The task profiler (Dask's `dask.diagnostics.Profiler`): records, for every task of every
// compute it observes, the task's key, kind, worker and start and end times.
//
// Design: at `computeStarted` the profiler allocates three flat arrays indexed by plan task
// (start, end, worker). A task is started and finished by exactly one thread, so each slot is
// written by one thread only and needs no lock; the only lock taken per task guards the small
// table that maps the running plan to its arrays (several computes may run at once). The job's
// own atomics order every slot write before `computeFinished`, which turns the arrays into
// `TaskRecord`s.

import Foundation

/// Records when and where each task ran: per task its key, kind, worker, start and end.
///
/// ```swift
/// let profiler = Profiler()
/// let total = try profiler.observe { try x.compute() }
/// try profiler.writeChromeTrace(to: URL(fileURLWithPath: "trace.json")) // open in Perfetto
/// try profiler.taskStreamSVG().write(toFile: "tasks.svg", atomically: true, encoding: .utf8)
/// ```
///
/// Thread-safe; records accumulate over every compute observed until `reset()`.
/// - Complexity: O(1) extra work per task; O(t) memory for t recorded tasks.
public final class Profiler: ComputeObserver, @unchecked Sendable {
    /// What the profiler knows about one task that ran.
    public struct TaskRecord: Sendable, Hashable {
        /// The task's key (for a fused chain, its last task's key).
        public let key: Key
        /// The operation name, `value+inc` for a fused chain (see `ExecutionPlan.kindLabel`).
        public let kind: String
        /// The process that ran it: its MPI rank (0 in a single-process program).
        public let rank: Int
        /// The worker that ran it (0 for the synchronous scheduler), numbered within its rank.
        public let worker: Int
        /// Start, in seconds since the profiler was created (monotonic clock).
        public let start: Double
        /// End, in seconds since the profiler was created.
        public let end: Double
        /// Which observed compute it belongs to, numbered from 0 in the order computes started.
        public let compute: Int
        /// How many original tasks it stands for (more than 1 when a chain was fused).
        public let fusedCount: Int
        /// Whether the task threw.
        public let failed: Bool

        /// `end - start`.
        public var duration: Double { end - start }

        /// A record as another process's profiler made it (see ``Profiler/merge(_:wallOrigin:)``).
        /// - Parameters:
        ///   - key: the task's key.
        ///   - kind: the operation name.
        ///   - rank: the process that ran it.
        ///   - worker: its worker within that process.
        ///   - start: start, in seconds since that profiler's origin.
        ///   - end: end, in seconds since that profiler's origin.
        ///   - compute: the compute's number.
        ///   - fusedCount: how many original tasks it stands for.
        ///   - failed: whether it threw.
        public init(key: Key, kind: String, rank: Int, worker: Int, start: Double, end: Double, compute: Int,
                    fusedCount: Int, failed: Bool) {
            self.key = key
            self.kind = kind
            self.rank = rank
            self.worker = worker
            self.start = start
            self.end = end
            self.compute = compute
            self.fusedCount = fusedCount
            self.failed = failed
        }
    }

    /// Per-compute scratch: one slot per plan task, each written by one thread only.
    private final class Run {
        let plan: ExecutionPlan
        let id: Int
        let starts: UnsafeMutablePointer<Double>
        let ends: UnsafeMutablePointer<Double>
        let workers: UnsafeMutablePointer<Int32>
        let ranks: UnsafeMutablePointer<Int32>

        init(plan: ExecutionPlan, id: Int) {
            self.plan = plan
            self.id = id
            let n = Swift.max(plan.count, 1)
            starts = .allocate(capacity: n)
            starts.initialize(repeating: .nan, count: n)
            ends = .allocate(capacity: n)
            ends.initialize(repeating: .nan, count: n)
            workers = .allocate(capacity: n)
            workers.initialize(repeating: 0, count: n)
            ranks = .allocate(capacity: n)
            ranks.initialize(repeating: 0, count: n)
        }

        deinit {
            starts.deallocate()
            ends.deallocate()
            workers.deallocate()
            ranks.deallocate()
        }
    }

    private struct State {
        var active: [Run] = []  // usually one: a scan by identity beats hashing
        var records: [TaskRecord] = []
        var computes = 0
        /// The rank of the last task recorded: the process's rank, learnt from its task events.
        var seenRank: Int?
    }

    private let state = LockedBox(State())
    /// The monotonic time the profiler's clock counts from (record times are relative to it).
    public let origin: Double
    /// The same instant in seconds since 1970: what lines up the records of profilers in other
    /// processes (whose monotonic clocks may count from elsewhere) in ``merge(_:wallOrigin:)``.
    public let wallOrigin: Double
    private let givenRank: Int?

    /// The rank of the process this profiler records, where its resource samples go in a trace:
    /// the one given to `init(rank:)`, else the rank the task events carried (the MPI rank
    /// under `.mpi`), 0 before any task.
    public var rank: Int { givenRank ?? state.withLock { $0.seenRank } ?? 0 }

    /// Creates an empty profiler; install it with `observe(_:)` or `ComputeObservers.add`.
    /// Each record takes its rank from the task's event (see
    /// `ComputeObserver.taskStarted(plan:task:rank:worker:)`).
    /// - Parameter rank: the process's rank, for `rank` and for tasks whose events don't
    ///   carry one; nil: learnt from the events.
    public init(rank: Int? = nil) {
        origin = monotonicSeconds()
        wallOrigin = Date().timeIntervalSince1970
        givenRank = rank
    }

    /// Every task recorded so far, ordered by start time.
    public var records: [TaskRecord] {
        state.withLock { $0.records }.sorted { ($0.start, $0.rank, $0.worker) < ($1.start, $1.rank, $1.worker) }
    }

    /// Adds records made by another process's profiler (another rank's), shifting their times
    /// onto this profiler's clock, so one trace shows every rank.
    /// - Parameters:
    ///   - records: the other profiler's records, rank stamped.
    ///   - wallOrigin: that profiler's ``wallOrigin``.
    /// - Complexity: O(r) for r records.
    public func merge(_ records: [TaskRecord], wallOrigin: Double) {
        let shift = wallOrigin - self.wallOrigin
        let moved = records.map {
            TaskRecord(key: $0.key, kind: $0.kind, rank: $0.rank, worker: $0.worker, start: $0.start + shift, end: $0.end + shift,
                       compute: $0.compute, fusedCount: $0.fusedCount, failed: $0.failed)
        }
        state.withLock { $0.records.append(contentsOf: moved) }
    }

    /// How many computes the profiler has seen start.
    public var computeCount: Int { state.withLock { $0.computes } }

    /// Forgets every record.
    public func reset() { state.withLock { $0.records = [] } }

    private func run(for plan: ExecutionPlan) -> Run? {
        state.withLock { s in
            for r in s.active where r.plan === plan { return r }
            return nil
        }
    }

    /// Starts recording a compute of `plan`.
    public func computeStarted(plan: ExecutionPlan) {
        state.withLock { s in
            s.active.append(Run(plan: plan, id: s.computes))
            s.computes += 1
        }
    }

    /// Records task `task`'s worker and start time, with the profiler's rank.
    public func taskStarted(plan: ExecutionPlan, task: Int, worker: Int) {
        taskStarted(plan: plan, task: task, rank: givenRank ?? 0, worker: worker)
    }

    /// Records task `task`'s rank, worker and start time.
    public func taskStarted(plan: ExecutionPlan, task: Int, rank: Int, worker: Int) {
        guard let run = run(for: plan) else { return }
        run.workers[task] = Int32(truncatingIfNeeded: worker)
        run.ranks[task] = Int32(truncatingIfNeeded: rank)
        run.starts[task] = monotonicSeconds() - origin
    }

    /// Records task `task`'s end time.
    public func taskFinished(plan: ExecutionPlan, task: Int, worker: Int) {
        guard let run = run(for: plan) else { return }
        run.ends[task] = monotonicSeconds() - origin
    }

    /// Records task `task`'s end time (its rank and worker came with its start).
    public func taskFinished(plan: ExecutionPlan, task: Int, rank: Int, worker: Int) {
        taskFinished(plan: plan, task: task, worker: worker)
    }

    /// Turns the compute's timings into ``records``; a failed task is marked as failed.
    public func computeFinished(plan: ExecutionPlan, error: Error?) {
        let found: Run? = state.withLock { s in
            guard let k = s.active.firstIndex(where: { $0.plan === plan }) else { return nil }
            return s.active.remove(at: k)
        }
        guard let run = found else { return }
        // The failing task is the one whose key the TaskFailure names.
        let failedKey = (error as? TaskFailure)?.key
        var made: [TaskRecord] = []
        made.reserveCapacity(plan.count)
        for i in 0..<plan.count {
            let start = run.starts[i]
            guard !start.isNaN else { continue }  // never ran (the compute stopped first)
            let end = run.ends[i].isNaN ? start : run.ends[i]
            let key = plan.key(i)
            var failed = key == failedKey
            if let failedKey, !failed, plan.fusedCounts[i] > 1, let chain = plan.fusedRefs[i] {
                failed = chain.contains { $0.key == failedKey }
            }
            made.append(TaskRecord(key: key, kind: plan.kindLabel(i), rank: Int(run.ranks[i]), worker: Int(run.workers[i]),
                                   start: start, end: end, compute: run.id,
                                   fusedCount: plan.fusedCounts[i], failed: failed))
        }
        state.withLock { s in
            s.records.append(contentsOf: made)
            if let last = made.last { s.seenRank = last.rank }
        }
    }
}
