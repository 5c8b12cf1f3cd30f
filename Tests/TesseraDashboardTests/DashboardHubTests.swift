import Foundation
import Testing
@testable import TesseraDashboard

// The hub as the rank that serves the page sees it: batches from several ranks, each numbering
// its own kinds and computes (the MPI seam), merged into one picture.

@Suite struct DashboardHubTests {
    func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func ranksWithTheirOwnKindNumbersMergeByName() throws {
        var hub = DashboardHub()
        // Rank 0 knows [a, b]; rank 1 saw b first: its kind 0 is b.
        hub.ingest(DashboardUpdate(rank: 0, time: 1, kinds: ["a", "b"],
                                   started: [ComputeStart(id: 0, start: 0, tasks: 5, kinds: [KindCount(kind: 0, count: 3), KindCount(kind: 1, count: 2)], layers: [])],
                                   segments: [TaskSegment(worker: 1, kind: 0, start: 0, end: 0.5, count: 3)]))
        hub.ingest(DashboardUpdate(rank: 1, time: 1.2, kinds: ["b", "c"],
                                   started: [ComputeStart(id: 0, start: 0.1, tasks: 4, kinds: [KindCount(kind: 0, count: 1), KindCount(kind: 1, count: 3)], layers: [])],
                                   progress: [ComputeProgress(id: 0, done: [KindCount(kind: 0, count: 1), KindCount(kind: 1, count: 2)])],
                                   segments: [TaskSegment(worker: 0, kind: 1, start: 0.2, end: 0.4, count: 2)]))
        hub.ingest(DashboardUpdate(rank: 0, time: 1.5, kinds: ["a", "b"],
                                   progress: [ComputeProgress(id: 0, done: [KindCount(kind: 0, count: 3)])],
                                   finished: [ComputeEnd(id: 0, end: 1.5, error: nil)]))
        #expect(hub.kinds == ["a", "b", "c"])
        #expect(hub.progress.map { "\($0.kind):\($0.done)/\($0.total)" } == ["0:3/3", "1:1/3", "2:2/3"])
        #expect(hub.active == 1)
        let update = try object(hub.takeUpdate())
        #expect(update["lanes"] as? [[Int]] == [[0, 1], [1, 0]])
        // Segments in global kind numbers: rank 1's kind 1 (c) is global 2.
        #expect(update["segments"] as? [[Double]] == [[0, 1, 0, 0, 0.5, 3], [1, 0, 2, 0.2, 0.4, 2]])
        // Sent once: the next update has no segments, the snapshot keeps them.
        #expect((try object(hub.takeUpdate()))["segments"] as? [[Double]] == [])
        #expect(((try object(hub.snapshot()))["segments"] as? [[Double]])?.count == 2)
    }

    @Test func aComputeStartedWhenIdleBeginsANewRoundOfProgress() throws {
        var hub = DashboardHub()
        let kinds = ["a"]
        hub.ingest(DashboardUpdate(rank: 0, time: 1, kinds: kinds, started: [ComputeStart(id: 0, start: 0, tasks: 4, kinds: [KindCount(kind: 0, count: 4)], layers: [])],
                                   progress: [ComputeProgress(id: 0, done: [KindCount(kind: 0, count: 4)])],
                                   finished: [ComputeEnd(id: 0, end: 1, error: nil)]))
        #expect(hub.progress.map(\.total) == [4])
        hub.ingest(DashboardUpdate(rank: 0, time: 2, kinds: kinds, started: [ComputeStart(id: 1, start: 1.5, tasks: 10, kinds: [KindCount(kind: 0, count: 10)], layers: [])]))
        #expect(hub.progress.map { [$0.done, $0.total] } == [[0, 10]])
        // A second compute started while one runs joins the round.
        hub.ingest(DashboardUpdate(rank: 0, time: 2.5, kinds: kinds, started: [ComputeStart(id: 2, start: 2.1, tasks: 5, kinds: [KindCount(kind: 0, count: 5)], layers: [])]))
        #expect(hub.progress.map(\.total) == [15])
        #expect((try object(hub.snapshot()))["computes"].map { ($0 as? [Any])?.count } == 3)
    }

    @Test func namesWithQuotesAndControlCharactersStayValidJSON() throws {
        var hub = DashboardHub()
        let odd = "we\"ird\\\n\u{1}</script>é"
        hub.ingest(DashboardUpdate(rank: 0, time: 1, kinds: [odd],
                                   started: [ComputeStart(id: 0, start: 0, tasks: 1, kinds: [KindCount(kind: 0, count: 1)], layers: [LayerSummary(kind: odd, name: odd, layers: 1, tasks: 1)])],
                                   finished: [ComputeEnd(id: 0, end: 1, error: odd)]))
        let state = try object(hub.snapshot())
        #expect(state["kinds"] as? [String] == [odd])
        #expect(((state["computes"] as? [[String: Any]])?.first?["error"] as? String) == odd)
        #expect(((state["layers"] as? [[String: Any]])?.first?["name"] as? String) == odd)
    }
}
