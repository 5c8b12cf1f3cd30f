import Foundation
import Testing
@testable import TesseraFrame
@testable import TesseraParquet

/// Tessera writes, then reads back (itself, and pyarrow, Polars and DuckDB through the
/// committed fixture and its answer).
@Suite struct ParquetRoundTripTests {
    /// A random table with nasty values: NaN (missing), ±inf, Int64's extremes, both Unicode
    /// forms of é, zip-code-like text, empty strings, and runs of missing values.
    static func nastyTable(rows: Int, seed: UInt64) throws -> Table {
        var g = SplitMix64(state: seed)
        let words = ["JFK", "LGA", "caf\u{E9}", "cafe\u{301}", "", "02134", "00501", String(repeating: "é", count: 30)]
        var ints: [Int64?] = [], doubles: [Double?] = [], bools: [Bool?] = [], text: [String?] = [], uniq: [String?] = [], ts: [Int64?] = []
        for i in 0..<rows {
            let missing = g.next() % 5 == 0 || (i >= rows / 3 && i < rows / 3 + 40)
            let pick = Int(g.next() % 8)
            ints.append(missing ? nil : [Int64.max, Int64.min, 0, -1][pick % 4] &+ Int64(bitPattern: g.next() % 3))
            doubles.append(missing ? nil : [Double.infinity, -.infinity, -0.0, 1e-310, 3.25, -1e300, 0.1, 7][pick])
            bools.append(missing ? nil : g.next() % 2 == 0)
            text.append(missing ? nil : words[pick])
            uniq.append(missing ? nil : "row-\(i)-\(g.next() % 1000)")
            ts.append(missing ? nil : Int64(bitPattern: g.next() % (1 << 50)) - (1 << 49))
        }
        return try Table(["i": Column(int64: ints), "d": Column(float64: doubles), "b": Column(bool: bools),
                          "s": Column(dictionaryEncoding: text), "u": Column(string: uniq), "t": Column(timestamp: ts)],
                         order: ["i", "d", "b", "s", "u", "t"])
    }

    @Test(arguments: [ParquetCompression.none, .snappy, .zstd(level: 3), .gzip(level: 6), .lz4, .brotli(level: 1)])
    func tesseraReadsBackWhatItWrote(_ compression: ParquetCompression) throws {
        let table = try Self.nastyTable(rows: 700, seed: 42)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-pq-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Random partitioning, small row groups and pages: several of each per file.
        let frame = try ChunkedFrame(table, partitionSize: 230)
        let paths = try frame.toParquet(dir, compression: compression, rowGroupRows: 100)
        #expect(paths.count == 4)
        let back = try readParquet(dir).compute()
        #expect(back.names == table.names)
        #expect(back.rowCount == table.rowCount)
        for (a, b) in zip(table.columns, back.columns) {
            #expect(a.elements == b.elements)
        }
        #expect(try !FileManager.default.contentsOfDirectory(atPath: dir).contains { $0.hasPrefix(".") }, "no temporary file left")
    }

    @Test func smallPagesAndPlainFallbackReadBack() throws {
        let table = try Self.nastyTable(rows: 500, seed: 7)
        let bytes = try table.parquetBytes(compression: .snappy, rowGroupRows: 128, pageRows: 17)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-pq-\(UUID()).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let back = try readParquet(path).compute()
        for (a, b) in zip(table.columns, back.columns) { #expect(a.elements == b.elements) }
        #expect(back.columns[3].isDictionaryEncoded)
    }

    /// Tessera's file of the pyarrow fixture's data is committed with what pyarrow, Polars and
    /// DuckDB read from it (make_roundtrip.py); the writer must still produce those bytes, and
    /// the peers' answer must be the fixture's own values.
    @Test func pyarrowPolarsAndDuckDBReadTesserasFile() throws {
        let table = try readParquet(fixture("pa_default.parquet")).compute()
        let bytes = try table.parquetBytes(compression: .snappy, rowGroupRows: 128, pageRows: 50)
        if ProcessInfo.processInfo.environment["TESSERA_WRITE_FIXTURES"] != nil {
            try Data(bytes).write(to: fixtures.appendingPathComponent("tessera_written.parquet"))
        }
        let committed = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent("tessera_written.parquet")))
        #expect(committed == bytes, "the writer changed: rerun with TESSERA_WRITE_FIXTURES=1, then make_roundtrip.py")
        let expected = try ExpectedTable.load("pa_expected.json")
        for reader in ["pyarrow", "polars", "duckdb"] {
            let peer = try ExpectedTable.load("tessera_written.\(reader).json")
            #expect(peer.rows == expected.rows)
            for c in expected.columns {
                guard let p = peer.column(c.name) else { Issue.record("\(reader) lacks \(c.name)"); continue }
                // Tessera writes every integer as INT64 and dates as timestamps, so compare values.
                #expect(p.values == c.values, "\(reader) reads \(c.name) differently")
            }
        }
    }
}
