import Foundation
import Testing
import Tessera
@testable import TesseraFrame
@testable import TesseraParquet

/// A Parquet scan's size estimate comes from the footers alone, so a merge can broadcast a small
/// Parquet side (as it does a small CSV side) without reading it first.
@Suite struct ParquetEstimateTests {
    /// pa_groups.parquet: 300 rows in 6 row groups of 50 ordered by `req` (0..<300, int64);
    /// `uniq` holds strings, every 13th missing.
    let path = fixture("pa_groups.parquet")

    @Test func footersEstimateTheColumnsAndRowGroupsRead() throws {
        let source = try ParquetSource(paths: [path])
        let table = try readParquet(path).compute()
        #expect(table.rowCount == 300)
        // An int64 column: 8 bytes a row.
        #expect(source.estimatedBytes(for: ScanRequest(columns: ["req"])) == table.rowCount * 8)
        // req < 75 leaves the first two row groups (100 rows) to read.
        #expect(source.estimatedBytes(for: ScanRequest(columns: ["req"], predicate: Expr.col("req") < 75)) == 100 * 8)
        // A string column: at least its text, within a small factor of it (page headers,
        // lengths, levels).
        let uniq = try #require(table.names.firstIndex(of: "uniq"))
        let text = (0..<table.rowCount).reduce(0) { total, r in
            if case .string(let s) = table.row(r)[uniq] { return total + s.utf8.count }
            return total
        }
        let estimate = try #require(source.estimatedBytes(for: ScanRequest(columns: ["uniq"])))
        #expect(estimate >= text && estimate <= 3 * text, "estimate \(estimate) for \(text) bytes of text")
        // Several columns add up; unknown names count nothing.
        let both = try #require(source.estimatedBytes(for: ScanRequest(columns: ["req", "uniq", "no-such-column"])))
        #expect(both == estimate + table.rowCount * 8)
    }

    /// The merge broadcasts the Parquet side when its estimate is at or under the limit and
    /// hash-partitions it above, with the same rows either way.
    @Test func mergeChoosesBroadcastByTheFootersEstimate() throws {
        let right = try readParquet(path).select(["req", "i64"])
        // The optimized plan reads two int64 columns of 300 rows in the scan itself.
        let estimate = 300 * 2 * 8
        let keys = Column(int64: (0..<40).map { Int64($0 * 7 % 300) })
        let left = try ChunkedFrame(try Table(["req": keys, "v": Column(int64: (0..<40).map { Int64($0) })]), partitionSize: 10)
        var answers: [Int: [[String]]] = [:]
        for limit in [estimate, estimate - 1] {
            let merged = try left.merge(right, on: ["req"], how: .inner, broadcastLimit: limit)
            let refs = merged.partitions
            let broadcast = countTasks(refs, kind: "merge-broadcast"), hash = countTasks(refs, kind: "merge-hash")
            #expect((broadcast > 0) == (limit >= estimate), "limit \(limit)")
            #expect((hash > 0) == (limit < estimate), "limit \(limit)")
            let t = try merged.compute(scheduler: .threads(2))
            #expect(t.rowCount == 40)
            answers[limit] = (0..<t.rowCount).map { r in t.row(r).map { "\($0)" } }.sorted { $0.lexicographicallyPrecedes($1) }
        }
        #expect(answers[estimate] == answers[estimate - 1])
    }

    /// How many distinct tasks of layers of `kind` the graph of `refs` holds.
    func countTasks(_ refs: [TaskRef], kind: String) -> Int {
        var seen = Set<String>(), stack = refs, n = 0
        while let ref = stack.popLast() {
            guard seen.insert(ref.key.description).inserted else { continue }
            if ref.layer.kind == kind { n += 1 }
            stack.append(contentsOf: ref.layer.task(ref.index).inputs)
        }
        return n
    }
}
