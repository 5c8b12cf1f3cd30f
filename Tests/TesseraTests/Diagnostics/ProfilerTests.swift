import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Tessera

// Observers are process-wide and other suites compute concurrently, so these tests look only at
// the records whose keys belong to their own graph (layer names are unique in the process).

@Suite struct ProfilerTests {
    @Test(arguments: schedulers)
    func recordsEveryTaskOnce(scheduler: Scheduler) throws {
        let (root, expected) = incAddTree(64)
        let plan = root.graph.plan()
        let keys = Set((0..<plan.count).map(plan.key))
        let profiler = Profiler()
        let value = try profiler.observe { try root.compute(scheduler: scheduler) }
        #expect(value == expected)
        let mine = profiler.records.filter { keys.contains($0.key) }
        #expect(mine.count == plan.count)
        #expect(Set(mine.map(\.key)) == keys)
        for r in mine {
            #expect(r.start <= r.end)
            #expect(r.worker >= 0 && r.worker < scheduler.workers)
            #expect(!r.failed)
        }
        // Fused leaves are labelled by both kinds; the tree's tasks by their own.
        #expect(Set(mine.map(\.kind)) == ["value+inc", "add"])
        #expect(mine.filter { $0.kind == "value+inc" }.allSatisfy { $0.fusedCount == 2 })
        // A task starts only after its inputs ended.
        let byKey = Dictionary(uniqueKeysWithValues: mine.map { ($0.key, $0) })
        for i in 0..<plan.count {
            for d in plan.inputs(of: i) { #expect(byKey[plan.key(Int(d))]!.end <= byKey[plan.key(i)]!.start) }
        }
    }

    @Test func chromeTraceParsesAndHoldsEveryTaskOnce() throws {
        let (root, _) = incAddTree(50)
        let plan = root.graph.plan()
        let keys = Set((0..<plan.count).map { plan.key($0).description })
        let profiler = Profiler()
        let resources = ResourceProfiler()
        _ = try profiler.observe { try resources.observe { try root.compute(scheduler: .threads(4)) } }

        let json = try JSONSerialization.jsonObject(with: Data(profiler.chromeTrace(resources: resources).utf8))
        let events = try #require((json as? [String: Any])?["traceEvents"] as? [[String: Any]])
        let complete = events.filter { $0["ph"] as? String == "X" && keys.contains($0["name"] as? String ?? "") }
        #expect(complete.count == plan.count)
        #expect(Set(complete.map { $0["name"] as! String }) == keys)
        for e in complete {
            let ts = try #require(e["ts"] as? Double)
            let dur = try #require(e["dur"] as? Double)
            #expect(ts >= 0 && dur >= 0)
            #expect(["value+inc", "add"].contains(e["cat"] as? String))
            let tid = try #require(e["tid"] as? Int)
            #expect(tid >= 0 && tid < 4)
        }
        // Every worker that ran a task is named, and resource counters are present.
        let named = Set(events.filter { $0["name"] as? String == "thread_name" }.compactMap { $0["tid"] as? Int })
        #expect(Set(complete.map { $0["tid"] as! Int }).isSubset(of: named))
        let counters = events.filter { $0["ph"] as? String == "C" }
        #expect(counters.count == 2 * resources.samples.count)
        #expect(counters.count >= 4)
    }

    @Test func failedTaskIsMarked() throws {
        struct Boom: Error {}
        let bad = delayed(name: "explode") { (x: Int) -> Int in if x >= 0 { throw Boom() }; return x }
        let add = delayed(name: "add") { (a: Int, b: Int) in a + b }
        let y = bad(Delayed(1) + Delayed(2))
        let root = add(y, Delayed(3))
        let profiler = Profiler()
        for s in [Scheduler.synchronous, .threads(2)] {
            profiler.reset()
            #expect(throws: TaskFailure.self) { try profiler.observe { try root.compute(scheduler: s) } }
            let failed = profiler.records.filter(\.failed)
            #expect(failed.count == 1)
            #expect(failed.first?.key == y.key)
            #expect(!profiler.records.contains { $0.key == root.key })  // never ran
        }
    }

    @Test func taskStreamIsWellFormedSVGWithOneRowPerWorker() throws {
        let (root, _) = incAddTree(200)
        let profiler = Profiler()
        _ = try profiler.observe { try root.compute(scheduler: .threads(4)) }
        let svg = profiler.taskStreamSVG()
        let parsed = try SVGSummary(svg)
        let workers = Set(profiler.records.map(\.worker))
        for w in workers { #expect(parsed.texts.contains("worker \(w)")) }
        #expect(parsed.texts.contains { $0.hasPrefix("value+inc:") })
        #expect(parsed.texts.contains { $0.hasPrefix("add:") })
        #expect(parsed.texts.contains { $0.hasPrefix("time since first task") })
        #expect(parsed.rects > workers.count)  // backgrounds plus bars
    }

    @Test func taskStreamStaysSmallForManyTasks() throws {
        // 30,000 synthetic records alternating kinds: drawn per pixel column, not per task.
        let profiler = Profiler()
        let layer = Layer(kind: "a", count: 30_000) { _ in TaskSpec { _ in 0 } }
        let other = Layer(kind: "b", count: 30_000) { i in TaskSpec(inputs: [layer[i]]) { _ in 0 } }
        _ = try profiler.observe { try TaskGraph(other.refs).compute(scheduler: .threads(2), optimize: false) }
        let svg = profiler.taskStreamSVG(width: 800)
        _ = try SVGSummary(svg)
        #expect(svg.utf8.count < 2_000_000)
    }

    /// Another rank's records, merged: shifted by the two profilers' wall-clock origins, on
    /// their own (rank, worker) tracks in the trace and rows in the task stream.
    @Test func mergedRanksGetTracksOfTheirOwn() throws {
        let (root, _) = incAddTree(16)
        let plan = root.graph.plan()
        let keys = Set((0..<plan.count).map(plan.key))
        let profiler = Profiler(rank: 0)
        _ = try profiler.observe { try root.compute(scheduler: .threads(2)) }
        let mine = profiler.records.filter { keys.contains($0.key) }
        let other = mine.map {
            Profiler.TaskRecord(key: Key("remote-" + $0.key.name, $0.key.index), kind: $0.kind, rank: 1, worker: $0.worker,
                                start: $0.start, end: $0.end, compute: $0.compute, fusedCount: $0.fusedCount, failed: false)
        }
        let merged = Profiler(rank: 0)
        for r in [mine, other].enumerated() {
            merged.merge(r.element, wallOrigin: merged.wallOrigin + (r.offset == 0 ? 0 : 2.5))
        }
        #expect(mine.allSatisfy { $0.rank == 0 })
        let back = merged.records
        #expect(back.count == 2 * mine.count)
        let firstRemote = try #require(back.filter { $0.rank == 1 }.map(\.start).min())
        #expect(abs(firstRemote - (mine.map(\.start).min()! + 2.5)) < 1e-9)
        let json = try JSONSerialization.jsonObject(with: Data(merged.chromeTrace().utf8)) as? [String: Any]
        let events = try #require(json?["traceEvents"] as? [[String: Any]])
        let tasks = events.filter { $0["ph"] as? String == "X" }
        #expect(tasks.count == back.count)
        #expect(Set(tasks.compactMap { $0["pid"] as? Int }) == [1, 2])
        let names = events.filter { $0["name"] as? String == "process_name" }.compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
        #expect(Set(names) == ["tessera rank 0", "tessera rank 1"])
        for t in tasks where (t["name"] as? String)?.hasPrefix("remote-") == true { #expect(t["pid"] as? Int == 2) }
        let svg = try SVGSummary(merged.taskStreamSVG())
        #expect(svg.texts.contains { $0.hasPrefix("rank 1 worker") })
    }

    @Test func emptyProfilerDrawsANote() throws {
        let svg = Profiler().taskStreamSVG()
        #expect(try SVGSummary(svg).texts.contains("no tasks recorded"))
        let json = try JSONSerialization.jsonObject(with: Data(Profiler().chromeTrace().utf8)) as? [String: Any]
        #expect((json?["traceEvents"] as? [Any])?.count == 1)
    }
}

/// Parses an SVG document as XML (throwing if it is not well formed) and collects its texts.
final class SVGSummary: NSObject, XMLParserDelegate {
    private(set) var texts: [String] = []
    private(set) var rects = 0
    private(set) var polylines: [String] = []
    private var inText = false
    private var current = ""

    struct Malformed: Error { let message: String }

    init(_ svg: String) throws {
        super.init()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = self
        guard parser.parse() else { throw Malformed(message: parser.parserError.map { "\($0)" } ?? "unknown") }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "text" { inText = true; current = "" }
        if name == "rect" { rects += 1 }
        if name == "polyline" { polylines.append(attributes["points"] ?? "") }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" { texts.append(current); inText = false }
    }
}
