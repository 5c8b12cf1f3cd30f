import Foundation
import Testing
@testable import Tessera

/// Graph sizes and faults at scale (issue: reliability).
@Suite struct LimitsTests {
    /// Under ThreadSanitizer (`make tsan`) every memory access is instrumented: scale down.
    static let underSanitizer = ProcessInfo.processInfo.environment["TESSERA_SANITIZER"] != nil

    @Test func millionTaskGraphComputes() throws {
        let n = LimitsTests.underSanitizer ? 20_000 : 1_000_000
        // 500,000 leaves and a pairwise tree over them: 1,000,000 tasks, no fusion possible.
        let leaves = Layer(kind: "leaf", count: n / 2) { i in TaskSpec { _ in i } }
        var level = leaves.refs
        var made = level.count
        while level.count > 1 {
            let prev = level
            let pairs = prev.count / 2
            let layer = Layer(kind: "add", count: pairs) { i in
                TaskSpec(inputs: [prev[2 * i], prev[2 * i + 1]]) { ($0[0] as! Int) + ($0[1] as! Int) }
            }
            made += pairs
            level = layer.refs + (prev.count % 2 == 1 ? [prev.last!] : [])
        }
        #expect(made >= n - 1)
        let v = try TaskGraph(level).compute(scheduler: .threads(2))
        #expect(v[0] as! Int == (n / 2) * (n / 2 - 1) / 2)
    }

    @Test(arguments: [Scheduler.synchronous, .threads(2)])
    func faultInTheMiddleOfALargeGraph(scheduler: Scheduler) throws {
        let n = LimitsTests.underSanitizer ? 10_000 : 100_000
        let bad = n / 2
        let ran = LockedBox(0)
        let work = Layer(kind: "work", count: n) { i in
            TaskSpec { _ in
                if i == bad { throw Boom(n: i) }
                ran.withLock { $0 += 1 }
                return i
            }
        }
        let total = Layer(kind: "total", count: 1) { _ in TaskSpec(inputs: work.refs) { $0.count } }
        do {
            _ = try TaskGraph([total[0]]).compute(scheduler: scheduler)
            Issue.record("expected the fault to surface")
        } catch let failure as TaskFailure {
            #expect(failure.key == Key(work.name, [bad]))
            #expect((failure.underlying as? Boom)?.n == bad)
        }
        // The failure stops new work: the synchronous runner goes in index order and stops at
        // the fault; the pool may finish what its workers had started, but not the rest.
        let count = ran.withLock { $0 }
        if scheduler == .synchronous {
            #expect(count == bad)
        } else {
            #expect(count < n - 1, "\(count) of \(n - 1) tasks ran after the fault")
        }
        // The engine computes the next graph normally.
        let next = Layer(kind: "next", count: 1000) { i in TaskSpec { _ in i } }
        let sum = Layer(kind: "sum", count: 1) { _ in TaskSpec(inputs: next.refs) { $0.reduce(0) { $0 + ($1 as! Int) } } }
        #expect(try TaskGraph([sum[0]]).compute(scheduler: scheduler)[0] as! Int == 999 * 1000 / 2)
    }
}
