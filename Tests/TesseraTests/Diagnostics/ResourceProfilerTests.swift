import Foundation
import Testing
@testable import Tessera

@Suite struct ResourceProfilerTests {
    @Test func samplesEveryIntervalWhileComputing() throws {
        let resources = ResourceProfiler(interval: 0.05)
        let (root, expected) = incAddTree(8, sleep: 0.05)  // ≈ 0.4 s on one worker
        #expect(try resources.observe { try root.compute(scheduler: .synchronous) } == expected)
        let samples = resources.samples
        // One sample at start, one at the end, and roughly one per interval between.
        #expect(samples.count >= 5)
        #expect(samples.count <= 14)
        #expect(zip(samples, samples.dropFirst()).allSatisfy { $0.time <= $1.time })
        #expect(samples.allSatisfy { $0.rssBytes > 1_000_000 && $0.cpuPercent >= 0 })
        // Nothing is sampled once the compute is over.
        Thread.sleep(forTimeInterval: 0.15)
        #expect(resources.samples.count == samples.count)
    }

    @Test func busyWorkShowsCPUUse() throws {
        let resources = ResourceProfiler(interval: 0.05)
        let spin = delayed(name: "spin") { (n: Int) -> Double in
            let end = Date().addingTimeInterval(0.3)
            var x = Double(n)
            while Date() < end { x = (x * 1.000001).truncatingRemainder(dividingBy: 1e9) }
            return x
        }
        _ = try resources.observe { try spin(Delayed(3)).compute(scheduler: .synchronous) }
        // One core spinning: the middle samples sit near 100% (leave room for a loaded machine).
        let middle = resources.samples.dropFirst().dropLast()
        #expect(middle.map(\.cpuPercent).max() ?? 0 > 40)
    }

    @Test func csvParsesBackToTheSamples() throws {
        let resources = ResourceProfiler(interval: 0.02)
        let (root, _) = incAddTree(4, sleep: 0.03)
        _ = try resources.observe { try root.compute(scheduler: .synchronous) }
        let lines = resources.csv().split(separator: "\n").map(String.init)
        #expect(lines.first == "time_s,cpu_percent,rss_mib")
        let rows = try lines.dropFirst().map { line -> [Double] in
            let fields = line.split(separator: ",").map { Double($0) }
            try #require(fields.count == 3 && fields.allSatisfy { $0 != nil })
            return fields.map { $0! }
        }
        let samples = resources.samples
        #expect(rows.count == samples.count)
        for (row, s) in zip(rows, samples) {
            #expect(abs(row[0] - s.time) < 1e-3)
            #expect(abs(row[1] - s.cpuPercent) < 0.01)
            #expect(abs(row[2] - s.rssMiB) < 0.001)
        }
    }

    @Test func svgHasLabelledAxesAndTwoLines() throws {
        let resources = ResourceProfiler(interval: 0.02)
        let (root, _) = incAddTree(4, sleep: 0.02)
        _ = try resources.observe { try root.compute(scheduler: .synchronous) }
        let svg = try SVGSummary(resources.svg())
        #expect(svg.texts.contains("CPU (%)"))
        #expect(svg.texts.contains("Memory (MiB)"))
        #expect(svg.texts.contains("time (s)"))
        #expect(svg.polylines.count == 2)
        #expect(svg.polylines.allSatisfy { $0.split(separator: " ").count == resources.samples.count })
        #expect(try SVGSummary(ResourceProfiler().svg()).polylines.isEmpty)  // no samples: axes only
    }

    @Test func parsesProcFiles() {
        // The command name may hold spaces and parentheses; fields are counted after the last ")".
        let stat = "4242 (my (odd) prog) R 1 4242 4242 0 -1 4194560 1200 0 0 0 250 50 0 0 20 0 9 0 123 456789 2000"
        #expect(ProcessResources.parseCPUSeconds(stat: stat, ticksPerSecond: 100) == 3.0)
        #expect(ProcessResources.parseCPUSeconds(stat: "garbage", ticksPerSecond: 100) == nil)
        let status = "Name:\tx\nVmPeak:\t  9000 kB\nVmRSS:\t   12345 kB\nThreads:\t4\n"
        #expect(ProcessResources.parseResidentBytes(status: status) == 12345 * 1024)
        #expect(ProcessResources.parseResidentBytes(status: "Name: x\n") == nil)
        #if os(Linux)
        #expect(ProcessResources.residentBytes() > 1_000_000)
        #expect(ProcessResources.cpuSeconds() > 0)
        #endif
    }

    @Test func profileReportWritesAllFiles() throws {
        let profiler = Profiler(), resources = ResourceProfiler()
        let (root, _) = incAddTree(16)
        _ = try profiler.observe { try resources.observe { try root.compute(scheduler: .threads(2)) } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-profile-\(UUID().uuidString)/nested")
        defer { try? FileManager.default.removeItem(at: dir.deletingLastPathComponent()) }
        let written = try ProfileReport.write(to: dir, tasks: profiler, resources: resources)
        #expect(written.map(\.lastPathComponent) == ProfileReport.fileNames)
        let text = try written.map { try String(contentsOf: $0, encoding: .utf8) }
        #expect(text[0].contains("\"traceEvents\""))
        #expect(text[1].hasPrefix("<svg") && text[3].hasPrefix("<svg"))
        #expect(text[2].split(separator: "\n").count == resources.samples.count + 1)
        #expect(resources.samples.count >= 2)  // at least the start and end samples
    }
}

@Suite struct ObserverScopeTests {
    final class Counter: ComputeObserver, @unchecked Sendable {
        let lock = NSLock()
        var started = 0, tasks = 0, finished = 0
        func computeStarted(plan: ExecutionPlan) { lock.lock(); started += 1; lock.unlock() }
        func taskFinished(plan: ExecutionPlan, task: Int, worker: Int) { lock.lock(); tasks += 1; lock.unlock() }
        func computeFinished(plan: ExecutionPlan, error: Error?) { lock.lock(); finished += 1; lock.unlock() }
    }

    @Test func scopedObserversSeeOnlyTheirOwnComputes() async throws {
        let counter = Counter()
        let (root, expected) = incAddTree(10)
        let plan = root.graph.plan()
        // Another thread computes at the same time; the scoped counter must not see it.
        let other = Thread {
            for _ in 0..<20 { _ = try? incAddTree(10).root.compute(scheduler: .threads(2)) }
        }
        other.start()
        func computeObserved() throws -> Int { try counter.observe { try root.compute(scheduler: .threads(2)) } }
        for _ in 0..<5 { #expect(try computeObserved() == expected) }
        #expect(try await counter.observe { try await root.compute(scheduler: .threads(2)) } == expected)
        #expect(counter.started == 6 && counter.finished == 6)
        #expect(counter.tasks == 6 * plan.count)
        // Outside the scope nothing more is seen.
        _ = try await root.compute()
        #expect(counter.started == 6)
    }
}
