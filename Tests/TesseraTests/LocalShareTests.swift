import Foundation
import Testing
@testable import Tessera

/// Two "ranks" in one process: each runs its `LocalShare` of the same plan, and a thread per
/// rank plays the communication thread, delivering what the other produced. This checks the
/// engine's side of multi-process execution (and, under `make tsan`, its synchronisation)
/// without MPI.
@Suite struct LocalShareTests {
    /// A pairwise tree of sums over `n` leaves, built afresh (as each rank does).
    static func tree(_ n: Int, failAt: Int? = nil) -> TaskGraph {
        let leaves = Layer(kind: "leaf", count: n) { i in
            TaskSpec { _ in
                if i == failAt { throw CancellationError() }
                return Double(i) * 0.1
            }
        }
        var level = leaves.refs
        while level.count > 1 {
            let below = level
            let layer = Layer(kind: "add", count: (below.count + 1) / 2) { j in
                TaskSpec(inputs: Array(below[(2 * j)..<min(2 * j + 2, below.count)])) { v in v.reduce(0.0) { $0 + ($1 as! Double) } }
            }
            level = layer.refs
        }
        return TaskGraph(level + [leaves[n / 2]])
    }

    /// A mailbox: what one rank's workers produced, waiting for the other's delivery thread.
    final class Mailbox: @unchecked Sendable {
        let condition = NSCondition()
        var items: [(Int, Any)] = []
        var failure: Error?
        func post(_ item: (Int, Any)) { condition.lock(); items.append(item); condition.signal(); condition.unlock() }
        func fail(_ e: Error) { condition.lock(); failure = e; condition.signal(); condition.unlock() }
    }

    static func runTwoRanks(observers: [[ComputeObserver]] = [[], []], _ build: () -> TaskGraph) throws -> [[Any]] {
        let plans = [build().plan(), build().plan()]
        #expect(plans[0].shapeHash == plans[1].shapeHash)
        let placement = Placement(plan: plans[0], ranks: 2)
        let boxes = [Mailbox(), Mailbox()]  // boxes[r]: values for rank r
        var shares: [LocalShare] = []
        var expected = [0, 0]
        for r in 0..<2 {
            let plan = plans[r]
            let isLocal = placement.rankOfTask.map { Int($0) == r }
            let outputs = Set(plan.outputs)
            var exported = [Bool](repeating: false, count: plan.count)
            for i in 0..<plan.count {
                let remoteConsumer = plan.dependents(of: i).contains { !isLocal[Int($0)] }
                if isLocal[i] { exported[i] = remoteConsumer || outputs.contains(i) }
                else if outputs.contains(i) || plan.dependents(of: i).contains(where: { isLocal[Int($0)] }) { expected[r] += 1 }
            }
            let other = boxes[1 - r], own = boxes[r]
            // A failure stops the other rank and ends this rank's wait for values, as the
            // communication thread does.
            shares.append(LocalShare(plan: plan, isLocal: isLocal, isExported: exported, workers: 2, rank: r, observers: observers[r],
                                     produced: { i, v in other.post((i, v)) }, failed: { other.fail($0); own.fail($0) }))
        }
        let results = LockedBox<[Result<[Any], Error>?]>([nil, nil])
        let threads = (0..<2).map { r in
            Thread { [shares, expected] in
                let box = boxes[r], share = shares[r]
                var received = 0
                while received < expected[r] {
                    box.condition.lock()
                    while box.items.isEmpty && box.failure == nil { box.condition.wait() }
                    let items = box.items, failure = box.failure
                    box.items = []
                    box.condition.unlock()
                    if let failure {
                        share.stop(with: failure)
                        break
                    }
                    for (i, v) in items { share.deliver(i, v) }
                    received += items.count
                }
                share.inputsComplete()
                let outcome = Result { try share.wait() }
                results.withLock { $0[r] = outcome }
            }
        }
        for (r, share) in shares.enumerated() { share.start(); threads[r].start() }
        while results.withLock({ $0.contains { $0 == nil } }) { usleep(1000) }
        return try results.withLock { $0 }.map { try $0!.get() }
    }

    @Test func twoSharesComputeWhatTheSynchronousSchedulerDoes() throws {
        for n in [1, 2, 7, 64] {
            let reference = try Self.tree(n).compute(scheduler: .synchronous).map { $0 as! Double }
            for values in try Self.runTwoRanks({ Self.tree(n) }) {
                #expect(values.map { $0 as! Double } == reference)
            }
        }
    }

    @Test func aFailureOnOneShareStopsBoth() throws {
        #expect(throws: (any Error).self) { _ = try Self.runTwoRanks { Self.tree(32, failAt: 27) } }
    }

    /// Records the (rank, worker) of every task event, and which tasks started and finished.
    final class EventLog: ComputeObserver, @unchecked Sendable {
        private let lock = NSLock()
        private(set) var started: [Int: Int] = [:]  // task → rank
        private(set) var finished: [Int: Int] = [:]
        private(set) var workers: Set<Int> = []
        func taskStarted(plan: ExecutionPlan, task: Int, rank: Int, worker: Int) {
            lock.lock(); started[task] = rank; workers.insert(worker); lock.unlock()
        }
        func taskFinished(plan: ExecutionPlan, task: Int, rank: Int, worker: Int) {
            lock.lock(); finished[task] = rank; lock.unlock()
        }
    }

    /// Counts the worker-only callbacks: an observer written before events carried the rank.
    final class WorkerOnlyLog: ComputeObserver, @unchecked Sendable {
        private let lock = NSLock()
        private(set) var count = 0
        func taskFinished(plan: ExecutionPlan, task: Int, worker: Int) { lock.lock(); count += 1; lock.unlock() }
    }

    @Test func oneProcessTaskEventsCarryRankZero() throws {
        for scheduler in [Scheduler.synchronous, .threads(2)] {
            let log = EventLog()
            let profiler = Profiler()
            let graph = Self.tree(9)
            _ = try ComputeObservers.withScoped(log) { try profiler.observe { try graph.compute(scheduler: scheduler) } }
            let count = graph.plan().count
            #expect(log.started.count == count && log.finished.count == count)
            #expect(log.started.values.allSatisfy { $0 == 0 } && log.finished.values.allSatisfy { $0 == 0 })
            #expect(profiler.records.count == count && profiler.records.allSatisfy { $0.rank == 0 } && profiler.rank == 0)
        }
    }

    @Test func taskEventsCarryTheRankOfTheShareThatRanThem() throws {
        let logs = [EventLog(), EventLog()]
        let older = WorkerOnlyLog()
        let profiler = Profiler()  // both "ranks" report to one profiler: records must tell them apart
        let graph = Self.tree(40)  // one graph, so every plan of it has the same keys
        _ = try Self.runTwoRanks(observers: [[logs[0], profiler, older], [logs[1], profiler, older]]) { graph }
        let plan = graph.plan()
        let placement = Placement(plan: plan, ranks: 2).rankOfTask
        for r in 0..<2 {
            let mine = Set((0..<plan.count).filter { Int(placement[$0]) == r })
            #expect(!mine.isEmpty)
            #expect(Set(logs[r].started.keys) == mine)
            #expect(logs[r].started.values.allSatisfy { $0 == r } && logs[r].finished.values.allSatisfy { $0 == r })
            #expect(Set(logs[r].finished.keys) == mine)
            #expect(logs[r].workers.isSubset(of: [0, 1]))
        }
        #expect(older.count == plan.count)
        // Each record's rank is the placement's, key by key.
        let rankOfKey = Dictionary(uniqueKeysWithValues: (0..<plan.count).map { (plan.key($0), Int(placement[$0])) })
        #expect(profiler.records.count == plan.count)
        for record in profiler.records { #expect(record.rank == rankOfKey[record.key], "\(record.key)") }
    }
}
