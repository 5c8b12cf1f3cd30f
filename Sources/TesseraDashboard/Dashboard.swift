import Foundation
import NIOConcurrencyHelpers
import Tessera

// The dashboard: a recorder installed as a process-wide compute observer, a ticker thread
// (`DashboardTicker`) that drains it ten times a second into the hub, and the HTTP server that serves the page and pushes
// the hub's news to it. Nothing runs per task but the recorder's two callbacks.

/// A live web page showing the computes of this program while they run, as dask's dashboard does:
/// the task stream per worker, progress per kind of task, memory and CPU over time, the current
/// plan's layers and the recent computes.
///
/// ```swift
/// let dashboard = try Dashboard.start(port: 8787)   // open dashboard.url in a browser
/// let total = try x.compute()                         // shown live
/// dashboard.finish()                                  // the page says the run finished
/// ```
/// Served on 127.0.0.1 unless another host is given; the page has no authentication, so bind
/// elsewhere only on a trusted network. Everything the page needs is served by the dashboard
/// itself (no CDN).
public final class Dashboard: @unchecked Sendable {
    /// The address the server listens on.
    public let host: String
    /// The port the server listens on (the system's choice when started with port 0).
    public let port: Int
    /// The recorder whose batches the dashboard shows; installed for every compute of the process.
    public let recorder: DashboardRecorder
    /// Seconds between two pushes to the page (at least 0.1: ten updates a second at most).
    public let interval: Double

    private let hub = NIOLockedValueBox(DashboardHub())
    private let server: DashboardServer
    private let ticker = NIOLockedValueBox<DashboardTicker?>(nil)
    private let lifecycle = NIOLockedValueBox((finished: false, stopped: false))

    /// The page's address, `http://HOST:PORT/`.
    public var url: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return "http://\(shown):\(port)/"
    }

    /// Starts serving the dashboard and installs its recorder for every compute of the process.
    ///
    /// - Parameters:
    ///   - host: the address to listen on; `127.0.0.1` keeps the page on this machine. Any other
    ///     address exposes it, without authentication, to whoever can reach it.
    ///   - port: the TCP port; 0 lets the system choose (read it back from ``port``).
    ///   - rank: this process's MPI rank, shown with its lanes (0 for a single process).
    ///   - interval: seconds between pushes to the page; values under 0.1 count as 0.1.
    ///   - observesAllComputes: install the recorder for every compute of the process (the
    ///     default); when false, only the computes run inside `dashboard.recorder.observe { … }`
    ///     are shown.
    /// - Returns: the running dashboard.
    /// - Throws: ``DashboardError/cannotListen(host:port:reason:)`` when the address can't be bound
    ///   (in use, or not an address of this machine).
    public static func start(host: String = "127.0.0.1", port: Int = 8787, rank: Int = 0, interval: Double = 0.1,
                             observesAllComputes: Bool = true) throws -> Dashboard {
        let dashboard = try Dashboard(host: host, port: port, rank: rank, interval: interval)
        if observesAllComputes { ComputeObservers.add(dashboard.recorder) }
        dashboard.startTicker()
        return dashboard
    }

    private init(host: String, port: Int, rank: Int, interval: Double) throws {
        self.host = host
        self.interval = Swift.max(interval, 0.1)
        recorder = DashboardRecorder(rank: rank)
        let hub = self.hub
        server = DashboardServer(snapshot: { deliver in hub.withLockedValue { deliver($0.snapshot()) } })
        try server.start(host: host, port: port)
        self.port = server.port
    }

    /// Adds a batch from another process (another MPI rank) to what the page shows.
    ///
    /// - Parameter update: a batch made by that process's ``DashboardRecorder/drain(sample:)``.
    public func ingest(_ update: DashboardUpdate) {
        hub.withLockedValue { $0.ingest(update) }
    }

    /// The state the page would get on connecting now, as JSON (what `GET /state` returns).
    public var stateJSON: String { hub.withLockedValue { $0.snapshot() } }

    /// How many pages are connected to the event stream.
    public var connectedPages: Int { server.clientCount }

    private func startTicker() {
        let ticker = DashboardTicker(recorder: recorder, interval: interval) { [unowned self] in push($0) }
        self.ticker.withLockedValue { $0 = ticker }
    }

    private func push(_ update: DashboardUpdate) {
        // Broadcast under the hub's lock, as pages register: see `DashboardServer.Snapshot`.
        hub.withLockedValue { h in
            h.ingest(update)
            guard !update.isEmpty || h.hasNews else { return }
            // With no page connected, nothing is written as JSON: the news only joins the history.
            guard server.clientCount > 0 else { return h.keepNews() }
            server.broadcast(event: "update", data: h.takeUpdate(), snapshot: { h.snapshot() })
        }
    }

    /// Marks the run finished: stops recording, sends the last state to the pages with a
    /// `finished` event (they keep showing it), and goes on serving the page until ``stop()``.
    public func finish() {
        let first = lifecycle.withLockedValue { l in defer { l.finished = true }; return !l.finished }
        guard first else { return }
        ComputeObservers.remove(recorder)
        ticker.withLockedValue { $0 }?.stop()
        push(recorder.drain(sample: true))
        // The last event is a whole snapshot, so every page ends with the complete state.
        hub.withLockedValue { h in
            h.finished = true
            guard server.clientCount > 0 else { return }
            let text = h.snapshot()
            server.broadcast(event: "finished", data: text, snapshot: { text })
        }
    }

    /// Finishes (see ``finish()``), closes every connection and stops the server.
    public func stop() {
        finish()
        let first = lifecycle.withLockedValue { l in defer { l.stopped = true }; return !l.stopped }
        guard first else { return }
        server.stop()
    }
}

/// Why the dashboard could not start.
public enum DashboardError: Error, CustomStringConvertible {
    /// The server could not listen on `host:port`.
    case cannotListen(host: String, port: Int, reason: String)

    /// What went wrong and what to try.
    public var description: String {
        switch self {
        case let .cannotListen(host, port, reason):
            return "the dashboard cannot listen on \(host):\(port) (\(reason)); choose another port with --dashboard PORT, or 0 for any free port"
        }
    }
}
