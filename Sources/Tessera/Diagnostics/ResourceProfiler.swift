#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

// The resource profiler (Dask's `ResourceProfiler`): while at least one observed compute runs, a
// background thread samples the process's CPU use and resident memory every `interval` seconds
// (100 ms by default), plus one sample as the first compute starts and one as the last ends, so
// even a short compute has a start and an end point.
//
// CPU % is the process's user + system CPU time consumed since the previous sample divided by the
// wall time between them (so 400% means four busy cores), read with getrusage (microseconds; the
// same counters /proc/self/stat rounds to 10 ms ticks); resident memory is VmRSS from
// /proc/self/status. Where /proc is missing (macOS), the peak resident size stands in.

/// Samples CPU % and resident memory while computes run; exports CSV and an SVG line plot.
///
/// ```swift
/// let resources = ResourceProfiler()
/// try resources.observe { try x.compute() }
/// try resources.csv().write(toFile: "resources.csv", atomically: true, encoding: .utf8)
/// ```
/// Thread-safe. Samples accumulate over every compute observed until `reset()`.
public final class ResourceProfiler: ComputeObserver, @unchecked Sendable {
    /// One measurement.
    public struct Sample: Sendable, Hashable {
        /// Seconds since the profiler was created (monotonic clock).
        public let time: Double
        /// CPU use since the previous sample, in percent of one core (0 for the first sample).
        public let cpuPercent: Double
        /// Resident set size in bytes.
        public let rssBytes: Int

        /// Resident set size in MiB.
        public var rssMiB: Double { Double(rssBytes) / 1_048_576 }

        /// Creates a sample (for tests and for merging samples from elsewhere).
        public init(time: Double, cpuPercent: Double, rssBytes: Int) {
            self.time = time
            self.cpuPercent = cpuPercent
            self.rssBytes = rssBytes
        }
    }

    private struct State {
        var samples: [Sample] = []
        var activeComputes = 0
        var lastCPU: Double = .nan
        var lastTime: Double = .nan
        var sampler: DispatchSemaphore?
    }

    /// Seconds between samples.
    public let interval: Double
    /// The monotonic time sample times count from.
    public let origin: Double
    private let state = LockedBox(State())

    /// Creates a profiler that samples every `interval` seconds while computes run.
    public init(interval: Double = 0.1) {
        self.interval = Swift.max(interval, 0.001)
        self.origin = monotonicSeconds()
    }

    /// The samples so far, oldest first.
    public var samples: [Sample] { state.withLock { $0.samples } }

    /// Forgets every sample.
    public func reset() { state.withLock { $0.samples = [] } }

    /// Takes a sample and, for the first running compute, starts sampling every ``interval`` seconds.
    public func computeStarted(plan: ExecutionPlan) {
        let startThread: DispatchSemaphore? = state.withLock { s in
            s.activeComputes += 1
            guard s.activeComputes == 1 else { return nil }
            takeSample(&s)
            let stop = DispatchSemaphore(value: 0)
            s.sampler = stop
            return stop
        }
        if let stop = startThread {
            let thread = Thread { [self] in
                // The semaphore doubles as an interruptible sleep: `stop` signals it.
                while stop.wait(timeout: .now() + interval) == .timedOut {
                    // Skip a wake-up that lost the race with the last compute's end.
                    state.withLock { s in if s.sampler === stop { takeSample(&s) } }
                }
            }
            thread.name = "tessera-resource-profiler"
            thread.start()
        }
    }

    /// Stops sampling when the last running compute ends, with one final sample.
    public func computeFinished(plan: ExecutionPlan, error: Error?) {
        state.withLock { s in
            s.activeComputes -= 1
            guard s.activeComputes == 0 else { return }
            takeSample(&s)
            s.sampler?.signal()
            s.sampler = nil
        }
    }

    /// Appends a sample; called with the lock held.
    private func takeSample(_ s: inout State) {
        let now = monotonicSeconds()
        let cpu = ProcessResources.cpuSeconds()
        let rss = ProcessResources.residentBytes()
        var percent = 0.0
        if !s.lastTime.isNaN, now > s.lastTime { percent = Swift.max(0, (cpu - s.lastCPU) / (now - s.lastTime) * 100) }
        // A sample right after the previous one has too short a window for a meaningful CPU %.
        if !s.lastTime.isNaN, now - s.lastTime < interval / 10, let last = s.samples.last { percent = last.cpuPercent }
        s.lastCPU = cpu
        s.lastTime = now
        s.samples.append(Sample(time: now - origin, cpuPercent: percent, rssBytes: rss))
    }
}

/// Reads the current process's CPU time and resident memory.
public enum ProcessResources {
    /// User + system CPU seconds used by this process so far.
    ///
    /// From `getrusage`, which reports microseconds; /proc/self/stat holds the same counters
    /// rounded to clock ticks (10 ms), too coarse for 100 ms samples: one tick is 10% of a core.
    /// /proc/self/stat is the fallback where getrusage fails.
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        if getrusage(rusageSelf, &usage) == 0 {
            return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
                + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
        }
        if let stat = readProcFile("/proc/self/stat"), let t = parseCPUSeconds(stat: stat, ticksPerSecond: ticksPerSecond) {
            return t
        }
        return 0
    }

    /// Resident set size in bytes (VmRSS); the peak resident size where /proc is missing.
    public static func residentBytes() -> Int {
        if let status = readProcFile("/proc/self/status"), let b = parseResidentBytes(status: status) { return b }
        var usage = rusage()
        getrusage(rusageSelf, &usage)
        #if os(Linux)
        return Int(usage.ru_maxrss) * 1024
        #else
        return Int(usage.ru_maxrss)
        #endif
    }

    #if os(Linux)
    private static let rusageSelf = __rusage_who_t(RUSAGE_SELF.rawValue)
    #else
    private static let rusageSelf = RUSAGE_SELF
    #endif

    static let ticksPerSecond: Double = {
        let t = sysconf(Int32(_SC_CLK_TCK))
        return t > 0 ? Double(t) : 100
    }()

    /// utime + stime (fields 14 and 15 of /proc/PID/stat) in seconds. The command name (field 2)
    /// may hold spaces and parentheses, so fields are counted after its last `)`.
    static func parseCPUSeconds(stat: String, ticksPerSecond: Double) -> Double? {
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is field 3 (state), so field n is fields[n - 3].
        guard fields.count > 12, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return nil }
        return (utime + stime) / ticksPerSecond
    }

    /// The `VmRSS:  1234 kB` line of /proc/PID/status, in bytes.
    static func parseResidentBytes(status: String) -> Int? {
        // Lines are found in the bytes: splitting the text by Characters (grapheme breaking) cost
        // over half a million instructions per call, and the dashboard samples several times a second.
        for bytes in status.utf8.split(separator: UInt8(ascii: "\n")) where bytes.starts(with: "VmRSS:".utf8) {
            let line = String(decoding: bytes, as: UTF8.self)
            let parts = line.dropFirst(6).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let value = parts.first.flatMap({ Int($0) }) else { return nil }
            let unit = parts.count > 1 ? parts[1].lowercased() : "kb"
            switch unit {
            case "kb": return value * 1024
            case "mb": return value * 1_048_576
            default: return value
            }
        }
        return nil
    }

    /// Reads a small /proc file with plain `read` (they report size 0, so read until EOF).
    static func readProcFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}
