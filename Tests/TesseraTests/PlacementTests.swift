import Testing
@testable import Tessera

/// Placement is pure: these check its rules on small plans, with no process but this one.
@Suite struct PlacementTests {
    /// `blocks` source tasks, then a pairwise tree of sums down to one value.
    static func pairwiseTree(blocks: Int) -> (source: Layer, levels: [Layer]) {
        let source = Layer(kind: "read", count: blocks) { i in TaskSpec { _ in i } }
        var levels: [Layer] = []
        var below = source.refs
        while below.count > 1 {
            let inputs = below
            let layer = Layer(kind: "combine", count: (inputs.count + 1) / 2) { j in
                TaskSpec(inputs: Array(inputs[(2 * j)..<min(2 * j + 2, inputs.count)])) { v in v.reduce(0) { $0 + ($1 as! Int) } }
            }
            levels.append(layer)
            below = layer.refs
        }
        return (source, levels)
    }

    /// The rank of task `ref` under `placement`, found by the task's position in the plan.
    static func rank(of ref: TaskRef, in plan: ExecutionPlan, _ placement: Placement) -> Int {
        let i = plan.refs.firstIndex { $0.layer === ref.layer && $0.index == ref.index }!
        return Int(placement.rankOfTask[i])
    }

    @Test func sourcesSpreadInContiguousRanges() {
        let (source, levels) = Self.pairwiseTree(blocks: 10)
        let plan = TaskGraph(levels.last!.refs).plan(optimize: false)
        for ranks in 1...5 {
            let p = Placement(plan: plan, ranks: ranks)
            let got = (0..<10).map { Self.rank(of: source[$0], in: plan, p) }
            // Independent reference: block k of n on rank floor(k * ranks / n), hence ascending.
            #expect(got == (0..<10).map { $0 * ranks / 10 })
            #expect(got == got.sorted())
        }
    }

    @Test func treeReductionPairsNeighbouringRanksFirst() {
        let (_, levels) = Self.pairwiseTree(blocks: 8)
        let plan = TaskGraph(levels.last!.refs).plan(optimize: false)
        let p = Placement(plan: plan, ranks: 4)
        // Blocks 2r and 2r+1 are on rank r; the first level combines them there, the second
        // meets on ranks 0 and 2, the root on 0.
        #expect((0..<4).map { Self.rank(of: levels[0][$0], in: plan, p) } == [0, 1, 2, 3])
        #expect((0..<2).map { Self.rank(of: levels[1][$0], in: plan, p) } == [0, 2])
        #expect(Self.rank(of: levels[2][0], in: plan, p) == 0)
        // Exactly one value crosses ranks per combine above the first level: 2 + 1 = 3 edges.
        var crossing = 0
        for i in 0..<plan.count {
            for d in plan.inputs(of: i) where p.rankOfTask[Int(d)] != p.rankOfTask[i] { crossing += 1 }
        }
        #expect(crossing == 3)
    }

    @Test func taskFollowsMostOfItsInputs() {
        let a = Layer(kind: "a", count: 4) { i in TaskSpec { _ in i } }
        // Task 0 reads blocks 1, 2, 3 (ranks 0, 1, 1 on 2 ranks): rank 1 holds most of them.
        let c = Layer(kind: "c", count: 2) { j in
            TaskSpec(inputs: j == 0 ? [a[1], a[2], a[3]] : [a[0]]) { _ in 0 }
        }
        let plan = TaskGraph(c.refs).plan(optimize: false)
        let p = Placement(plan: plan, ranks: 2)
        #expect(Self.rank(of: c[0], in: plan, p) == 1)
        #expect(Self.rank(of: c[1], in: plan, p) == 0)
    }

    @Test func elementwiseFollowsItsBlockAndSingleOutputEndsOnRankZero() {
        let a = Layer(kind: "a", count: 6) { i in TaskSpec { _ in Double(i) } }
        let b = Layer(kind: "b", count: 6) { i in TaskSpec(inputs: [a[i]]) { v in (v[0] as! Double) * 2 } }
        let total = Layer(kind: "total", count: 1) { _ in TaskSpec(inputs: b.refs) { v in v.count } }
        let plan = TaskGraph([total[0]]).plan(optimize: false)
        let p = Placement(plan: plan, ranks: 3)
        for i in 0..<6 { #expect(Self.rank(of: b[i], in: plan, p) == Self.rank(of: a[i], in: plan, p)) }
        #expect(Self.rank(of: total[0], in: plan, p) == 0)
        #expect(Set(p.rankOfTask) == [0, 1, 2])
        #expect(p.tasks(on: 0).count + p.tasks(on: 1).count + p.tasks(on: 2).count == plan.count)
    }

    @Test func singleTaskDelayedLeavesSpreadOverRanks() {
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let leaves = (0..<12).map { inc(Delayed($0)) }
        let total = delayed(leaves) { $0.reduce(0, +) }
        let plan = total.graph.plan()
        let p = Placement(plan: plan, ranks: 3)
        let leafRanks = (0..<plan.count).filter { plan.inputs(of: $0).isEmpty }.map { Int(p.rankOfTask[$0]) }
        #expect(leafRanks.count == 12)
        #expect(leafRanks == (0..<12).map { $0 * 3 / 12 })
    }

    @Test func placementIsAFunctionOfThePlanAlone() {
        // Two builds of the same program: different layer serials, same placement and shape.
        let first = TaskGraph(Self.pairwiseTree(blocks: 13).levels.last!.refs).plan()
        let second = TaskGraph(Self.pairwiseTree(blocks: 13).levels.last!.refs).plan()
        #expect(first.refs[0].layer.name != second.refs[0].layer.name)
        #expect(Placement(plan: first, ranks: 3) == Placement(plan: second, ranks: 3))
    }
}

@Suite struct PlanShapeTests {
    @Test func sameProgramSameHashDifferentGraphDifferentHash() {
        func build(blocks: Int, kind: String = "combine") -> ExecutionPlan {
            let source = Layer(kind: "read", count: blocks) { i in TaskSpec { _ in i } }
            let total = Layer(kind: kind, count: 1) { _ in TaskSpec(inputs: source.refs) { $0.count } }
            return TaskGraph([total[0]]).plan()
        }
        #expect(build(blocks: 5).shapeHash == build(blocks: 5).shapeHash)
        // A different file listing (one block more), a different operation, a different wiring.
        #expect(build(blocks: 5).shapeHash != build(blocks: 6).shapeHash)
        #expect(build(blocks: 5).shapeHash != build(blocks: 5, kind: "other").shapeHash)
        let s = Layer(kind: "read", count: 5) { i in TaskSpec { _ in i } }
        let swapped = Layer(kind: "combine", count: 1) { _ in TaskSpec(inputs: s.refs.reversed()) { $0.count } }
        #expect(build(blocks: 5).shapeHash != TaskGraph([swapped[0]]).plan().shapeHash)
    }

    @Test func hashIsFNV1aOverTheWords() {
        // Reference: FNV-1a 64 of the empty input is the offset basis; of one zero byte, known value.
        var h = ShapeHasher()
        #expect(h.value == 0xcbf2_9ce4_8422_2325)
        h.mix("a")
        var reference: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in [UInt8(ascii: "a"), 1, 0, 0, 0, 0, 0, 0, 0] { reference = (reference ^ UInt64(b)) &* 0x100_0000_01b3 }
        #expect(h.value == reference)
    }
}

@Suite struct ExecutorTests {
    /// An executor from outside the engine: counts its runs, delegates to the synchronous one.
    struct Counting: Executor {
        let runs: LockedBox<Int>
        var workers: Int { 1 }
        var description: String { "counting" }
        static func == (a: Counting, b: Counting) -> Bool { a.runs === b.runs }
        func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(runs)) }
        func run(_ plan: ExecutionPlan, observers: [ComputeObserver]) throws -> [Any] {
            runs.withLock { $0 += 1 }
            return try Scheduler.synchronous.executor.run(plan, observers: observers)
        }
    }

    @Test func aNewExecutorPlugsInWithoutTouchingTheEngine() async throws {
        let runs = LockedBox(0)
        let scheduler = Scheduler(Counting(runs: runs))
        let x = Delayed(20) + 22
        let blocking: () throws -> Int = { try x.compute(scheduler: scheduler) }
        #expect(try blocking() == 42)
        #expect(try await x.compute(scheduler: scheduler) == 42)
        #expect(runs.withLock { $0 } == 2)
        #expect(scheduler.description == "counting")
        #expect(scheduler == Scheduler(Counting(runs: runs)))
        #expect(scheduler != .synchronous)
        #expect(Scheduler.threads(3) == .threads(3) && Scheduler.threads(3) != .threads(2))
        #expect(Scheduler.threads(3).description == "threads(3)")
    }
}
