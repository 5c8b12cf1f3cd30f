#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Atomics
import Foundation

// The progress bar (Dask's `dask.diagnostics.ProgressBar`). Workers only bump an atomic counter
// when a task finishes; a ticker thread redraws the line at most once per `interval` (0.1 s: ten
// redraws a second), in place with a carriage return and "erase to end of line". When the last
// observed compute ends it prints one final line ending in a newline: completed, or failed. A
// compute shorter than `minimum` prints nothing at all, so quick commands stay quiet.

/// A text progress bar on standard error for every compute that runs while it is installed.
///
/// ```swift
/// let total = try ProgressBar.with { try x.compute() }
/// // [########################                ] |  60% | 120/200 tasks | elapsed 1.2s | ETA 0.8s
/// // [########################################] | 100% | 200/200 tasks | completed in 2.0s
/// ```
/// Silent when standard error is not a terminal unless `force` is set. Several computes running
/// at once share one bar (their task counts add up).
public final class ProgressBar: ComputeObserver, @unchecked Sendable {
    /// Whether the bar draws at all: forced, or standard error is a terminal.
    public let isEnabled: Bool
    /// Computes shorter than this many seconds print nothing.
    public let minimum: Double
    /// The bar's width in characters, between the brackets.
    public let width: Int
    /// Seconds between redraws (at least 0.1 by default: at most ten redraws a second).
    public let interval: Double
    private let output: @Sendable (String) -> Void
    private let clock: @Sendable () -> Double
    private let drawsAutomatically: Bool

    private let done = ManagedAtomic<Int>(0)
    private struct State {
        var total = 0
        var active = 0
        var started = 0.0
        var lastDraw = -Double.infinity
        var ticker: DispatchSemaphore?
    }
    private let state = LockedBox(State())

    /// Creates a progress bar; install it with `observe(_:)` or use `ProgressBar.with`.
    ///
    /// - Parameters:
    ///   - minimum: computes shorter than this (seconds) print nothing; 0 shows every compute.
    ///   - width: characters between the brackets.
    ///   - interval: seconds between redraws.
    ///   - force: draw even when standard error is not a terminal.
    ///   - output: where the text goes; standard error when nil. Tests pass a fake terminal.
    ///   - isTerminal: whether `output` is a terminal; `isatty` on standard error when nil.
    ///   - clock: seconds on a monotonic clock; the system's when nil. Tests pass a fake clock.
    ///   - drawsAutomatically: whether a ticker thread redraws while computes run. Tests turn it
    ///     off and call `tick()` themselves.
    public init(minimum: Double = 0, width: Int = 40, interval: Double = 0.1, force: Bool = false,
                output: (@Sendable (String) -> Void)? = nil, isTerminal: Bool? = nil, clock: (@Sendable () -> Double)? = nil,
                drawsAutomatically: Bool = true) {
        self.minimum = minimum
        self.width = Swift.max(width, 1)
        self.interval = Swift.max(interval, 0.001)
        self.isEnabled = force || (isTerminal ?? (isatty(STDERR_FILENO) == 1))
        self.output = output ?? { text in
            FileHandle.standardError.write(Data(text.utf8))
        }
        self.clock = clock ?? monotonicSeconds
        self.drawsAutomatically = drawsAutomatically
    }

    /// Runs `body` with a progress bar installed (on standard error, if it is a terminal).
    /// - Parameters:
    ///   - minimum: computes shorter than this (seconds) print nothing.
    ///   - force: draw even when standard error is not a terminal.
    ///   - body: the work to watch; the bar sees the computes it starts.
    /// - Returns: what `body` returns.
    public static func with<T>(minimum: Double = 0, force: Bool = false, _ body: () throws -> T) rethrows -> T {
        try ProgressBar(minimum: minimum, force: force).observe(body)
    }

    /// Adds `plan`'s tasks to the total and, for the first running compute, starts redrawing.
    public func computeStarted(plan: ExecutionPlan) {
        guard isEnabled else { return }
        let ticker: DispatchSemaphore? = state.withLock { s in
            s.total += plan.count
            s.active += 1
            guard s.active == 1 else { return nil }
            s.started = clock()
            s.lastDraw = -Double.infinity
            done.store(0, ordering: .relaxed)
            guard drawsAutomatically else { return nil }
            let stop = DispatchSemaphore(value: 0)
            s.ticker = stop
            return stop
        }
        if let stop = ticker {
            let thread = Thread { [self] in
                while stop.wait(timeout: .now() + interval) == .timedOut { tick() }
            }
            thread.name = "tessera-progress"
            thread.start()
        }
    }

    /// Counts one more finished task.
    public func taskFinished(plan: ExecutionPlan, task: Int, worker: Int) {
        guard isEnabled else { return }
        done.wrappingIncrement(ordering: .relaxed)
    }

    /// Counts `count` tasks finished elsewhere (another rank's, reported to this one), so that
    /// one bar shows a job's progress across processes.
    /// - Parameter count: tasks finished since the last report.
    public func countFinished(_ count: Int) {
        guard isEnabled else { return }
        done.wrappingIncrement(by: count, ordering: .relaxed)
    }

    /// The tasks counted finished since the running (or last) compute started, here and
    /// through ``countFinished(_:)``.
    public var finishedTasks: Int { done.load(ordering: .relaxed) }

    /// Draws the final line (`completed in …` or `failed after …`) when the last running compute ends
    /// and it ran for at least ``minimum`` seconds.
    public func computeFinished(plan: ExecutionPlan, error: Error?) {
        guard isEnabled else { return }
        state.withLock { s in
            s.active -= 1
            guard s.active == 0 else { return }
            s.ticker?.signal()
            s.ticker = nil
            let elapsed = clock() - s.started
            let total = s.total
            s.total = 0
            guard elapsed >= minimum else { return }
            let finished = Swift.min(done.load(ordering: .relaxed), total)
            let tail = error == nil ? "completed in \(formatDuration(elapsed))" : "failed after \(formatDuration(elapsed))"
            output("\r" + line(done: error == nil ? total : finished, total: total, tail: tail) + "\u{1B}[K\n")
        }
    }

    /// Redraws the line if a compute is running, it has run for at least `minimum`, and the
    /// last redraw was at least `interval` ago. The ticker thread calls it; tests call it directly.
    public func tick() {
        guard isEnabled else { return }
        state.withLock { s in
            guard s.active > 0 else { return }
            let now = clock()
            let elapsed = now - s.started
            guard elapsed >= minimum, now - s.lastDraw >= interval * 0.999 else { return }
            s.lastDraw = now
            let finished = Swift.min(done.load(ordering: .relaxed), s.total)
            var tail = "elapsed \(formatDuration(elapsed))"
            if finished > 0 && finished < s.total {
                tail += " | ETA \(formatDuration(elapsed * Double(s.total - finished) / Double(finished)))"
            }
            output("\r" + line(done: finished, total: s.total, tail: tail) + "\u{1B}[K")
        }
    }

    /// `[#####     ] |  50% | 5/10 tasks | <tail>`
    func line(done: Int, total: Int, tail: String) -> String {
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let filled = Swift.min(width, Int((fraction * Double(width)).rounded(.down)))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        let percent = String(format: "%3d%%", Int((fraction * 100).rounded(.down)))
        return "[\(bar)] | \(percent) | \(done)/\(total) tasks | \(tail)"
    }
}
