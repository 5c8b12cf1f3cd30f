import Foundation
import Tessera

// One progress bar for a whole MPI job. Only rank 0 draws; its bar's total is the whole plan's
// task count (every rank builds the same plan), but it sees only its own tasks finish. The
// other ranks count theirs and send the counts to rank 0 as side messages (channel
// `MPIProgressRelay.channel`) at most every `interval` seconds and when their compute ends.
//
// A count names its compute by ordinal: the k-th compute over the ranks is the k-th on every
// rank (SPMD), so rank 0 adds a count to its bar only while it runs the same ordinal, keeps
// counts for an ordinal it has not reached yet, and drops those of one it has left. That way a
// late count never leaks into the next compute's bar, and an early one is not lost when the bar
// resets at its compute's start.

/// Feeds every rank's finished tasks into the progress bar on rank 0.
///
/// ```swift
/// let bar = ProgressBar(force: true)          // rank 0 only
/// let relay = MPIProgressRelay(bar: world.rank == 0 ? bar : nil)
/// if world.rank == 0 { ComputeObservers.add(bar) }
/// ComputeObservers.add(relay)                 // after the bar
/// ```
/// Install it after the bar: at a compute's start the bar resets its count, then the relay adds
/// what already arrived for that compute.
public final class MPIProgressRelay: ComputeObserver, @unchecked Sendable {
    /// The side-message channel the counts travel on.
    public static let channel: UInt64 = 1

    private let world: MPIWorld
    private let bar: ProgressBar?
    private let interval: Double
    private let lock = NSLock()
    // Guarded by `lock`.
    private var ordinal = 0
    private var unsent = 0
    private var lastSent = 0.0
    private var early: [Int: Int] = [:]

    /// Creates the relay for this rank.
    /// - Parameters:
    ///   - bar: rank 0's bar, which the counts of every other rank are added to; nil on the
    ///     other ranks, which send their counts.
    ///   - interval: the most seconds a rank holds its counts back while its compute runs.
    ///   - world: the MPI job.
    public init(bar: ProgressBar?, interval: Double = 0.1, world: MPIWorld = .shared) {
        self.world = world
        self.bar = world.rank == 0 ? bar : nil
        self.interval = interval
        if world.rank == 0 {
            world.setSideMessageHandler(channel: Self.channel) { [self] _, bytes in received(bytes) }
        }
    }

    /// Begins the next compute over the ranks (tasks of single-process computes are not counted).
    public func computeStarted(plan: ExecutionPlan, localTasks: [Bool]) {
        lock.lock()
        defer { lock.unlock() }
        ordinal += 1
        unsent = 0
        lastSent = Self.now()
        if let bar, let n = early.removeValue(forKey: ordinal) { bar.countFinished(n) }
        early = early.filter { $0.key > ordinal }
    }

    /// Counts one of this rank's tasks; ranks above 0 send their counts every `interval`.
    public func taskFinished(plan: ExecutionPlan, task: Int, worker: Int) {
        guard bar == nil && world.rank != 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        unsent += 1
        let t = Self.now()
        if t - lastSent >= interval { sendLocked(at: t) }
    }

    /// Sends what is left of this rank's count.
    public func computeFinished(plan: ExecutionPlan, error: Error?) {
        guard world.rank != 0 else { return }
        lock.lock()
        defer { lock.unlock() }
        sendLocked(at: Self.now())
    }

    private func sendLocked(at t: Double) {
        lastSent = t
        guard unsent > 0 else { return }
        var w = BlockWriter()
        w.write(Int64(ordinal))
        w.write(Int64(unsent))
        unsent = 0
        world.sendSideMessage(w.bytes, to: 0, channel: Self.channel)
    }

    /// Rank 0, on the communication thread: a count from another rank.
    private func received(_ bytes: [UInt8]) {
        guard let bar else { return }
        let parsed: (Int, Int)? = bytes.withUnsafeBytes { raw in
            var r = BlockReader(raw)
            guard let k = try? r.read(Int64.self), let n = try? r.read(Int64.self) else { return nil }
            return (Int(k), Int(n))
        }
        guard let (k, n) = parsed else { return }
        lock.lock()
        defer { lock.unlock() }
        if k == ordinal {
            bar.countFinished(n)
        } else if k > ordinal {
            early[k, default: 0] += n
        }
    }

    private static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
