import Foundation
import Testing
@testable import Tessera

@Suite struct ProgressBarTests {
    /// A 10-task plan to drive the bar by hand (the bar only needs its task count).
    func tenTaskPlan() -> ExecutionPlan {
        TaskGraph(Layer(kind: "work", count: 10) { i in TaskSpec { _ in i } }.refs).plan()
    }

    @Test func drawsInPlaceAtMostTenTimesASecondAndEndsWithOneLine() {
        let terminal = FakeTerminal()
        let clock = FakeClock()
        let bar = ProgressBar(width: 10, force: true, output: terminal.write, clock: clock.read, drawsAutomatically: false)
        let plan = tenTaskPlan()
        bar.computeStarted(plan: plan)
        bar.tick()
        #expect(terminal.screen == ["[          ] |   0% | 0/10 tasks | elapsed 0.0s"])
        for i in 0..<4 { bar.taskFinished(plan: plan, task: i, worker: 0) }
        clock.advance(0.05)
        bar.tick()  // 50 ms after the last draw: too soon
        #expect(terminal.writes.count == 1)
        clock.advance(0.05)
        bar.tick()
        #expect(terminal.writes.count == 2)
        // Redrawn in place: still one line on screen; ETA = elapsed × remaining / done.
        #expect(terminal.screen == ["[####      ] |  40% | 4/10 tasks | elapsed 0.1s | ETA 0.1s"])
        for _ in 0..<100 { clock.advance(0.001); bar.tick() }  // 100 calls over 0.1 s: one redraw
        #expect(terminal.writes.count == 3)
        for i in 4..<10 { bar.taskFinished(plan: plan, task: i, worker: 1) }
        clock.advance(1.8)
        bar.computeFinished(plan: plan, error: nil)
        #expect(terminal.screen == ["[##########] | 100% | 10/10 tasks | completed in 2.0s", ""])
        #expect(terminal.writes.allSatisfy { $0.hasPrefix("\r") && $0.contains("\u{1B}[K") })
        // After the compute ends, ticks draw nothing.
        bar.tick()
        #expect(terminal.writes.count == 4)
    }

    @Test func failureEndsWithAFailedLine() {
        let terminal = FakeTerminal()
        let clock = FakeClock()
        let bar = ProgressBar(width: 10, force: true, output: terminal.write, clock: clock.read, drawsAutomatically: false)
        let plan = tenTaskPlan()
        bar.computeStarted(plan: plan)
        for i in 0..<3 { bar.taskFinished(plan: plan, task: i, worker: 0) }
        clock.advance(0.25)
        bar.computeFinished(plan: plan, error: TaskFailure(key: Key("x"), kind: "x", underlying: CancellationError()))
        #expect(terminal.screen == ["[###       ] |  30% | 3/10 tasks | failed after 0.2s", ""])
    }

    @Test func shortComputesPrintNothing() {
        let terminal = FakeTerminal()
        let clock = FakeClock()
        let bar = ProgressBar(minimum: 0.5, force: true, output: terminal.write, clock: clock.read, drawsAutomatically: false)
        let plan = tenTaskPlan()
        bar.computeStarted(plan: plan)
        clock.advance(0.3)
        bar.tick()
        bar.computeFinished(plan: plan, error: nil)
        #expect(terminal.writes.isEmpty)
        // A long one shows once past the minimum.
        bar.computeStarted(plan: plan)
        clock.advance(0.3)
        bar.tick()
        #expect(terminal.writes.isEmpty)
        clock.advance(0.3)
        bar.tick()
        #expect(terminal.writes.count == 1)
        bar.computeFinished(plan: plan, error: nil)
        #expect(terminal.screen.first?.hasSuffix("completed in 0.6s") == true)
    }

    @Test func concurrentComputesShareOneBar() {
        let terminal = FakeTerminal()
        let clock = FakeClock()
        let bar = ProgressBar(width: 10, force: true, output: terminal.write, clock: clock.read, drawsAutomatically: false)
        let a = tenTaskPlan(), b = tenTaskPlan()
        bar.computeStarted(plan: a)
        bar.computeStarted(plan: b)
        for i in 0..<10 { bar.taskFinished(plan: a, task: i, worker: 0) }
        bar.computeFinished(plan: a, error: nil)
        #expect(terminal.writes.isEmpty)  // b still runs: no final line yet
        clock.advance(0.2)
        bar.tick()
        #expect(terminal.screen == ["[#####     ] |  50% | 10/20 tasks | elapsed 0.2s | ETA 0.2s"])
        for i in 0..<10 { bar.taskFinished(plan: b, task: i, worker: 0) }
        bar.computeFinished(plan: b, error: nil)
        #expect(terminal.screen.first == "[##########] | 100% | 20/20 tasks | completed in 0.2s")
    }

    @Test func silentWhenNotForcedAndNotATerminal() throws {
        // Test runners' standard error is a pipe or file, not a terminal.
        try #require(isatty(STDERR_FILENO) == 0)
        let terminal = FakeTerminal()
        let bar = ProgressBar(output: terminal.write)
        #expect(!bar.isEnabled)
        let (root, expected) = incAddTree(32)
        #expect(try bar.observe { try root.compute(scheduler: .threads(2)) } == expected)
        #expect(terminal.writes.isEmpty)
    }

    @Test func tickerRedrawsDuringARealCompute() throws {
        let terminal = FakeTerminal()
        let bar = ProgressBar(width: 20, interval: 0.02, force: true, output: terminal.write)
        let (root, expected) = incAddTree(16, sleep: 0.02)  // ≈ 0.16 s on two workers
        #expect(try bar.observe { try root.compute(scheduler: .threads(2)) } == expected)
        let screen = terminal.screen
        #expect(screen.last == "")
        #expect(screen.dropLast().last?.contains("| 100% |") == true)
        #expect(screen.dropLast().last?.contains("completed in") == true)
        #expect(terminal.writes.count >= 3)  // some redraws and the final line
    }
}
