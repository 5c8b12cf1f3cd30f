import Foundation
import Testing
@testable import TesseraFrame
@testable import TesseraParquet

/// A Python that can run the peers' readers, if this machine has one: `TESSERA_PYTHON`, the
/// benchmark peers' venv (`.build/peers`), then `python3` on the PATH; with each of pyarrow,
/// Polars and DuckDB that it can import.
enum PeerReaders {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static let python: (path: String, readers: [String])? = {
        let env = ProcessInfo.processInfo.environment["TESSERA_PYTHON"].map { [$0] } ?? []
        for python in env + [root + "/.build/peers/bin/python", "/usr/bin/python3"] {
            guard FileManager.default.isExecutableFile(atPath: python),
                  (try? run(python, ["-c", "import pyarrow"]))?.status == 0 else { continue }
            let readers = ["pyarrow", "polars", "duckdb"].filter { (try? run(python, ["-c", "import \($0)"]))?.status == 0 }
            return (python, readers)
        }
        return nil
    }()

    static func run(_ python: String, _ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

/// pyarrow, Polars and DuckDB, run live, read what Tessera writes (every codec, several row
/// groups and pages, nasty values, missing runs) as the values Tessera wrote. Skipped, and says
/// so, when no Python with pyarrow is found (`make` the peers' venv with `tessera-bench
/// --setup-peers`, or set `TESSERA_PYTHON`).
@Suite(.enabled(if: PeerReaders.python != nil, "no Python with pyarrow found (set TESSERA_PYTHON or run tessera-bench --setup-peers); peers' reading of Tessera's Parquet not checked live"))
struct ParquetPeerReadTests {
    static let codecs: [(String, ParquetCompression)] = [
        ("none", .none), ("snappy", .snappy), ("zstd", .zstd(level: 3)), ("gzip", .gzip(level: 6)), ("lz4", .lz4), ("brotli", .brotli(level: 1)),
    ]

    /// One canonical text per value, the same on both sides: integers and timestamps (µs) in
    /// decimal, doubles as their bit patterns, text as its UTF-8 bytes, missing as `null`.
    static func canonical(_ column: Column) -> [String] {
        column.elements.map { v in
            switch v {
            case .missing: return "null"
            case .int64(let x), .timestamp(let x): return String(x)
            case .float64(let x): return String(Int64(bitPattern: x.bitPattern))
            case .bool(let x): return x ? "true" : "false"
            case .string(let x): return "s" + x.utf8.map { String($0, radix: 16) }.joined(separator: ".")  // bytes: String's == would equate Unicode forms
            }
        }
    }

    @Test func peersReadWhatTesseraWrites() throws {
        let (python, readers) = try #require(PeerReaders.python)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-pq-peers-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let table = try ParquetRoundTripTests.nastyTable(rows: 600, seed: 11)
        for (name, codec) in Self.codecs {
            let bytes = try table.parquetBytes(compression: codec, rowGroupRows: 150, pageRows: 40)
            try Data(bytes).write(to: URL(fileURLWithPath: "\(dir)/\(name).parquet"))
        }
        let script = """
            import json, struct, sys
            import pyarrow as pa, pyarrow.compute as pc
            d, readers, names = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
            def canon(col):
                t = col.type
                if pa.types.is_timestamp(t):
                    col = pc.cast(pc.cast(col, pa.timestamp("us", tz=t.tz)), pa.int64())
                elif pa.types.is_dictionary(t):
                    col = pc.cast(col, pa.string())
                out = []
                for v in col.to_pylist():
                    if v is None: out.append("null")
                    elif isinstance(v, bool): out.append("true" if v else "false")
                    elif isinstance(v, float): out.append(str(struct.unpack("<q", struct.pack("<d", v))[0]))
                    elif isinstance(v, str): out.append("s" + ".".join(format(b, "x") for b in v.encode("utf-8")))
                    else: out.append(str(v))
                return out
            result = {}
            for r in readers:
                for n in names:
                    p = f"{d}/{n}.parquet"
                    if r == "pyarrow":
                        import pyarrow.parquet as pq; t = pq.read_table(p)
                    elif r == "polars":
                        import polars as pl; t = pl.read_parquet(p).to_arrow()
                    else:
                        import duckdb; t = duckdb.sql(f"SELECT * FROM '{p}'").to_arrow_table()
                    result[f"{r}/{n}"] = {"names": t.column_names, "columns": [canon(c) for c in t.columns]}
            json.dump(result, open(f"{d}/answers.json", "w"))
            """
        let run = try PeerReaders.run(python, ["-c", script, dir, readers.joined(separator: ","), Self.codecs.map(\.0).joined(separator: ",")])
        try #require(run.status == 0, "the peers' script failed: \(run.output)")
        let answers = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/answers.json"))) as! [String: [String: Any]]
        let expected = table.columns.map(Self.canonical)
        for reader in readers {
            for (name, _) in Self.codecs {
                let answer = try #require(answers["\(reader)/\(name)"], "\(reader) gave no answer for \(name)")
                #expect(answer["names"] as? [String] == table.names, "\(reader), \(name): column names")
                let columns = answer["columns"] as? [[String]] ?? []
                #expect(columns.count == expected.count)
                for (j, (got, want)) in zip(columns, expected).enumerated() where got != want {
                    let row = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
                    Issue.record("\(reader) reads \(name).parquet column \(table.names[j]) differently from row \(row) (\(got.count) rows against \(want.count))")
                }
            }
        }
    }
}
