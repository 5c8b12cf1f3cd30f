import Foundation
import Testing
@testable import Tessera

/// Issue 22: a task that blocks on another graph's `await compute()` must not deadlock the pool,
/// and pools made for many distinct `.threads(n)` must not pile up threads.
@Suite struct PoolBlockingTests {
    /// Runs `body` on a fresh thread; false when it hasn't finished after `seconds`. Waits by
    /// sleeping, not blocking: the inner computes' Swift tasks need the cooperative threads.
    static func finishes(within seconds: Double, _ body: @escaping @Sendable () -> Void) async -> Bool {
        let done = LockedBox(false)
        Thread { body(); done.withLock { $0 = true } }.start()
        let deadline = Date().addingTimeInterval(seconds)
        while !done.withLock({ $0 }) && Date() < deadline { try? await Task.sleep(nanoseconds: 20_000_000) }
        return done.withLock { $0 }
    }

    /// A graph of `n` tasks, each bridging into async code: it starts a Swift `Task` that awaits
    /// the compute of a small inner graph on the same pool, and blocks until it is done. The sum
    /// of the inner graphs' results is checked against the closed form.
    static func bridgingGraph(tasks n: Int, scheduler: Scheduler) -> TaskGraph {
        let outer = Layer(kind: "bridge", count: n) { i in
            TaskSpec { _ in
                let inner = Layer(kind: "inner", count: 3) { k in TaskSpec { _ in i * 10 + k } }
                let total = Layer(kind: "inner-sum", count: 1) { _ in
                    TaskSpec(inputs: inner.refs) { args in args.reduce(0) { $0 + ($1 as! Int) } }
                }
                let box = LockedBox<Int?>(nil)
                let done = DispatchSemaphore(value: 0)
                Task {
                    let v = try await TaskGraph(total.refs).compute(scheduler: scheduler)[0] as! Int
                    box.withLock { $0 = v }
                    done.signal()
                }
                done.wait()
                return box.withLock { $0! }
            }
        }
        return TaskGraph(outer.refs)
    }

    @Test func blockingOnAsyncComputeInsideATaskDoesNotHang() async {
        // Three workers, eight bridging tasks: every worker blocks at once.
        let scheduler = Scheduler.threads(3)
        let result = LockedBox<[Int]>([])
        // Generous: other tests may hold Swift's cooperative threads (which the inner computes'
        // tasks need) for a while; a hang is forever.
        let ok = await Self.finishes(within: 300) {
            let values = (try? Self.bridgingGraph(tasks: 8, scheduler: scheduler).compute(scheduler: scheduler)) ?? []
            result.withLock { $0 = values.map { $0 as! Int } }
        }
        #expect(ok, "the compute hung")
        // Inner graph i sums 10i, 10i+1, 10i+2.
        #expect(result.withLock { $0 } == (0..<8).map { 30 * $0 + 3 })
    }

    @Test func manyDistinctPoolSizesDoNotPileUpThreads() throws {
        for n in 21...44 {
            let layer = Layer(kind: "tiny", count: 4) { i in TaskSpec { _ in i } }
            let values = try TaskGraph(layer.refs).compute(scheduler: .threads(n))
            #expect(values.map { $0 as! Int } == [0, 1, 2, 3])
        }
        // Sizes 21...44 together would be 780 threads; idle pools beyond a few are released.
        var live = ThreadPool.liveWorkerThreads
        for _ in 0..<100 where live > 200 {
            Thread.sleep(forTimeInterval: 0.05)
            live = ThreadPool.liveWorkerThreads
        }
        #expect(live <= 200, "\(live) pool threads alive")
    }
}
