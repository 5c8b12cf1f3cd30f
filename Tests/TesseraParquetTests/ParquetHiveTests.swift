import Foundation
import Testing
import Tessera
@testable import TesseraFrame
@testable import TesseraParquet

/// Hive-style `key=value/` folders: read as columns (from pyarrow's `write_to_dataset` and from
/// Tessera's own `toParquet(partitionBy:)`), pruned by predicates on them, written atomically.
@Suite struct ParquetHiveTests {
    func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pq-hive-\(UUID())").path
    }

    /// Rows sorted by the int64 column `by`.
    func sorted(_ t: Table, by: String) throws -> Table {
        let keys = try t.column(by)
        return t.take((0..<t.rowCount).sorted { keys[$0].doubleValue! < keys[$1].doubleValue! })
    }

    @Test func pyarrowFoldersBecomeTypedColumns() throws {
        let expected = try ExpectedTable.load("hive_pa.json")
        let df = try readParquet(fixture("hive_pa"))
        #expect(df.schema.names == ["id", "value", "year", "city"])
        #expect(df.schema["year"]?.type == .int64)
        #expect(df.schema["city"]?.type == .string)
        let t = try sorted(try df.compute(), by: "id")
        #expect(t.rowCount == expected.rows)
        for c in expected.columns { expectEqual(try t.column(c.name), c, file: "hive_pa") }
    }

    /// A predicate on a folder key skips the other folders unread (their files are corrupted
    /// here), and gives the rows a full read filtered afterwards gives.
    @Test func predicatesOnKeysPruneFolders() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.copyItem(atPath: fixture("hive_pa"), toPath: dir)
        let p = Expr.col("year") == 2014 && Expr.col("city") != "Paris"
        let intact = try readParquet(fixture("hive_pa")).filter(p).compute()
        #expect(intact.rowCount > 0)
        for other in ["year=2013/city=Paris", "year=2013/city=New%20York", "year=__HIVE_DEFAULT_PARTITION__/city=x%2Fy%3Dz",
                      "year=2014/city=Paris"] {
            // The column chunks, not the footer: planning reads every footer, tasks the chunks.
            let file = dir + "/" + other + "/part-0.parquet"
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
            for group in try ParquetFileInfo(path: file).metadata.rowGroups {
                for c in group.columns { for k in c.byteRange { bytes[Int(k)] = 0xEE } }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: file))
        }
        let t = try readParquet(dir, filter: p).compute()
        #expect(sameRows(try sorted(t, by: "id"), try sorted(intact, by: "id")))
        #expect(try readParquet(fixture("hive_pa")).filter(Expr.col("year").isna()).select(["id"]).compute().columns[0].elements == [.int64(7)])
        let cafe2014: [Int] = (0..<40).filter { (i: Int) -> Bool in i % 4 == 1 && i % 3 == 0 }
        let got = try readParquet(dir).filter(Expr.col("city") == "caf\u{E9}" && Expr.col("year") > 2013).compute()
        #expect(try got.column("id").elements == cafe2014.map { Value.int64(Int64($0)) })
        // The missing-year folder holds a corrupted file: reading it fails, as a full read does.
        #expect(throws: (any Error).self) { try readParquet(dir).compute() }
    }

    /// Tessera writes `key=value/` folders (nasty key values included) and reads back the same
    /// rows; every file went through a temporary name.
    @Test func writesFoldersThatReadBackEqual() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let n = 120
        let cities = ["caf\u{E9}", "cafe\u{301}", "a/b=c", "New York", "02134", "", "x%41"]
        let ids: [Int64?] = (0..<n).map { Int64($0) }
        let years: [Int64?] = (0..<n).map { (i: Int) -> Int64? in
            let r: Int = i % 11
            return r == 0 ? nil : Int64(2010 + i % 3)
        }
        let cityValues: [String?] = (0..<n).map { (i: Int) -> String? in
            let r: Int = i % 13
            return r == 5 ? nil : cities[i % cities.count]
        }
        let vs: [Double?] = (0..<n).map { (i: Int) -> Double? in
            let r: Int = i % 7
            if r == 0 { return nil }
            return i % 2 == 0 ? Double(i) * 0.25 : -Double.infinity
        }
        let table = try Table(names: ["id", "year", "city", "v"],
                              columns: [Column(int64: ids), Column(int64: years), Column(string: cityValues), Column(float64: vs)])
        let frame = try ChunkedFrame(table, partitionSize: 37)
        let written = try frame.toParquet(dir, partitionBy: ["year", "city"])
        #expect(written.allSatisfy { $0.contains("/year=") && $0.hasSuffix(".parquet") })
        let names = FileManager.default.enumerator(atPath: dir)!.compactMap { $0 as? String }
        #expect(!names.contains { $0.contains(".tmp") })
        #expect(names.contains("year=2010/city=caf%C3%A9") && names.contains("year=2010/city=cafe%CC%81"))
        #expect(names.contains { $0.hasPrefix("year=__HIVE_DEFAULT_PARTITION__/") })
        let back = try readParquet(dir)
        #expect(back.schema.names == ["id", "v", "year", "city"])
        #expect(back.schema["year"]?.type == .int64)
        let t = try sorted(try back.compute(), by: "id")
        let want = try table.select(["id", "v", "year", "city"])
        #expect(t.rowCount == n)
        // Text compared by bytes: both Unicode forms of é stay apart.
        for (a, b) in zip(t.columns, want.columns) {
            let got: [[UInt8]] = a.elements.map { $0.textBytes }, want: [[UInt8]] = b.elements.map { $0.textBytes }
            #expect(got == want)
        }
        // "02134" is a string key: not every value of `city` is an integer.
        let onlyDigits = try readParquet(dir, filter: Expr.col("city") == "02134").compute()
        #expect(onlyDigits.rowCount == cityValues.filter { $0 == "02134" }.count)
    }

    @Test func badPartitionByIsAnError() throws {
        let frame = try ChunkedFrame(try Table(names: ["a"], columns: [Column(int64: [1, 2])]), partitionSize: 2)
        #expect(throws: FrameError.self) { try frame.toParquet(temporaryDirectory(), partitionBy: ["b"]) }
        #expect(throws: FrameError.self) { try frame.toParquet(temporaryDirectory(), partitionBy: ["a"]) }
    }

    /// Files under different keys, or a key that is also a file column, are errors naming both.
    @Test func inconsistentFoldersAreErrors() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bytes = try Table(names: ["a"], columns: [Column(int64: [1])]).parquetBytes()
        for sub in ["k=1", "j=2"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + sub, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + sub + "/p.parquet"))
        }
        #expect { try readParquet(dir) } throws: { "\($0)".contains("differ") && "\($0)".contains("j=2") }
        let clash = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: clash) }
        try FileManager.default.createDirectory(atPath: clash + "/a=1", withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: clash + "/a=1/p.parquet"))
        #expect { try readParquet(clash) } throws: { "\($0)".contains("Hive") && "\($0)".contains("'a'") }
        #expect(isParquetPath(clash))
    }
}

extension Value {
    /// Text as UTF-8 bytes (other values as their description), so comparisons tell Unicode forms apart.
    var textBytes: [UInt8] {
        if case .string(let s) = self { return Array(s.utf8) }
        return Array("\(self)".utf8)
    }
}
