import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// Issue 22's differential test: the same random data (Fixtures/semantics, made by
/// make_fixtures.py there) read as 1, 3 and 50 partitions gives pandas' answers at every
/// partitioning. Chunks disagree on types (zip codes, scientific notation, text, all-missing and
/// header-only chunks), text comes in both Unicode forms of a letter, and 0/0 makes NaNs.
@Suite struct DifferentialFrameTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/semantics")
    // Read-only once loaded (JSON objects are immutable Foundation values), so sharing it is safe.
    nonisolated(unsafe) static let expected: [String: Any] = {
        let data = try! Data(contentsOf: directory.appendingPathComponent("expected.json"))
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }()
    static let nfc = "\u{E9}", nfd = "e\u{301}"

    /// The chunks joined into `partitions` files (header once per file), read as one frame.
    static func frame(partitions: Int) throws -> ChunkedFrame {
        let chunks = (0..<50).map { directory.appendingPathComponent(String(format: "chunk_%02d.csv", $0)).path }
        if partitions == 50 { return try readCSV(chunks) }
        let dir = temporaryDirectory("differential\(partitions)")
        for g in 0..<partitions {
            var text = "k,z,n,s,x,y\n"
            for c in chunks[(g * 50 / partitions)..<((g + 1) * 50 / partitions)] {
                let body = try String(contentsOfFile: c, encoding: .utf8)
                text += body[body.index(after: body.firstIndex(of: "\n")!)...]
            }
            _ = writeCSV(text, name: String(format: "part_%02d.csv", g), in: dir)
        }
        return try readCSV(dir.path)
    }

    /// A column as UTF-8 bytes (nil for missing): text compared as data, not as canonical Strings.
    static func texts(_ c: Column) -> [[UInt8]?] {
        (0..<c.count).map { i in
            guard c.isValid(i) else { return nil }
            if case .string(let s) = c.values { return s.withBytes(i) { Array($0) } }
            return Array(c[i].description.utf8)
        }
    }
    static func texts(_ key: String) -> [[UInt8]?] {
        (expected[key] as! [Any]).map { ($0 as? String).map { Array($0.utf8) } }
    }
    static func int(_ key: String) -> Int { expected[key] as! Int }

    static func close(_ a: Double?, _ b: Double?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return abs(a - b) <= 1e-12 * Swift.max(1, abs(b))
    }

    @Test(arguments: [1, 3, 50])
    func matchesPandas(partitions: Int) throws {
        let df = try Self.frame(partitions: partitions)
        #expect(df.partitionCount == partitions)
        let s: Scheduler = partitions == 3 ? .threads(2) : .synchronous
        let t = try df.compute(scheduler: s)
        #expect(t.rowCount == Self.int("rows"))
        #expect(Self.texts(try t.column("z")) == Self.texts("z"))
        #expect(Self.texts(try t.column("s")) == Self.texts("s"))
        let n = (Self.expected["n"] as! [Any]).map { $0 as? Double }
        let nc = try t.column("n").cast(to: .float64)
        #expect((0..<nc.count).allSatisfy { Self.close(nc[$0].doubleValue, n[$0]) })

        // Text as bytes: distinct values, counts, filters, sorting, unique, concatenation.
        #expect(try df.nunique("s").compute(scheduler: s) == Self.int("s_nunique"))
        #expect(try df.nunique("s", dropna: false).compute(scheduler: s) == Self.int("s_nunique_keepna"))
        let vc = try df.valueCounts("s").compute(scheduler: s)
        let evc = Self.expected["s_value_counts"] as! [String: Any]
        #expect(Self.texts(try vc.column("s")) == (evc["values"] as! [String]).map { Array($0.utf8) })
        #expect(try vc.column("count").elements == (evc["counts"] as! [Int]).map { Value.int64(Int64($0)) })
        let vk = try df.valueCounts("k").compute(scheduler: s)
        let evk = Self.expected["k_value_counts"] as! [String: Any]
        #expect(try vk.column("k").elements == (evk["values"] as! [Int]).map { Value.int64(Int64($0)) })
        #expect(try vk.column("count").elements == (evk["counts"] as! [Int]).map { Value.int64(Int64($0)) })
        #expect(try df.filter(df["s"] == .literal(.string(Self.nfc))).rowCount(scheduler: s) == Self.int("s_eq_nfc_rows"))
        #expect(try df.filter(df["s"] == .literal(.string(Self.nfd))).rowCount(scheduler: s) == Self.int("s_eq_nfd_rows"))
        #expect(Self.texts(try df.sortValues(by: "s").compute(scheduler: s).column("s")) == Self.texts("s_sorted"))
        #expect(Self.texts(try df.unique("s", scheduler: s)) == Self.texts("s_unique"))
        #expect(Self.texts(try df.assign("p", df["s"] + "!").compute(scheduler: s).column("p")) == Self.texts("s_plus"))

        // NaN from 0/0 is missing everywhere.
        let q = try df.assign("q", df["x"] / df["y"])
        let isna = try q.isna().compute(scheduler: s).column("q").elements.filter { $0 == .bool(true) }.count
        #expect(isna == Self.int("q_isna"))
        #expect(try q.dropna(subset: ["q"]).rowCount(scheduler: s) == Self.int("q_dropna_rows"))
        let filled = try q.fillna(["q": .float64(-1)]).compute(scheduler: s).column("q")
        let sum = (0..<filled.count).reduce(0.0) { $0 + (filled[$1].doubleValue ?? .nan) }
        #expect(Self.close(sum, Self.expected["q_fillna_sum"] as? Double))
        #expect(try q.nunique("q").compute(scheduler: s) == Self.int("q_nunique"))
        #expect(try q.nunique("q", dropna: false).compute(scheduler: s) == Self.int("q_nunique_keepna"))
        let means = try q.groupby("k").agg([NamedAggregation("q", .mean, name: "m")]).compute(scheduler: s)
        let em = Self.expected["q_mean_by_k"] as! [String: Any]
        #expect(try means.column("k").elements == (em["k"] as! [Int]).map { Value.int64(Int64($0)) })
        let mc = try means.column("m"), ev = (em["mean"] as! [Any]).map { $0 as? Double }
        #expect(mc.count == ev.count && (0..<mc.count).allSatisfy { Self.close(mc[$0].doubleValue, ev[$0]) })

        // Joins: bytes and missing keys meet the same way broadcast or hash-partitioned.
        let other = try ChunkedFrame(tables: [try Table(["s": Column(string: [Self.nfc, Self.nfd, "02134", nil]),
                                                          "w": Column(int64: [1, 2, 3, 4])])])
        let qs = try q.select(["q"]).persist(scheduler: s)
        for broadcast in [true, false] {
            #expect(try df.merge(other, on: ["s"], broadcast: broadcast).rowCount(scheduler: s) == Self.int("merge_s_rows"))
            #expect(try q.merge(qs, on: ["q"], broadcast: broadcast).rowCount(scheduler: s) == Self.int("merge_q_rows"))
        }

        // All-missing partitions take the unified type: fillna and filters on text work.
        #expect(Self.texts(try df.fillna(["z": .string("zz")]).compute(scheduler: s).column("z")) == Self.texts("z_fillna"))
        #expect(try df.filter(df["z"] == "K1A 0B1").rowCount(scheduler: s) == Self.int("z_filter_text_rows"))
        #expect(Self.texts(try df.head(-3, scheduler: s).column("z")) == Self.texts("head_minus_3"))
        #expect(Self.texts(try df.tail(-3, scheduler: s).column("z")) == Self.texts("tail_minus_3"))
    }
}
