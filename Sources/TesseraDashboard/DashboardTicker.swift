import Foundation

/// A thread that drains a ``DashboardRecorder`` every `interval` seconds and hands each batch on:
/// to the page (``Dashboard``) or to the rank that serves it (under MPI).
///
/// Memory and CPU are sampled four times a second while a compute runs and once a second while
/// idle: reading them from /proc costs more than the rest of a drain.
public final class DashboardTicker: @unchecked Sendable {
    private let stopped = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    private let once = NSLock()
    private var running = true

    /// Starts the thread.
    ///
    /// - Parameters:
    ///   - recorder: the recorder to drain.
    ///   - interval: seconds between two drains.
    ///   - deliver: called on the ticker's thread with every batch, empty ones included.
    public init(recorder: DashboardRecorder, interval: Double, deliver: @escaping @Sendable (DashboardUpdate) -> Void) {
        let thread = Thread { [stopped, done] in
            var lastSample = -Double.infinity
            while stopped.wait(timeout: .now() + interval) == .timedOut {
                let now = recorder.now()
                let sample = now - lastSample >= (recorder.isBusy ? 0.25 : 1)
                if sample { lastSample = now }
                deliver(recorder.drain(sample: sample))
            }
            done.signal()
        }
        thread.name = "tessera-dashboard"
        thread.start()
    }

    /// Stops the thread and waits until it has delivered its last batch; later calls do nothing.
    public func stop() {
        once.lock()
        defer { once.unlock() }
        guard running else { return }
        running = false
        stopped.signal()
        done.wait()
    }
}
