import Tessera
import Testing
@testable import TesseraDashboard

// The recorder driven by hand, without a scheduler: the callbacks are called as workers would,
// so the batching bounds are checked exactly, whatever the machine's speed.

@Suite struct DashboardRecorderTests {
    /// A plan of `a` tasks of kind "a" and `b` tasks of kind "b", no edges.
    func plan(a: Int, b: Int) -> ExecutionPlan {
        let la = Layer(kind: "a", count: a) { _ in TaskSpec { _ in 0 } }
        let lb = Layer(kind: "b", count: b) { _ in TaskSpec { _ in 0 } }
        return ExecutionPlan(outputs: la.refs + lb.refs, fuse: false)
    }

    @Test func manyTasksMakeBoundedBatchesWithExactCounts() throws {
        let workers = 4
        let plan = plan(a: 30_000, b: 10_000)
        let recorder = DashboardRecorder(rank: 3, mergeGap: 0, segmentCap: 50)
        recorder.computeStarted(plan: plan)
        var batches: [DashboardUpdate] = []
        var expected: [String: Int] = [:]  // "kind/worker" → tasks, from the calls made
        // Interleave the kinds on every worker so that no two neighbours merge by gap alone.
        let order = (0..<plan.count).map { $0 % 4 == 3 ? 30_000 + $0 / 4 : $0 - $0 / 4 }
        for (n, task) in order.enumerated() {
            let worker = n % workers
            recorder.taskStarted(plan: plan, task: task, worker: worker)
            recorder.taskFinished(plan: plan, task: task, worker: worker)
            expected["\(plan.kind(task))/\(worker)", default: 0] += 1
            if n % 7_000 == 6_999 { batches.append(recorder.drain(sample: false)) }
        }
        recorder.computeFinished(plan: plan, error: nil)
        batches.append(recorder.drain(sample: true))

        #expect(batches.allSatisfy { $0.rank == 3 })
        #expect(batches.first?.started.map(\.tasks) == [40_000])
        #expect(batches.last?.finished.map(\.id) == [0])
        var streamed: [String: Int] = [:]
        for batch in batches {
            // At most the cap plus one per kind, per worker, however many tasks ran.
            for w in 0..<workers { #expect(batch.segments.filter { $0.worker == w }.count <= 50 + 2) }
            for s in batch.segments {
                streamed["\(batch.kinds[s.kind])/\(s.worker)", default: 0] += s.count
                #expect(s.start <= s.end)
            }
        }
        #expect(streamed == expected)
        // The last batch carries the compute's final, cumulative counts per kind.
        let last = try #require(batches.last)
        let done = try #require(last.progress.first { $0.id == 0 })
        #expect(Dictionary(uniqueKeysWithValues: done.done.map { (last.kinds[$0.kind], $0.count) }) == ["a": 30_000, "b": 10_000])
        #expect(last.resources.count == 1 && last.resources[0].rssBytes > 0)
        #expect(!recorder.isBusy)
    }

    @Test func closeTasksOfOneKindShareASegment() {
        let plan = plan(a: 1_000, b: 0)
        let recorder = DashboardRecorder(mergeGap: 1e9, segmentCap: 10)
        recorder.computeStarted(plan: plan)
        for i in 0..<1_000 {
            recorder.taskStarted(plan: plan, task: i, worker: i % 2)
            recorder.taskFinished(plan: plan, task: i, worker: i % 2)
        }
        recorder.computeFinished(plan: plan, error: nil)
        let batch = recorder.drain(sample: false)
        #expect(batch.segments.count == 2)
        #expect(Set(batch.segments.map(\.count)) == [500])
        #expect(batch.progress.map(\.done) == [[KindCount(kind: 0, count: 1_000)]])
    }

    @Test func workerNumbersBeyondTheLanesShareTheLastLane() {
        let plan = plan(a: 3, b: 0)
        let recorder = DashboardRecorder()
        recorder.computeStarted(plan: plan)
        for (i, w) in [0, DashboardRecorder.maximumWorkers + 5, -1].enumerated() {
            recorder.taskStarted(plan: plan, task: i, worker: w)
            recorder.taskFinished(plan: plan, task: i, worker: w)
        }
        recorder.computeFinished(plan: plan, error: nil)
        let batch = recorder.drain(sample: false)
        #expect(batch.segments.map(\.count).reduce(0, +) == 3)
        #expect(Set(batch.segments.map(\.worker)) == [0, DashboardRecorder.maximumWorkers - 1])
    }

    /// Under MPI a rank counts only its share: totals, kinds and layers come from the local
    /// tasks, checked against a naive count over the same mask; many layers of one kind are
    /// counted once each (the identity set), however they interleave.
    @Test func aRanksShareCountsOnlyItsLocalTasks() throws {
        let layers = (0..<300).map { i in Layer(kind: i % 3 == 2 ? "b" : "a", count: 1 + i % 4) { _ in TaskSpec { _ in 0 } } }
        let plan = ExecutionPlan(outputs: layers.flatMap(\.refs), fuse: false)
        var generator = SystemRandomNumberGenerator()
        let local = (0..<plan.count).map { _ in Bool.random(using: &generator) }
        var kinds: [String: Int] = [:]
        var layerSets: [String: Set<ObjectIdentifier>] = [:]
        for i in 0..<plan.count where local[i] {
            kinds[plan.kind(i), default: 0] += 1
            layerSets[plan.kind(i), default: []].insert(ObjectIdentifier(plan.refs[i].layer))
        }
        let recorder = DashboardRecorder(rank: 1)
        recorder.computeStarted(plan: plan, localTasks: local)
        for i in 0..<plan.count where local[i] {
            recorder.taskStarted(plan: plan, task: i, worker: i % 3)
            recorder.taskFinished(plan: plan, task: i, worker: i % 3)
        }
        recorder.computeFinished(plan: plan, error: nil)
        let batch = recorder.drain(sample: false)
        let start = try #require(batch.started.first)
        #expect(start.tasks == local.filter { $0 }.count)
        #expect(Dictionary(uniqueKeysWithValues: start.kinds.map { (batch.kinds[$0.kind], $0.count) }) == kinds)
        #expect(Dictionary(uniqueKeysWithValues: start.layers.map { ($0.kind, $0.layers) }) == layerSets.mapValues(\.count))
        #expect(Dictionary(uniqueKeysWithValues: start.layers.map { ($0.kind, $0.tasks) }) == kinds)
        let done = try #require(batch.progress.first)
        #expect(Dictionary(uniqueKeysWithValues: done.done.map { (batch.kinds[$0.kind], $0.count) }) == kinds)
        #expect(batch.segments.reduce(0) { $0 + $1.count } == local.filter { $0 }.count)
    }

    /// A recorder given no rank reports the rank its task events carry; one given a rank keeps it.
    @Test func aRecorderLearnsItsRankFromTaskEvents() throws {
        let layer = Layer(kind: "a", count: 6) { _ in TaskSpec { _ in 0 } }
        let plan = ExecutionPlan(outputs: layer.refs, fuse: false)
        for (given, events, expected) in [(nil, 3, 3), (1, 3, 1), (nil, 0, 0)] as [(Int?, Int, Int)] {
            let recorder = DashboardRecorder(rank: given)
            #expect(recorder.drain(sample: false).rank == given ?? 0)
            recorder.computeStarted(plan: plan)
            for i in 0..<plan.count {
                recorder.taskStarted(plan: plan, task: i, rank: events, worker: i % 2)
                recorder.taskFinished(plan: plan, task: i, rank: events, worker: i % 2)
            }
            recorder.computeFinished(plan: plan, error: nil)
            let batch = recorder.drain(sample: false)
            #expect(batch.rank == expected && recorder.rank == expected)
            #expect(batch.segments.reduce(0) { $0 + $1.count } == plan.count)
        }
    }
}
