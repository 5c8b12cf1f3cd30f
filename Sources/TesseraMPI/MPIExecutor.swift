import Foundation
import Tessera

/// Runs a plan over the ranks of an MPI job (SPMD): every rank built the same graph, each task
/// runs on the rank `Placement` gives it, on that rank's thread pool, and a value needed on
/// another rank travels there as `BlockCodec` bytes, sent by the communication thread of
/// ``MPIWorld`` as soon as the value exists (every rank knows statically who consumes it).
///
/// Before any value moves, the ranks exchange their plans' shape hashes: ranks that built
/// different graphs fail with `MPIError/plansDiffer(rank:tasks:hash:otherRank:otherTasks:otherHash:)`.
/// A task that throws on one rank stops every rank, and `compute` throws a `TaskFailure` naming
/// the task and the rank on every rank. The outputs are sent to every rank, so `compute`
/// returns the same values everywhere.
public struct MPIExecutor: Executor {
    /// Where a compute's result is returned.
    public enum Results: Sendable, Hashable {
        /// On every rank: the outputs are sent to every rank (the default).
        case everyRank
        /// On rank 0 only: outputs travel to rank 0 alone; on the other ranks each output is
        /// an `ElsewhereValue` (use `Computable.computeOnRankZero(workersPerRank:)`).
        case rankZero
    }

    /// Threads per rank that run tasks.
    public let workersPerRank: Int
    /// Where the result is returned.
    public let results: Results

    /// An executor over the ranks of the MPI job.
    /// - Parameters:
    ///   - workersPerRank: threads per rank that run tasks.
    ///   - results: where the result is returned.
    public init(workersPerRank: Int, results: Results = .everyRank) {
        self.workersPerRank = workersPerRank
        self.results = results
    }

    /// The threads of this rank's pool.
    public var workers: Int { workersPerRank }

    /// `mpi(workersPerRank: N)`.
    public var description: String {
        results == .everyRank ? "mpi(workersPerRank: \(workersPerRank))" : "mpi(workersPerRank: \(workersPerRank), results: .rankZero)"
    }

    /// Runs this rank's share of `plan` and returns every output.
    /// - Parameters:
    ///   - plan: the plan, built identically on every rank.
    ///   - observers: told about this rank's tasks.
    /// - Returns: the value of each of `plan.outputs`, on every rank.
    /// - Throws: `MPIError.plansDiffer` before any transfer when ranks built different graphs;
    ///   `TaskFailure` (with its `rank`) when a task failed on any rank.
    public func run(_ plan: ExecutionPlan, observers: [ComputeObserver]) throws -> [Any] {
        let world = MPIWorld.shared
        let me = world.rank
        let n = plan.count
        let rankOf = Placement(plan: plan, ranks: world.size).rankOfTask
        let isLocal = rankOf.map { Int($0) == me }
        var isOutput = [Bool](repeating: false, count: n)
        for o in plan.outputs { isOutput[o] = true }
        var destinations = [[Int32]](repeating: [], count: n)
        var expected = 0
        // Outputs go to every rank, or to rank 0 alone; every value also goes where it is consumed.
        let everyRank = results == .everyRank
        for i in 0..<n {
            if isLocal[i] {
                if isOutput[i] && everyRank {
                    destinations[i] = (0..<Int32(world.size)).filter { Int($0) != me }
                } else {
                    var to = Set<Int32>()
                    for c in plan.dependents(of: i) where rankOf[Int(c)] != Int32(me) { to.insert(rankOf[Int(c)]) }
                    if isOutput[i] && me != 0 { to.insert(0) }
                    destinations[i] = to.sorted()
                }
            } else if (isOutput[i] && (everyRank || me == 0)) || plan.dependents(of: i).contains(where: { isLocal[Int($0)] }) {
                expected += 1
            }
        }
        let session = ComputeSession(id: world.nextComputeID(), plan: plan, expected: expected)
        world.enqueue(.register(session))
        defer { world.enqueue(.finished(session)) }
        try session.handshake.get().get()

        let sendTo = destinations
        let header = MessageHeaderBytes(compute: session.id)
        let share = LocalShare(
            plan: plan, isLocal: isLocal, isExported: destinations.map { !$0.isEmpty }, workers: workersPerRank,
            rank: me, observers: observers,
            produced: { i, value in
                // A large buffer ending the value (an array's elements) stays in the value's own
                // storage and goes out from there as the message's tail: no copy on this side;
                // the header says how long it is. One allocation for the head, reserved up front.
                var w = BlockWriter(capacity: 256, deferringTailsFrom: MPIWorld.minimumTailBytes)
                header.write(task: i, to: &w)
                try BlockCodec.encode(value, into: &w)
                if let tail = w.tail { w.overwrite(UInt64(tail.bytes.count), at: MessageHeader.tailLengthOffset) }
                world.enqueue(.send(session, task: i, bytes: w.bytes, tail: w.tail, to: sendTo[i]))
            },
            failed: { error in
                let failure = (error as? TaskFailure)
                    ?? TaskFailure(key: Key("unknown"), kind: "unknown", underlying: error)
                world.enqueue(.localFailure(session, failure))
            })
        // Local roots are counted before the communication thread may release the share's hold
        // (it does at `.ready` when nothing is expected): the other order let a rank with
        // nothing to receive finish before its own tasks ran.
        share.start()
        world.enqueue(.ready(session, share))
        do {
            return try share.wait()
        } catch let f as TaskFailure where f.rank == nil {
            throw TaskFailure(key: f.key, kind: f.kind, underlying: f.underlying, rank: me)
        }
    }
}

/// Writes a value message's header in front of the value's bytes, on the worker that encodes it.
struct MessageHeaderBytes: Sendable {
    let compute: UInt64
    func write(task: Int, to w: inout BlockWriter) {
        MessageHeader(kind: .value, compute: compute, task: UInt64(task)).write(to: &w)
    }
}

extension Scheduler {
    /// Runs computes over the ranks of the MPI job this process belongs to (start the program
    /// with `mpirun -np N` or `srun`); each rank runs its tasks on `workersPerRank` threads.
    ///
    /// ```swift
    /// let total = try x.sum().compute(scheduler: .mpi())
    /// MPIWorld.shared.finalize()   // once, before the program ends
    /// ```
    /// - Parameter workersPerRank: threads per rank; by default the cores divided by the ranks
    ///   on this host (Open MPI's `OMPI_COMM_WORLD_LOCAL_SIZE`).
    /// - Returns: the scheduler.
    public static func mpi(workersPerRank: Int? = nil) -> Scheduler {
        mpi(workersPerRank: workersPerRank, results: .everyRank)
    }

    /// Runs computes over the ranks of the MPI job, returning results where `results` says.
    /// - Parameters:
    ///   - workersPerRank: threads per rank; by default the cores divided by the ranks on this host.
    ///   - results: `.rankZero` saves sending the outputs to every rank; the other ranks then
    ///     get an `ElsewhereValue` per output (see `Computable.computeOnRankZero(workersPerRank:)`).
    /// - Returns: the scheduler.
    public static func mpi(workersPerRank: Int?, results: MPIExecutor.Results) -> Scheduler {
        Scheduler(MPIExecutor(workersPerRank: max(1, workersPerRank ?? defaultWorkersPerRank), results: results))
    }

    /// The cores of this host shared by the ranks on it.
    static var defaultWorkersPerRank: Int {
        let local = ProcessInfo.processInfo.environment["OMPI_COMM_WORLD_LOCAL_SIZE"].flatMap(Int.init) ?? 1
        return max(1, defaultWorkerCount / max(local, 1))
    }
}

extension Computable {
    /// Computes over the ranks of the MPI job and returns the result on rank 0 only: the outputs
    /// travel to rank 0 alone (no broadcast), so the other ranks spend nothing on them.
    ///
    /// ```swift
    /// if let total = try x.sum().computeOnRankZero() { print(total) }   // prints once
    /// ```
    /// Call it on every rank, as any compute over the ranks.
    /// - Parameter workersPerRank: threads per rank; by default the cores divided by the ranks on
    ///   this host.
    /// - Returns: the value on rank 0; nil on the other ranks.
    /// - Throws: as `compute(scheduler:)` with `.mpi()`, on every rank.
    public func computeOnRankZero(workersPerRank: Int? = nil) throws -> Output? {
        let values = try TaskGraph(outputs).compute(scheduler: .mpi(workersPerRank: workersPerRank, results: .rankZero))
        return MPIWorld.shared.rank == 0 ? try assemble(values[...]) : nil
    }
}
