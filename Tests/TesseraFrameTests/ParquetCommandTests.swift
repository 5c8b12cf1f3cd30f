import Foundation
import Testing

/// The `tessera` commands on Parquet input, run as a child process (the binary built next to
/// this test bundle), checked against pandas' reading of the Parquet fixtures and against the
/// same command on the CSV the Parquet was converted from. (Here rather than in
/// TesseraParquetTests, to share `GroupbyCommandTests.run`.)
@Suite struct ParquetCommandTests {
    /// The Parquet fixtures (made by Tests/TesseraParquetTests/Fixtures/make_fixtures.py).
    func fixture(_ name: String) -> String {
        GroupbyCommandTests.root.appendingPathComponent("Tests/TesseraParquetTests/Fixtures/" + name).path
    }

    /// Exit status, standard output and standard error of `tessera ARGS`.
    func tessera(_ args: [String]) throws -> (Int32, String, String) { try GroupbyCommandTests.run(args) }

    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pq-cli-\(UUID())-\(name)").path
    }

    /// `schema` prints the footer's types, and the row-group count on standard error, for a
    /// file recognised by its magic bytes as well as by its extension.
    @Test func schemaShowsTypesAndRowGroups() throws {
        let noExtension = temporaryPath("groups.bin")
        defer { try? FileManager.default.removeItem(atPath: noExtension) }
        try FileManager.default.copyItem(atPath: fixture("pa_groups.parquet"), toPath: noExtension)
        for path in [fixture("pa_groups.parquet"), noExtension] {
            let (status, out, err) = try tessera(["schema", path])
            #expect(status == 0, "\(err)")
            let lines = Set(out.split(separator: "\n").map(String.init))
            #expect(lines.contains("req,int64,false") && lines.contains("cat,string,true") && lines.contains("ts_ns,timestamp,true"))
            #expect(err.contains("6 row groups in 1 file"))
        }
    }

    /// `groupby` on Parquet gives pandas' means of the fixture (pa_expected.json) per key.
    @Test func groupbyMatchesPandas() throws {
        // pa_expected.json: {"columns": [{"name", "values": [text or null]}]}, what pandas read.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fixture("pa_expected.json"))))
        let columns = try #require((json as? [String: Any])?["columns"] as? [[String: Any]])
        func values(_ name: String) throws -> [String?] {
            let c = try #require(columns.first { $0["name"] as? String == name })
            return try #require(c["values"] as? [Any]).map { $0 as? String }
        }
        let keys = try values("cat"), xs = try values("f64")
        // Keyed by bytes: the two Unicode forms of "café" are two groups.
        var sums: [[UInt8]: (Double, Int)] = [:]
        for (k, x) in zip(keys, xs) {
            guard let k, let x, let v = Double(x) else { continue }
            sums[Array(k.utf8), default: (0, 0)].0 += v
            sums[Array(k.utf8), default: (0, 0)].1 += 1
        }
        let (status, out, err) = try tessera(["groupby", fixture("pa_groups.parquet"), "--by", "cat", "--agg", "f64:mean"])
        #expect(status == 0, "\(err)")
        let rows = out.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(rows.count == sums.count)
        for r in rows {
            let (s, n) = try #require(sums[Array(r[0].utf8)], "\(r[0])")
            let got = try #require(Double(r[1])), want = s / Double(n)
            if want.isFinite {
                #expect(abs(got - want) <= 1e-12 * Swift.max(1, abs(want)), "\(r[0])")
            } else {
                #expect(got == want, "\(r[0])")
            }
        }
    }

    /// CSV → Hive-partitioned Parquet → `groupby`, `head` and `describe` on the folder give what
    /// the same commands give on the CSV.
    @Test func commandsReadHiveFoldersAsTheCSV() throws {
        let out = temporaryPath("hive")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (c, _, cerr) = try tessera(["convert", "data/1990.csv", out, "--partition-by", "Month", "--compression", "snappy"])
        #expect(c == 0, "\(cerr)")
        #expect(FileManager.default.fileExists(atPath: out + "/Month=1/part-00000.parquet"))
        let agg = ["--by", "Month", "--agg", "DepDelay:mean,Distance:sum"]
        let (s1, fromCSV, _) = try tessera(["groupby", "data/1990.csv"] + agg)
        let (s2, fromParquet, err) = try tessera(["groupby", out] + agg)
        #expect(s1 == 0 && s2 == 0, "\(err)")
        #expect(fromParquet == fromCSV)
        let (s3, schema, _) = try tessera(["schema", out])
        #expect(s3 == 0 && schema.contains("Month,int64,"))
        let (s4, described, _) = try tessera(["describe", out])
        let (_, describedCSV, _) = try tessera(["describe", "data/1990.csv"])
        #expect(s4 == 0)
        // Same statistics; the Parquet frame has Month last (a folder column).
        #expect(described.split(separator: "\n").count == describedCSV.split(separator: "\n").count)
        let (bad, _, badErr) = try tessera(["convert", out, temporaryPath("x"), "--partition-by", "Month"])
        #expect(bad == 64 || bad == 2, "\(badErr)")
    }
}
