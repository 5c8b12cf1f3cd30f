import Foundation
import Testing
import TesseraFrame
@testable import TesseraParquet

/// Row groups whose statistics exclude the predicate are skipped unread, and the rows that come
/// back are exactly those of a full read filtered afterwards.
@Suite struct ParquetPushdownTests {
    @Test func rowGroupsOutsideTheRangeAreNotPlanned() throws {
        // pa_groups: six row groups of 50 rows, "req" = 0..<300 in order.
        let p = Expr.col("req") >= 120 && Expr.col("req") < 160
        let data = try ParquetDataset(paths: [fixture("pa_groups.parquet")], predicate: p)
        #expect(data.plan.map(\.rowGroups) == [[2, 3]])
        // The same plan from a dataset opened without a predicate, then pruned (a scan source's way).
        #expect(try ParquetDataset(paths: [fixture("pa_groups.parquet")]).pruned(by: p).plan.map(\.rowGroups) == [[2, 3]])
        let t = try readParquet(fixture("pa_groups.parquet"), columns: ["req"], filter: p).compute()
        #expect(t.columns[0].elements == (120..<160).map { Value.int64(Int64($0)) })
        // Literal on the left, and a range no row group holds.
        #expect(try ParquetDataset(paths: [fixture("pa_groups.parquet")], predicate: 49 >= Expr.col("req")).plan.map(\.rowGroups) == [[0]])
        let none = try readParquet(fixture("pa_groups.parquet"), filter: Expr.col("req") > 1000)
        #expect(none.partitionCount == 0)
        #expect(try none.compute().rowCount == 0)
        // A column with no value: a comparison is false everywhere, `isna` true everywhere.
        #expect(try ParquetDataset(paths: [fixture("pa_groups.parquet")], predicate: Expr.col("empty") > 0).partitionCount == 0)
        #expect(try ParquetDataset(paths: [fixture("pa_groups.parquet")], predicate: Expr.col("empty").isna()).plan.map(\.rowGroups) == [[0, 1, 2, 3, 4, 5]])
    }

    /// Every predicate gives the rows a full read then filtered gives (pruning never loses a row).
    @Test(arguments: [
        Expr.col("req") < 75, Expr.col("i64") > 0, Expr.col("f64") <= -100.5, Expr.col("cat") == "caf\u{E9}",
        Expr.col("cat") != "JFK", Expr.col("uniq") >= "id-00200", Expr.col("ts_us") > Expr.literal(.timestamp(1_356_998_400_000_000)),
        Expr.col("flag") == true, Expr.col("i32").isna() || Expr.col("u8") > 200, !(Expr.col("i16") < 0),
        Expr.col("day").notna() && Expr.col("dec") > 1000.25, Expr.col("req") == 7 || Expr.col("req") == 299,
        Expr.col("f32") > Expr.col("f64"), Expr.col("i64") != Expr.literal(.missing),
    ])
    func filteredReadEqualsFullReadFiltered(_ predicate: Expr) throws {
        let full = try readParquet(fixture("pa_groups.parquet")).filter(predicate).compute()
        let pushed = try readParquet(fixture("pa_groups.parquet"), filter: predicate).compute()
        #expect(pushed.rowCount == full.rowCount)
        for (a, b) in zip(full.columns, pushed.columns) { #expect(a.elements == b.elements) }
    }

    /// A NaN is a missing value to Tessera but neither null nor in min/max to Parquet: `!=` and
    /// `isna` must not prune a row group that holds one.
    @Test func nanRowsAreNotPrunedAway() throws {
        let t = try Table(["x": Column(values: .float64([1, .nan, 1]), validity: nil)])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pq-nan-\(UUID()).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(t.parquetBytes()).write(to: URL(fileURLWithPath: path))
        #expect(try readParquet(path, filter: Expr.col("x") != 1).compute().columns[0].elements == [.missing])
        #expect(try readParquet(path, filter: Expr.col("x").isna()).compute().rowCount == 1)
        #expect(try readParquet(path, filter: Expr.col("x") > 0.5).compute().rowCount == 2)
    }

    /// A skipped row group is never read: corrupting it breaks a full read, not a pruned one.
    @Test func aSkippedRowGroupIsNotRead() throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture("pa_groups.parquet"))))
        let info = try ParquetFileInfo(path: fixture("pa_groups.parquet"))
        for c in info.metadata.rowGroups[5].columns {
            for k in c.byteRange { bytes[Int(k)] = 0xEE }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pq-pruned-\(UUID()).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let t = try readParquet(path, columns: ["req"], filter: Expr.col("req") < 250).compute()
        #expect(t.rowCount == 250)
        #expect(throws: (any Error).self) { try readParquet(path, columns: ["req"]).compute() }
    }
}
