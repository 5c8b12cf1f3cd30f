import Foundation
import Testing
import TesseraFrame
@testable import TesseraParquet

/// Pages a page index rules out are skipped inside a row group (pa_page_index.parquet, made by
/// Fixtures/make_page_index.py: two row groups of 1,000 rows, pages of about 100 rows, `k`
/// sorted), and the rows that come back are those of a read that ignores the index.
@Suite struct ParquetPageIndexTests {
    let path = fixture("pa_page_index.parquet")

    /// Reads every partition with and without the page index; returns both tables and the data
    /// pages each decoded.
    func readBoth(_ predicate: Expr, columns: [String] = ["k", "v", "s"], file: String? = nil) throws -> (Table, Table, pruned: Int, full: Int) {
        let data = try ParquetDataset(paths: [file ?? path], predicate: predicate)
        let withIndex = ReadScratch(), without = ReadScratch()
        var a: [Table] = [], b: [Table] = []
        for i in 0..<data.partitionCount {
            a.append(try data.readPartition(i, columns: columns, predicate: predicate, scratch: withIndex))
            b.append(try data.readPartition(i, columns: columns, predicate: predicate, scratch: without, usePageIndex: false))
        }
        let empty = Table(empty: Schema(try columns.map { try data.schema.field($0) }))
        return (a.isEmpty ? empty : try Table.concatenate(a), b.isEmpty ? empty : try Table.concatenate(b),
                withIndex.dataPagesDecoded, without.dataPagesDecoded)
    }

    @Test func aRangeReadsOnlyItsPagesAndMatchesPyarrow() throws {
        let p = Expr.col("k") >= 500 && Expr.col("k") < 620
        let (pruned, full, prunedPages, fullPages) = try readBoth(p)
        let expected = try ExpectedTable.load("pa_page_index.json")
        #expect(pruned.rowCount == expected.rows)
        for c in expected.columns { expectEqual(try pruned.column(c.name), c, file: "pa_page_index") }
        for (x, y) in zip(pruned.columns, full.columns) { #expect(x.elements == y.elements) }
        // Row group 0 holds k < 1000: of its ~10 pages per column, the range touches two or three.
        #expect(prunedPages * 3 < fullPages, "\(prunedPages) pages decoded with the index, \(fullPages) without")
    }

    /// Predicates that keep scattered, no or all pages give the rows of the unpruned read.
    @Test(arguments: [
        Expr.col("k") < 40, Expr.col("k") > 1960, Expr.col("k") == 777, Expr.col("k") > 5000, Expr.col("k").isna(),
        Expr.col("k") < 150 || Expr.col("k") > 1850, Expr.col("k") >= 300 && Expr.col("v") > 0, Expr.col("v") > 150,
        Expr.col("s") == "JFK" && Expr.col("k") < 700, Expr.col("k") != 5,
    ])
    func prunedReadEqualsUnprunedRead(_ predicate: Expr) throws {
        for columns in [["k", "v", "s"], ["s"], ["v", "k"]] {
            let (pruned, full, prunedPages, fullPages) = try readBoth(predicate, columns: columns)
            #expect(pruned.rowCount == full.rowCount, "\(predicate)")
            for (x, y) in zip(pruned.columns, full.columns) { #expect(x.elements == y.elements, "\(predicate)") }
            #expect(prunedPages <= fullPages)
        }
        // And the frame API (the scan source) agrees with a filter applied after a full read.
        let viaPlan = try readParquet(path, filter: predicate).compute()
        let after = try readParquet(path).compute().filter(try predicate.mask(on: readParquet(path).compute()))
        #expect(viaPlan.rowCount == after.rowCount)
        for (x, y) in zip(viaPlan.columns, after.columns) { #expect(x.elements == y.elements) }
    }

    /// Polars writes a page index too (one page per chunk in its fixture): whatever the
    /// predicate, the read through the index equals the read without it.
    @Test func polarsPageIndexGivesTheUnprunedRows() throws {
        let file = fixture("polars_default.parquet")
        for predicate in [Expr.col("req") < 75, Expr.col("req") > 5000, Expr.col("i64") > 0 && Expr.col("cat") == "JFK",
                          Expr.col("f64").isna(), Expr.col("ts_us") > Expr.literal(.timestamp(1_356_998_400_000_000))] {
            let (pruned, full, prunedPages, fullPages) = try readBoth(predicate, columns: ["req", "i64", "cat", "f64"], file: file)
            #expect(pruned.rowCount == full.rowCount, "\(predicate)")
            for (x, y) in zip(pruned.columns, full.columns) { #expect(x.elements == y.elements, "\(predicate)") }
            #expect(prunedPages <= fullPages)
        }
    }
}
