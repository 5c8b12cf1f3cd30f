import Foundation
import Tessera
import Testing
@testable import TesseraDashboard

// The dashboard end to end: a real server on a free port, a compute watched by it, and a plain
// socket client reading the page and the event stream. The reference for what ran is the
// Profiler, watching the same compute: the events must add up to its records exactly.

@Suite struct DashboardServerTests {
    /// 150 fused `value+inc` leaves, 8 `slow` tasks that sleep (so the compute spans several
    /// ticks), and a pairwise `add` tree; returns the root and the sum computed by a plain loop.
    func graph() -> (Delayed<Int>, Int) {
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let slow = delayed(name: "slow") { (x: Int) -> Int in
            usleep(40_000)
            return x * 2
        }
        let add = delayed(name: "add") { (a: Int, b: Int) in a + b }
        var level = (0..<150).map { inc(Delayed($0)) }
        for i in 0..<8 { level[i] = slow(level[i]) }
        while level.count > 1 {
            var next: [Delayed<Int>] = []
            var i = 0
            while i + 1 < level.count { next.append(add(level[i], level[i + 1])); i += 2 }
            if i < level.count { next.append(level[i]) }
            level = next
        }
        var expected = 0
        for x in 0..<150 { expected += x < 8 ? (x + 1) * 2 : x + 1 }
        return (level[0], expected)
    }

    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Tasks per "kind/worker" in a message's segments, kinds named through its `kinds` list.
    func segmentCounts(_ message: [String: Any]) -> [String: Int] {
        let kinds = message["kinds"] as? [String] ?? []
        var counts: [String: Int] = [:]
        for s in message["segments"] as? [[Double]] ?? [] {
            counts["\(kinds[Int(s[2])])/\(Int(s[1]))", default: 0] += Int(s[5])
            #expect(s[0] == 0)  // rank
            #expect(s[3] <= s[4])  // start ≤ end
        }
        return counts
    }

    @Test func eventsOverHTTPMatchWhatRan() throws {
        let dashboard = try Dashboard.start(port: 0, observesAllComputes: false)
        #expect(dashboard.url == "http://127.0.0.1:\(dashboard.port)/")
        // The page and its files, all served locally.
        let page = try HTTPTestClient.get(port: dashboard.port, path: "/")
        #expect(page.status == 200)
        #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(page.body.contains(#"<canvas id="task-stream""#))
        #expect(page.body.contains(#"<script src="dashboard.js">"#))
        let script = try HTTPTestClient.get(port: dashboard.port, path: "/dashboard.js")
        #expect(script.status == 200 && script.body.contains("new EventSource(\"events\")"))
        let style = try HTTPTestClient.get(port: dashboard.port, path: "/dashboard.css")
        #expect(style.status == 200 && style.body.contains(".progress-row"))
        for file in [page.body, script.body, style.body] { #expect(!file.contains("://")) }  // nothing from elsewhere
        #expect(try HTTPTestClient.get(port: dashboard.port, path: "/nope").status == 404)
        #expect(try HTTPTestClient.get(port: dashboard.port, path: "/", method: "POST").status == 405)

        // The stream, read on another thread until the dashboard closes it.
        let stream = try HTTPTestClient.open(port: dashboard.port, path: "/events")
        let received = LockedBytes()
        let reader = Thread { received.set(HTTPTestClient.readAll(stream)) }
        reader.start()
        for _ in 0..<200 where dashboard.connectedPages == 0 { usleep(10_000) }
        #expect(dashboard.connectedPages == 1)

        let (root, expected) = graph()
        let plan = root.graph.plan()
        let profiler = Profiler()
        let started = Date()
        let value = try dashboard.recorder.observe { try profiler.observe { try root.compute(scheduler: .threads(2)) } }
        let elapsed = Date().timeIntervalSince(started)
        #expect(value == expected)
        dashboard.stop()
        received.wait()

        let response = HTTPTestClient.split(received.bytes)
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "text/event-stream")
        let events = HTTPTestClient.events(response.body)
        #expect(events.first?.event == "snapshot")
        #expect(events.last?.event == "finished")
        #expect(events.dropFirst().dropLast().allSatisfy { $0.event == "update" })
        // Batched: at most ten updates a second (plus the first and the last event).
        #expect(Double(events.count - 2) <= elapsed / 0.1 + 2)

        // The reference: the profiler's records per kind and worker.
        var ran: [String: Int] = [:]
        var perKind: [String: Int] = [:]
        for r in profiler.records {
            ran["\(r.kind)/\(r.worker)", default: 0] += 1
            perKind[r.kind, default: 0] += 1
        }
        #expect(perKind == ["value+inc": 142, "value+inc+slow": 8, "add": 149])
        #expect(perKind.values.reduce(0, +) == plan.count)

        // The updates' segments add up to exactly the tasks that ran, per kind and worker...
        var streamed: [String: Int] = [:]
        for e in events.dropLast() {
            streamed.merge(segmentCounts(try object(e.data)), uniquingKeysWith: +)
        }
        #expect(streamed == ran)
        // ...and so does the final snapshot, which also holds full progress and the compute.
        let last = try object(try #require(events.last).data)
        #expect(segmentCounts(last) == ran)
        #expect(last["finished"] as? Bool == true)
        #expect(last["active"] as? Int == 0)
        let kinds = try #require(last["kinds"] as? [String])
        let progress = try #require(last["progress"] as? [[String: Int]])
        #expect(Dictionary(uniqueKeysWithValues: progress.map { (kinds[$0["kind"]!], $0["done"]!) }) == perKind)
        #expect(Dictionary(uniqueKeysWithValues: progress.map { (kinds[$0["kind"]!], $0["total"]!) }) == perKind)
        let computes = try #require(last["computes"] as? [[String: Any]])
        #expect(computes.count == 1)
        #expect(computes.first?["tasks"] as? Int == plan.count)
        #expect(computes.first?["done"] as? Int == plan.count)
        #expect(computes.first?["end"] is Double)
        #expect(computes.first?["error"] is NSNull)
        let lanes = try #require(last["lanes"] as? [[Int]])
        #expect(Set(lanes.map { "\($0[0])/\($0[1])" }) == Set(profiler.records.map { "0/\($0.worker)" }))
        let layers = try #require(last["layers"] as? [[String: Any]])
        #expect(layers.map { $0["kind"] as? String } == ["add", "inc", "slow"])  // most tasks first
        #expect(layers.map { $0["tasks"] as? Int } == [149, 142, 8])
        #expect(layers.compactMap { $0["tasks"] as? Int }.reduce(0, +) == plan.count)
        let resources = try #require(last["resources"] as? [[Double]])
        #expect(!resources.isEmpty && resources.allSatisfy { $0[3] > 0 })
    }

    @Test func aFailedComputeIsReportedWithItsError() throws {
        let dashboard = try Dashboard.start(port: 0, observesAllComputes: false)
        let boom = delayed(name: "boom") { (x: Int) throws -> Int in
            struct Boom: Error {}
            if x == 3 { throw Boom() }
            return x
        }
        let parts = (0..<6).map { boom(Delayed($0)) }
        let all = delayed(name: "collect", parts) { xs in xs.reduce(0, +) }
        #expect(throws: (any Error).self) { try dashboard.recorder.observe { try all.compute(scheduler: .synchronous) } }
        dashboard.finish()
        let state = try HTTPTestClient.get(port: dashboard.port, path: "/state")
        dashboard.stop()
        let last = try object(state.body)
        #expect(last["finished"] as? Bool == true)
        let computes = try #require(last["computes"] as? [[String: Any]])
        #expect(computes.count == 1)
        #expect((computes.first?["error"] as? String)?.contains("boom") == true)
        #expect((computes.first?["done"] as? Int ?? 0) < (computes.first?["tasks"] as? Int ?? 0))
    }

    @Test func aTakenPortIsAClearError() throws {
        let first = try Dashboard.start(port: 0, observesAllComputes: false)
        defer { first.stop() }
        #expect {
            try Dashboard.start(port: first.port, observesAllComputes: false)
        } throws: { error in
            "\(error)".contains("cannot listen on 127.0.0.1:\(first.port)")
        }
    }
}

/// Bytes one thread sets and another waits for.
final class LockedBytes: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private(set) var bytes: [UInt8] = []
    func set(_ b: [UInt8]) {
        bytes = b
        done.signal()
    }
    func wait() { done.wait() }
}
