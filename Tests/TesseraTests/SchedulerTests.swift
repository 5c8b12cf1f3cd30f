import Foundation
import Testing
@testable import Tessera

@Suite struct SchedulerTests {
    @Test(arguments: schedulers)
    func deepChainDoesNotOverflow(scheduler: Scheduler) throws {
        var x = Delayed(0)
        for _ in 0..<10_000 { x = x + 1 }
        #expect(try x.compute(scheduler: scheduler) == 10_000)
        // Unfused, every link is its own task.
        let values = try TaskGraph([x.ref]).compute(scheduler: scheduler, optimize: false)
        #expect(values[0] as! Int == 10_000)
    }

    @Test(arguments: [Scheduler.synchronous, .threads(2)])
    func wideFanIn(scheduler: Scheduler) throws {
        let n = LimitsTests.underSanitizer ? 50_000 : 1_000_000
        let leaves = Layer(kind: "leaf", count: n) { i in TaskSpec { _ in i } }
        let total = Layer(kind: "total", count: 1) { _ in
            TaskSpec(inputs: leaves.refs) { values in values.reduce(0) { $0 + ($1 as! Int) } }
        }
        let v = try TaskGraph([total[0]]).compute(scheduler: scheduler)
        #expect(v[0] as! Int == n * (n - 1) / 2)
    }

    @Test func treeReductionMatchesLoop() throws {
        // The `delayed` benchmark shape, small: inc leaves then a pairwise add tree.
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let add = delayed(name: "add") { (a: Int, b: Int) in a + b }
        var level = (0..<1000).map { inc(Delayed($0)) }
        while level.count > 1 {
            var next: [Delayed<Int>] = []
            for i in stride(from: 0, to: level.count - 1, by: 2) { next.append(add(level[i], level[i + 1])) }
            if level.count % 2 == 1 { next.append(level.last!) }
            level = next
        }
        let expected = (0..<1000).reduce(0) { $0 + $1 + 1 }
        for s in schedulers { #expect(try level[0].compute(scheduler: s) == expected) }
    }

    @Test func cullRunsOnlyReachableTasks() throws {
        let calls = LockedBox(0)
        let layer = Layer(kind: "counted", count: 10) { i in
            TaskSpec { _ in calls.withLock { $0 += 1 }; return i }
        }
        let plan = TaskGraph([layer[3], layer[7]]).plan()
        #expect(plan.count == 2)
        let v = try TaskGraph([layer[3], layer[7]]).compute()
        #expect(v.map { $0 as! Int } == [3, 7])
        #expect(calls.withLock { $0 } == 2)
    }

    @Test func fusionMergesLinearChains() throws {
        var x = Delayed(1)
        for _ in 0..<5 { x = x.map { $0 * 2 } }
        let fused = x.graph.plan(optimize: true)
        let unfused = x.graph.plan(optimize: false)
        #expect(unfused.count == 6)
        #expect(fused.count == 1)
        #expect(fused.fusedCounts == [6])
        #expect(try x.compute() == 32)
        // A value with two consumers is not fused away.
        let y = Delayed(3).map { $0 + 1 }
        let z = y + y.map { $0 * 10 }
        #expect(try z.compute() == 44)
        #expect(z.graph.plan().count == 3)
    }

    /// Chains of different lengths, interleaved with unfused tasks, each keep their own tasks in
    /// run order, and a chain that throws names the link that threw, on both schedulers.
    @Test func fusedChainsKeepTheirTasksAndNameTheOneThatThrew() throws {
        let a0 = Delayed(1, name: "a0"), c = Delayed(5, name: "c")
        let a1 = a0.map(name: "a1") { $0 + 1 }
        let a2 = a1.map(name: "a2") { $0 * 10 }
        let b0 = Delayed(2, name: "b0")
        let b1 = b0.map(name: "b1") { $0 + 3 }
        let total = delayed(name: "sum", [a2, b1, c, c.map(name: "c1") { $0 * 2 }]) { $0.reduce(0, +) }
        let plan = total.graph.plan()
        var chains: [[String]] = []
        for i in 0..<plan.count {
            if let chain = plan.fusedRefs[i] {
                #expect(plan.fusedCounts[i] == chain.count)
                #expect(chain.last?.key == plan.key(i))
                chains.append(chain.map(\.key.description))
            } else {
                #expect(plan.fusedCounts[i] == 1)
            }
        }
        #expect(Set(chains) == [[a0.key.description, a1.key.description, a2.key.description],
                                [b0.key.description, b1.key.description]])
        for s in schedulers { #expect(try total.compute(scheduler: s) == 20 + 5 + 5 + 10) }

        let broken = a0.map(name: "ok") { $0 + 1 }.map(name: "bad") { (_: Int) -> Int in throw Boom(n: 7) }.map(name: "after") { $0 }
        let wide = delayed(name: "sum", [broken, b1]) { $0.reduce(0, +) }
        for s in schedulers {
            do {
                _ = try wide.compute(scheduler: s)
                Issue.record("a throwing link computed")
            } catch let failure as TaskFailure {
                #expect(failure.key.name.hasPrefix("bad-"))
            }
        }
        // The throwing chain numbered after another one (its links found at an offset in the flat
        // lists), and a chain whose last link throws (found among the plan's own tasks).
        let lastBad = b0.map(name: "b-ok") { $0 + 1 }.map(name: "last-bad") { (_: Int) -> Int in throw Boom(n: 8) }
        for (graph, expected) in [(delayed(name: "sum", [b1, broken]) { $0.reduce(0, +) }, "bad-"),
                                  (delayed(name: "sum", [a2, lastBad]) { $0.reduce(0, +) }, "last-bad-")] {
            #expect(graph.graph.plan().fusedCounts.filter { $0 > 1 }.count == 2)
            for s in schedulers {
                do {
                    _ = try graph.compute(scheduler: s)
                    Issue.record("a throwing link computed")
                } catch let failure as TaskFailure {
                    #expect(failure.key.name.hasPrefix(expected), "\(failure.key)")
                }
            }
        }
    }

    @Test func intermediateResultsAreReleased() throws {
        final class Tracked: @unchecked Sendable {
            static let live = LockedBox(0)
            init() { Tracked.live.withLock { $0 += 1 } }
            deinit { Tracked.live.withLock { $0 -= 1 } }
        }
        let peak = LockedBox(0)
        let make = Layer(kind: "make", count: 64) { _ in
            TaskSpec { _ in
                let t = Tracked()
                let live = Tracked.live.withLock { $0 }
                peak.withLock { $0 = max($0, live) }
                return t
            }
        }
        let consume = Layer(kind: "consume", count: 64) { i in TaskSpec(inputs: [make[i]]) { _ in 1 } }
        let total = Layer(kind: "total", count: 1) { _ in
            TaskSpec(inputs: consume.refs) { $0.count }
        }
        for s in [Scheduler.synchronous, .threads(2)] {
            peak.withLock { $0 = 0 }
            let v = try TaskGraph([total[0]]).compute(scheduler: s, optimize: false)
            #expect(v[0] as! Int == 64)
            #expect(Tracked.live.withLock { $0 } == 0)
            // Depth-first order consumes each block right after it is made.
            #expect(peak.withLock { $0 } <= 8)
        }
    }

    @Test func parallelMapPreservesOrderAndRethrows() throws {
        let squares = try (0..<10_000).parallelMap(scheduler: .threads(2)) { $0 * $0 }
        #expect(squares == (0..<10_000).map { $0 * $0 })
        #expect(try [Int]().parallelMap { $0 } == [])
        #expect(throws: Boom.self) {
            _ = try (0..<1000).parallelMap(scheduler: .threads(2)) { i -> Int in
                if i == 500 { throw Boom(n: i) }
                return i
            }
        }
    }

    /// Inputs reach a task in argument order on every scheduler: the values span 30 orders of
    /// magnitude, so a left fold in any other order rounds differently, and the ordered list
    /// of indices must come back exactly.
    @Test func resultsIndependentOfScheduler() throws {
        @Sendable func value(_ i: Int) -> Double { (i % 2 == 0 ? 1 : -1) * pow(10, Double((i * 7) % 31)) + Double(i) / 3 }
        let layer = Layer(kind: "part", count: 37) { i in TaskSpec { _ in (i, value(i)) } }
        let total = Layer(kind: "fold", count: 1) { _ in
            TaskSpec(inputs: layer.refs) { args in
                let parts = args.map { $0 as! (Int, Double) }
                return (parts.map(\.0), parts.reduce(0.0) { $0 + $1.1 })
            }
        }
        let reference = (0..<37).reduce(0.0) { $0 + value($1) }
        var shuffled = Array(0..<37)
        shuffled.reverse()
        #expect(shuffled.reduce(0.0) { $0 + value($1) } != reference, "the values must make order visible")
        for s in schedulers {
            let (order, sum) = try TaskGraph([total[0]]).compute(scheduler: s)[0] as! ([Int], Double)
            #expect(order == Array(0..<37))
            #expect(sum == reference)
        }
    }

    @Test func nestedComputeInsideTaskDoesNotDeadlock() throws {
        let outer = delayed(name: "outer") { (x: Int) throws -> Int in
            try (Delayed(x) + 1).compute()
        }
        let parts = (0..<16).map { outer(Delayed($0)) }
        let total = delayed(name: "sum", parts) { $0.reduce(0, +) }
        #expect(try total.compute(scheduler: .threads(2)) == (1...16).reduce(0, +))
    }

    /// The scoped default changes the scheduler inside the closure only; suites running in
    /// parallel never see it (the process-wide setter would leak into them).
    @Test func scopedDefaultScheduler() throws {
        let outside = Scheduler.default
        let seen = LockedBox<Int?>(nil)
        let probe = delayed(name: "probe") { (x: Int) -> Int in
            seen.withLock { $0 = WorkerIdentity.current }
            return x * 3
        }
        let inside = try Scheduler.withDefault(.synchronous) { () throws -> Int in
            #expect(Scheduler.default == .synchronous)
            return try probe(Delayed(2)).compute()
        }
        #expect(inside == 6)
        #expect(seen.withLock { $0 } == nil, "a synchronous compute runs on the calling thread, outside every pool")
        #expect(Scheduler.default == outside)
        #expect(try Scheduler.withDefault(.threads(2)) { try probe(Delayed(2)).compute() } == 6)
        #expect(seen.withLock { $0 } != nil, "a threads compute runs on a pool worker")
    }
}
