import Foundation
import Testing
import Tessera
@testable import TesseraFrame
@testable import TesseraParquet

/// `readParquet` frames are plans over a `ParquetSource` scan: the optimizer moves projections,
/// filters and row limits into the scan, the scan reads only the column chunks and row groups
/// they need, and the rows equal those of the plan computed as written.
@Suite struct ParquetSourceTests {
    /// The optimized plan of `frame` (as `compute` optimizes it).
    func optimized(_ frame: ChunkedFrame) -> [FrameNode] {
        Lowering.lower(roots: [frame.node], optimize: true).plan
    }

    /// The scan requests of the optimized plan of `frame`.
    func scans(_ frame: ChunkedFrame) -> [ScanRequest] {
        topologicalOrder(optimized(frame)).compactMap { if case .scan(_, let r) = $0.operation { return r } else { return nil } }
    }

    /// The node kinds from the root down the first inputs.
    func chain(_ frame: ChunkedFrame) -> [String] {
        var out: [String] = [], node: FrameNode? = optimized(frame)[0]
        while let n = node { out.append(n.kind); node = n.inputs.first }
        return out
    }

    /// `frame` computed from its plan as written (no rule: a full scan, then filter and select).
    func unoptimized(_ frame: ChunkedFrame) throws -> Table {
        let refs = Lowering.lower(roots: [frame.node], optimize: false).outputs[0]
        let tables = try TaskGraph(refs).compute(scheduler: .synchronous).map { $0 as! Table }
        return tables.isEmpty ? Table(empty: frame.schema) : try Table.concatenate(tables)
    }

    /// A copy of pa_groups.parquet with every byte of the chunks `corrupt` picks overwritten.
    func corruptedCopy(_ corrupt: (Int, ColumnChunkMeta) -> Bool) throws -> String {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture("pa_groups.parquet"))))
        let info = try ParquetFileInfo(path: fixture("pa_groups.parquet"))
        for (g, group) in info.metadata.rowGroups.enumerated() {
            for c in group.columns where corrupt(g, c) {
                for k in c.byteRange { bytes[Int(k)] = 0xEE }
            }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pq-src-\(UUID()).parquet").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func filterAndProjectionMoveIntoTheScan() throws {
        let df = try readParquet(fixture("pa_groups.parquet"))
        let q = try df.filter(Expr.col("req") < 75).select(["cat", "req"])
        let request = try #require(scans(q).first)
        // The source's order; the select above puts the user's back.
        #expect(request.columns == ["cat", "req"])
        #expect(request.predicate?.description == (Expr.col("req") < 75).description)
        // The source applies the predicate exactly: no filter is left above the scan.
        #expect(chain(q) == ["select", "scan"])
        let t = try q.compute()
        #expect(t.names == ["cat", "req"])
        #expect(sameRows(t, try unoptimized(q)))
        #expect(t.rowCount == 75)
    }

    @Test func groupbyReadsOnlyItsColumns() throws {
        let df = try readParquet(fixture("pa_groups.parquet"))
        let q = try df.groupby("cat").agg(["f64": .mean])
        #expect(scans(q).first?.columns == ["f64", "cat"])
        #expect(sameRows(try q.compute(), try unoptimized(q)))
        #expect(df.explain().contains("scan parquet 1 file, 6 row groups"))
    }

    /// A corrupted column chunk breaks only reads that need it: projection reads no other chunk.
    @Test func unprojectedChunksAreNotRead() throws {
        let path = try corruptedCopy { _, c in c.path == ["uniq"] }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let q = try readParquet(path).select(["req", "cat"])
        let t = try q.compute()
        #expect(t.rowCount == 300)
        #expect(t.columns[0].elements == (0..<300).map { Value.int64(Int64($0)) })
        #expect(throws: (any Error).self) { try readParquet(path).select(["uniq"]).compute() }
    }

    /// A filter applied to the frame later (not through `readParquet(filter:)`) still skips the
    /// row groups its statistics exclude: the corrupted ones are never read.
    @Test func laterFilterSkipsRowGroupsUnread() throws {
        let path = try corruptedCopy { g, _ in g == 0 || g == 5 }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let df = try readParquet(path)
        let q = try df.filter(Expr.col("req") >= 60 && Expr.col("req") < 240).select(["req", "f64"])
        let t = try q.compute()
        #expect(t.columns[0].elements == (60..<240).map { Value.int64(Int64($0)) })
        #expect(throws: (any Error).self) { try df.select(["req"]).compute() }
        // Same rows as the intact file read in full, then filtered.
        let intact = try readParquet(fixture("pa_groups.parquet")).filter(Expr.col("req") >= 60 && Expr.col("req") < 240).select(["req", "f64"])
        #expect(sameRows(t, try unoptimized(intact)))
    }

    /// A row group the statistics can't exclude but where no row matches reads only the
    /// predicate's columns: the other columns' corrupted chunks there are never read.
    @Test func rowGroupWithNoMatchReadsOnlyThePredicateColumns() throws {
        // Row group 2 holds req 100..<150: 125.5 lies within its min/max, but no integer equals it.
        let path = try corruptedCopy { g, c in g == 2 && c.path == ["uniq"] }
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try readParquet(path).filter(Expr.col("req") == 125.5).select(["uniq"]).compute().rowCount == 0)
        #expect(throws: (any Error).self) { try readParquet(path).filter(Expr.col("req") == 125).select(["uniq"]).compute() }
        #expect(try readParquet(path).filter(Expr.col("req") == 25).select(["uniq"]).compute().rowCount == 1)
    }

    @Test func headStopsEachPartitionEarly() throws {
        let df = try readParquet(fixture("pa_groups.parquet"))
        let limited = try df.select(["req", "cat"])
        let plan = try limited.head(7)
        #expect(plan.columns[0].elements == (0..<7).map { Value.int64(Int64($0)) })
        let source = try ParquetSource(paths: [fixture("pa_groups.parquet")])
        let tables = try TaskGraph(source.partitions(for: ScanRequest(columns: ["req"], rowLimit: 70)))
            .compute(scheduler: .synchronous).map { $0 as! Table }
        #expect(tables.map(\.rowCount) == [70])
        #expect(tables[0].columns[0].elements == (0..<70).map { Value.int64(Int64($0)) })
    }

    /// Random predicates over random partition sizes: pushdown never changes the rows.
    @Test func randomPredicatesGiveTheUnoptimizedRows() throws {
        var rng = SystemRandomNumberGenerator()
        let ops: [(Expr, Expr) -> Expr] = [{ $0 < $1 }, { $0 <= $1 }, { $0 > $1 }, { $0 >= $1 }, { $0 == $1 }, { $0 != $1 }]
        for _ in 0..<12 {
            let target = [1 << 10, 4 << 10, 1 << 24].randomElement(using: &rng)!
            let source = ParquetSource(dataset: try ParquetDataset(paths: [fixture("pa_groups.parquet")], targetPartitionBytes: target))
            let df = ChunkedFrame(source: source)
            let a = ops.randomElement(using: &rng)!(Expr.col("req"), .literal(.int64(Int64.random(in: -5...305, using: &rng))))
            let b = ops.randomElement(using: &rng)!(Expr.col("f64"), .literal(.float64(Double.random(in: -1000...1000, using: &rng))))
            let p: Expr = Bool.random(using: &rng) ? (a && b) : (a || b.isna())
            let q = try df.filter(p).select(["req", "cat", "f64"])
            #expect(sameRows(try q.compute(), try unoptimized(q)), "\(p) at \(target) bytes per partition")
        }
    }
}

/// Tables equal cell by cell, with names (NaN equal to NaN).
func sameRows(_ a: Table, _ b: Table) -> Bool {
    guard a.names == b.names, a.rowCount == b.rowCount else { return false }
    for (x, y) in zip(a.columns, b.columns) {
        for i in 0..<a.rowCount where x[i] != y[i] {
            if case .float64(let p) = x[i], case .float64(let q) = y[i], p.isNaN && q.isNaN { continue }
            return false
        }
    }
    return true
}
