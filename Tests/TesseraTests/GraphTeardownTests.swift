import Foundation
import Testing
@testable import Tessera

/// Dropping a long graph frees it without recursing once per layer (which overflowed the stack
/// at 100,000 `x = inc(x)` in release builds, sooner in debug ones).
@Suite struct GraphTeardownTests {
    /// Counts instances alive, to see a dropped graph really freed.
    final class Tracked: Sendable {
        static let alive = LockedBox(0)
        let n: Int
        init(_ n: Int) { self.n = n; Tracked.alive.withLock { $0 += 1 } }
        deinit { Tracked.alive.withLock { $0 -= 1 } }
    }

    @Test(arguments: [Scheduler.synchronous, .threads(2)])
    func aLongDelayedChainComputesAndIsFreed(scheduler: Scheduler) throws {
        let n = 150_000
        weak var first: Layer?
        do {
            let inc = delayed(name: "inc") { (x: Int) in x + 1 }
            var x = Delayed(0)
            first = x.ref.layer
            for _ in 0..<n { x = inc(x) }
            #expect(try x.compute(scheduler: scheduler) == n)
        }
        // The chain's first layer goes only after all 150,000 above it. A pool's worker lets go
        // of its plan (which refers to every layer) just after handing the result over.
        let deadline = ContinuousClock.now + .seconds(20)
        while first != nil, ContinuousClock.now < deadline { usleep(10_000) }
        #expect(first == nil)
    }

    @Test func aLongChainOfTaskMakersIsFreed() {
        let before = Tracked.alive.withLock { $0 }
        do {
            // Each layer's maker captures the layer below and a tracked object.
            var layer = Layer(kind: "base", values: [0])
            for i in 0..<150_000 {
                let below = layer, tracked = Tracked(i)
                layer = Layer(kind: "step", count: 1) { _ in
                    TaskSpec(inputs: [below[0]]) { values in (values[0] as! Int) + tracked.n - tracked.n + 1 }
                }
            }
            #expect(Tracked.alive.withLock { $0 } == before + 150_000)
        }
        #expect(Tracked.alive.withLock { $0 } == before)
    }

    @Test func droppingOneLongBranchKeepsTheSharedPartAlive() throws {
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        var shared = Delayed(0)
        for _ in 0..<(GraphTeardown.maximumDepth * 3) { shared = inc(shared) }
        weak var branchEnd: Layer?
        do {
            var branch = shared
            for _ in 0..<(GraphTeardown.maximumDepth * 5) { branch = inc(branch) }
            branchEnd = branch.ref.layer
            #expect(try branch.compute(scheduler: .synchronous) == GraphTeardown.maximumDepth * 8)
        }
        #expect(branchEnd == nil)
        #expect(GraphTeardown.current.depth == 0)
        #expect(try shared.compute(scheduler: .synchronous) == GraphTeardown.maximumDepth * 3)
    }
}
