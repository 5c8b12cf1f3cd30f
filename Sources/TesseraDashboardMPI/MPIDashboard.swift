import Foundation
import NIOConcurrencyHelpers
import Tessera
import TesseraDashboard
import TesseraMPI

// The dashboard of an MPI job: rank 0 serves the page (a plain `Dashboard`, its own recorder
// numbering its lanes as rank 0); every other rank installs a `DashboardRecorder` with its rank
// and a ticker thread that drains it every `interval` seconds and sends the batch, as JSON, to
// rank 0 through the MPI communication thread's side messages (`MPIWorld.sendSideMessage`).
// Rank 0's side-message handler hands each batch to `Dashboard.ingest`, so the page shows one
// lane per (rank, worker), progress summed over the ranks (each rank counts only its own tasks),
// and memory and CPU per process. This bridge is its own target so that neither TesseraDashboard
// nor TesseraMPI depends on the other.
//
// Finishing: every rank calls `finish()` before `MPIWorld.finalize()`. A rank above 0 sends its
// last batch marked `last`; rank 0 waits (up to `finishTimeout`) until every rank's last batch
// has arrived, so the page's final state holds every task of every rank. Batches from one rank
// arrive in order, so nothing of a rank comes after its last batch.

/// A live dashboard for a program run under MPI (`Scheduler.mpi`): rank 0 serves the page, the
/// other ranks send their batches to it.
///
/// ```swift
/// let dashboard = try MPIDashboard.start(port: 8787)   // on every rank; rank 0 prints nothing
/// let total = try x.sum().compute(scheduler: .mpi())
/// dashboard.finish()                                  // on every rank, before finalize
/// MPIWorld.shared.finalize()
/// ```
public final class MPIDashboard: @unchecked Sendable {
    /// The dashboard serving the page (rank 0 only; nil on the other ranks).
    public let dashboard: Dashboard?
    /// Seconds rank 0's `finish()` waits for the other ranks' last batches.
    public let finishTimeout: Double

    private let world: MPIWorld
    private let recorder: DashboardRecorder?
    private let interval: Double
    private let ticker: DashboardTicker?
    private let finished = NIOLockedValueBox(false)
    /// Rank 0: the ranks whose last batch arrived, and batches that could not be read.
    private let arrivals = NIOLockedValueBox((last: Set<Int>(), unreadable: 0))
    private let allArrived = DispatchSemaphore(value: 0)

    /// One batch as it travels between ranks.
    struct Envelope: Codable {
        var update: DashboardUpdate
        /// The sending rank's final batch.
        var last: Bool
    }

    /// Starts the dashboard on every rank of the job: the server on rank 0, a recorder that
    /// forwards to it on the others. Call on every rank, after MPI started (any use of
    /// `MPIWorld.shared` starts it).
    ///
    /// - Parameters:
    ///   - host: the address rank 0 listens on; `127.0.0.1` keeps the page on rank 0's machine.
    ///     Any other address exposes it, without authentication.
    ///   - port: rank 0's TCP port; 0 lets the system choose (read `dashboard.port` on rank 0).
    ///   - interval: seconds between batches (and pushes to the page); at least 0.1.
    ///   - finishTimeout: seconds rank 0's ``finish()`` waits for the other ranks' last batches.
    ///   - world: the MPI job (the process's `MPIWorld.shared`).
    /// - Returns: the running dashboard.
    /// - Throws: `DashboardError.cannotListen` on rank 0 when the address can't be bound.
    public static func start(host: String = "127.0.0.1", port: Int = 8787, interval: Double = 0.1,
                             finishTimeout: Double = 30, world: MPIWorld = .shared) throws -> MPIDashboard {
        try MPIDashboard(host: host, port: port, interval: interval, finishTimeout: finishTimeout, world: world)
    }

    private init(host: String, port: Int, interval: Double, finishTimeout: Double, world: MPIWorld) throws {
        self.world = world
        self.interval = Swift.max(interval, 0.1)
        self.finishTimeout = finishTimeout
        if world.rank == 0 {
            let dashboard = try Dashboard.start(host: host, port: port, rank: 0, interval: interval)
            self.dashboard = dashboard
            recorder = nil
            ticker = nil
            if world.size == 1 { allArrived.signal() }
            world.setSideMessageHandler { [self] source, bytes in received(from: source, bytes) }
        } else {
            dashboard = nil
            let recorder = DashboardRecorder(rank: world.rank)
            self.recorder = recorder
            ComputeObservers.add(recorder)
            ticker = DashboardTicker(recorder: recorder, interval: self.interval) { [world] update in
                if !update.isEmpty { Self.send(update, last: false, world: world) }
            }
        }
    }

    /// Rank 0, on the communication thread: one batch from another rank.
    private func received(from source: Int, _ bytes: [UInt8]) {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(bytes)) else {
            arrivals.withLockedValue { $0.unreadable += 1 }
            return
        }
        dashboard?.ingest(envelope.update)
        guard envelope.last else { return }
        let complete = arrivals.withLockedValue { a in
            a.last.insert(source)
            return a.last.count == world.size - 1
        }
        if complete { allArrived.signal() }
    }

    private static func send(_ update: DashboardUpdate, last: Bool, world: MPIWorld) {
        guard let data = try? JSONEncoder().encode(Envelope(update: update, last: last)) else { return }
        world.sendSideMessage([UInt8](data), to: 0)
    }

    /// Ends the run on this rank; call on every rank after the last compute and before
    /// `MPIWorld.finalize()`. Ranks above 0 send their last batch; rank 0 waits for every
    /// rank's last batch (at most ``finishTimeout`` seconds), then marks the page finished
    /// (it goes on serving it until ``stop()``).
    /// - Returns: on rank 0, whether every rank's last batch arrived in time; true elsewhere.
    @discardableResult
    public func finish() -> Bool {
        let first = finished.withLockedValue { f in defer { f = true }; return !f }
        guard first else { return true }
        if let recorder {
            ComputeObservers.remove(recorder)
            ticker?.stop()
            Self.send(recorder.drain(sample: true), last: true, world: world)
            return true
        }
        let complete = allArrived.wait(timeout: .now() + finishTimeout) == .success
        dashboard?.finish()
        return complete
    }

    /// Rank 0: the ranks whose last batch has arrived (this rank excluded).
    public var ranksFinished: Set<Int> { arrivals.withLockedValue { $0.last } }

    /// Finishes (see ``finish()``) and, on rank 0, stops the server.
    public func stop() {
        finish()
        dashboard?.stop()
    }
}
