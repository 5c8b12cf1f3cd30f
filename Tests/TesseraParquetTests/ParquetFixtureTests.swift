import Foundation
import Testing
import TesseraFrame
@testable import TesseraParquet

/// Files written by pyarrow (every codec, dictionary on and off, v1 and v2 pages, the version-2
/// encodings, INT96), Polars and DuckDB, each read whole and compared value by value with what
/// pandas read from the same file.
@Suite struct ParquetFixtureTests {
    static let pyarrowFiles = ["pa_default", "pa_pages", "pa_plain", "pa_fallback", "pa_v2", "pa_zstd", "pa_gzip",
                               "pa_lz4", "pa_brotli", "pa_int96", "pa_crc", "pa_delta", "pa_groups"]

    @Test(arguments: pyarrowFiles.map { ($0, "pa_expected.json") }
            + [("polars_default", "polars_default.json"), ("duckdb_default", "duckdb_default.json"), ("duckdb_v2", "duckdb_v2.json")])
    func readsEveryValueAsPandasDoes(_ name: String, _ answer: String) throws {
        let expected = try ExpectedTable.load(answer)
        let table = try readParquet(fixture(name + ".parquet")).compute()
        #expect(table.rowCount == expected.rows)
        #expect(table.names == expected.columns.map(\.name))
        for c in expected.columns {
            guard let col = table[c.name] else { Issue.record("\(name): no column \(c.name)"); continue }
            expectEqual(col, c, file: name)
        }
    }

    @Test func dictionaryEncodedTextStaysDictionaryEncoded() throws {
        let t = try readParquet(fixture("pa_default.parquet"), columns: ["cat"]).compute()
        #expect(t.columns[0].isDictionaryEncoded)
        // The fallback file's chunk switches to PLAIN pages, so its text is plain.
        let f = try readParquet(fixture("pa_fallback.parquet"), columns: ["uniq"]).compute()
        #expect(!f.columns[0].isDictionaryEncoded)
    }

    @Test func projectionReadsOnlyTheNamedColumnsInTheirOrder() throws {
        let expected = try ExpectedTable.load("pa_expected.json")
        let t = try readParquet(fixture("pa_pages.parquet"), columns: ["ts_ns", "i32"]).compute()
        #expect(t.names == ["ts_ns", "i32"])
        expectEqual(t.columns[0], expected.column("ts_ns")!, file: "pa_pages")
        expectEqual(t.columns[1], expected.column("i32")!, file: "pa_pages")
    }

    @Test func nestedColumnsAreAnErrorUnlessLeftOut() throws {
        let a = try readParquet(fixture("pa_nested.parquet"), columns: ["a"]).compute()
        #expect(a.columns[0].elements == [.int64(1), .int64(2), .int64(3)])
        #expect {
            _ = try readParquet(fixture("pa_nested.parquet"))
        } throws: { e in
            "\(e)".contains("column 'l'") && "\(e)".contains("nested")
        }
        // A filter on a nested column names it too, and a later select can't reach it.
        #expect {
            _ = try readParquet(fixture("pa_nested.parquet"), columns: ["a"], filter: Expr.col("s").notna())
        } throws: { e in
            "\(e)".contains("column 's'") && "\(e)".contains("nested")
        }
        #expect(throws: FrameError.self) { try readParquet(fixture("pa_nested.parquet"), columns: ["a"]).select(["a", "l"]) }
    }

    @Test func schemaIsKnownFromTheFooter() throws {
        let df = try readParquet(fixture("pa_default.parquet"))
        #expect(df.schema["i64"]?.type == .int64)
        #expect(df.schema["req"]?.nullable == false)
        #expect(df.schema["ts_ns"]?.type == .timestamp)
        #expect(df.schema["dec"]?.type == .float64)
        // A scan's row count comes from the footer: counting reads no column chunk.
        #expect(try df.rowCount() == 300)
    }
}
