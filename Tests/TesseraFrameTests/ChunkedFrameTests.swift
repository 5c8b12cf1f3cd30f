import Foundation
import Testing
import Tessera
@testable import TesseraFrame

/// Frame operations, each checked against a naive loop over the same rows, on several
/// partitionings and schedulers.
@Suite struct ChunkedFrameTests {
    static let origins = ["JFK", "LGA", "EWR"]
    /// Row i: Origin origins[i % 3], DepDelay (i * 7 % 41) - 10 or missing every 11th row, Dist i * 1.5.
    static func rows(_ n: Int) -> (origin: [String], delay: [Int64?], dist: [Double]) {
        let origin: [String] = (0..<n).map { origins[$0 % 3] }
        let delay: [Int64?] = (0..<n).map { i -> Int64? in i % 11 == 0 ? nil : Int64(i * 7 % 41) - 10 }
        let dist: [Double] = (0..<n).map { Double($0) * 1.5 }
        return (origin, delay, dist)
    }

    static func frame(_ n: Int, partitionSize: Int) throws -> ChunkedFrame {
        let r = rows(n)
        let t = try Table(["Origin": Column(dictionaryEncoding: r.origin), "DepDelay": Column(int64: r.delay), "Distance": Column(float64: r.dist)],
                          order: ["Origin", "DepDelay", "Distance"])
        return try ChunkedFrame(t, partitionSize: partitionSize)
    }

    static let schedulers: [Scheduler] = [.synchronous, .threads(1), .threads(2), .threads(4)]

    @Test(arguments: [7, 50, 1000])
    func filterWithExpressions(partitionSize: Int) throws {
        let df = try Self.frame(300, partitionSize: partitionSize)
        let r = Self.rows(300)
        let expected = (0..<300).filter { i in (r.delay[i].map { $0 > 15 } ?? false) && r.origin[i] == "JFK" }
        for s in Self.schedulers {
            let t = try df.filter(df["DepDelay"] > 15 && df["Origin"] == "JFK").compute(scheduler: s)
            #expect(t["Distance"]!.elements == expected.map { .float64(r.dist[$0]) })
        }
        let notJFK = try df.filter(!(df["Origin"] == "JFK") || df["DepDelay"].isna()).compute(scheduler: .threads(2))
        #expect(notJFK.rowCount == (0..<300).filter { r.origin[$0] != "JFK" || r.delay[$0] == nil }.count)
        let ne = try df.filter(df["DepDelay"] != 5).compute()
        #expect(ne.rowCount == (0..<300).filter { r.delay[$0] != 5 }.count, "missing != x is true, as pandas")
    }

    @Test func assignArithmetic() throws {
        let df = try Self.frame(100, partitionSize: 13)
        let r = Self.rows(100)
        let t = try df.assign("Speed", df["Distance"] / (df["DepDelay"] + 100))
            .assign("Twice", df["DepDelay"] * 2).compute(scheduler: .threads(2))
        #expect(t.names == ["Origin", "DepDelay", "Distance", "Speed", "Twice"])
        #expect(t["Twice"]!.type == .int64)
        for i in 0..<100 {
            if let d = r.delay[i] {
                #expect(t["Speed"]![i] == .float64(r.dist[i] / Double(d + 100)))
                #expect(t["Twice"]![i] == .int64(d * 2))
            } else {
                #expect(t["Speed"]![i] == .missing)
                #expect(t["Twice"]![i] == .missing)
            }
        }
    }

    @Test func selectDropRenameAstype() throws {
        let df = try Self.frame(20, partitionSize: 6)
        #expect(try df.select(["Distance", "Origin"]).compute().names == ["Distance", "Origin"])
        #expect(try df.drop(["Distance"]).compute().names == ["Origin", "DepDelay"])
        let renamed = try df.rename(["DepDelay": "delay"])
        #expect(renamed.columns == ["Origin", "delay", "Distance"])
        #expect(try renamed.compute().names == ["Origin", "delay", "Distance"])
        let cast = try df.astype(["DepDelay": .float64, "Distance": .string]).compute()
        #expect(cast["DepDelay"]!.type == .float64)
        #expect(cast["Distance"]![3] == .string("4.5"))
        #expect(cast["DepDelay"]![0] == .missing)
    }

    @Test func missingValues() throws {
        let df = try Self.frame(50, partitionSize: 8)
        let r = Self.rows(50)
        let na = try df.isna().compute()
        #expect(na["DepDelay"]!.elements == r.delay.map { .bool($0 == nil) })
        #expect(try df.notna().compute()["Origin"]!.elements == Array(repeating: .bool(true), count: 50))
        let filled = try df.fillna(["DepDelay": .int64(0)]).compute()
        #expect(filled["DepDelay"]!.elements == r.delay.map { .int64($0 ?? 0) })
        #expect(try df.fillna(.int64(-1)).compute()["DepDelay"]!.nullCount == 0)
        let dropped = try df.dropna().compute()
        #expect(dropped.rowCount == r.delay.compactMap { $0 }.count)
        #expect(try df.dropna(subset: ["Origin"]).rowCount() == 50)
    }

    @Test func headTailCountAndLength() throws {
        let df = try Self.frame(40, partitionSize: 9)
        let r = Self.rows(40)
        #expect(try df.head(12)["Distance"]!.elements == (0..<12).map { .float64(r.dist[$0]) })
        #expect(try df.tail(3)["Distance"]!.elements == (37..<40).map { .float64(r.dist[$0]) })
        #expect(try df.head(100).rowCount == 40)
        #expect(try df.filter(df["DepDelay"] > 0).rowCount() == r.delay.filter { ($0 ?? 0) > 0 }.count)
        let counts = try df.count()
        #expect(counts.map(\.count) == [40, r.delay.compactMap { $0 }.count, 40])
    }

    @Test func headReadsOnlyTheFirstPartitions() throws {
        let dir = temporaryDirectory()
        _ = writeCSV("a\n1\n2\n", name: "1.csv", in: dir)
        _ = writeCSV("a\n1\n\"broken\n", name: "2.csv", in: dir)
        let df = try readCSV(dir.path)
        #expect(try df.head(2)["a"]!.elements == [.int64(1), .int64(2)])
        #expect(throws: (any Error).self) { try df.head(3) }
    }

    @Test func describeMatchesNaiveStatistics() throws {
        let df = try Self.frame(101, partitionSize: 10)
        let r = Self.rows(101)
        let d = try df.describe(scheduler: .threads(2))
        #expect(d.names == ["statistic", "DepDelay", "Distance"])
        let v = r.delay.compactMap { $0 }.map { Double($0) }.sorted()
        let mean = v.reduce(0, +) / Double(v.count)
        let std = (v.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(v.count - 1)).squareRoot()
        func q(_ p: Double) -> Double {
            let pos = p * Double(v.count - 1), lo = Int(pos)
            return v[lo] + (v[min(lo + 1, v.count - 1)] - v[lo]) * (pos - Double(lo))
        }
        let got = d["DepDelay"]!.elements.map { $0.doubleValue! }
        let want = [Double(v.count), mean, std, v.first!, q(0.25), q(0.5), q(0.75), v.last!]
        for (g, w) in zip(got, want) { #expect(abs(g - w) <= 1e-12 * max(1, abs(w))) }
        // Distance: 0, 1.5, …, 150; median 75.
        #expect(d["Distance"]![5] == .float64(75))
    }

    @Test func valueCountsUniqueNunique() throws {
        let df = try Self.frame(100, partitionSize: 7)
        let r = Self.rows(100)
        let vc = try df.valueCounts("Origin").compute(scheduler: .threads(2))
        let naive = Dictionary(grouping: r.origin, by: { $0 }).mapValues(\.count)
        #expect(vc.rowCount == 3)
        for i in 0..<3 {
            guard case .string(let o) = vc["Origin"]![i], case .int64(let n) = vc["count"]![i] else { Issue.record("types"); continue }
            #expect(Int(n) == naive[o])
        }
        #expect(vc["Origin"]![0] == .string("JFK"), "most frequent first (JFK has 34 of 100)")
        #expect(try df.unique("Origin").elements == ["JFK", "LGA", "EWR"].map { .string($0) })
        #expect(try df.nunique("DepDelay").compute() == Set(r.delay.compactMap { $0 }).count)
        #expect(try df.unique("DepDelay").count == Set(r.delay.compactMap { $0 }).count)
    }

    @Test func toCSVRoundTrips() throws {
        let df = try Self.frame(30, partitionSize: 11)
        let out = temporaryDirectory().appendingPathComponent("out").path
        let paths = try df.toCSV(out, scheduler: .threads(2))
        #expect(paths.map { ($0 as NSString).lastPathComponent } == ["part-00000.csv", "part-00001.csv", "part-00002.csv"])
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["part-00000.csv", "part-00001.csv", "part-00002.csv"], "no temporary files left")
        let back = try readCSV(out).compute()
        let orig = try df.compute()
        for n in orig.names { #expect(back[n]!.elements == orig[n]!.elements, "column \(n)") }
    }

    @Test func csvTextQuotesAndFormats() throws {
        let t = try Table(["s": Column(string: ["a,b", "say \"hi\"", nil]), "f": Column(float64: [0.1, 1e300, nil]),
                           "b": Column(bool: [true, false, nil])], order: ["s", "f", "b"])
        #expect(t.csv() == "s,f,b\n\"a,b\",0.1,True\n\"say \"\"hi\"\"\",1e+300,False\n,,\n")
    }

    @Test func persistKeepsResults() throws {
        let df = try Self.frame(25, partitionSize: 10).filter(Expr.col("DepDelay") > 0)
        let p = try df.persist(scheduler: .threads(2))
        #expect(p.knownRowCounts != nil)
        #expect(try p.compute().rowCount == df.compute().rowCount)
    }

    @Test func printingLikePandas() throws {
        let t = try Table(["a": Column(int64: [1, nil, 300]), "name": Column(string: ["x", "yy", nil])], order: ["a", "name"])
        #expect(t.render() == "      a  name\n0     1     x\n1  <NA>    yy\n2   300  <NA>\n\n[3 rows x 2 columns]")
        let long = try Table(["v": Column(float64: (0..<100).map { Double($0) })], order: ["v"])
        let lines = long.render(maxRows: 4).split(separator: "\n")
        #expect(lines[1].hasSuffix("0.0") && lines[3].hasPrefix("...") && lines[5].hasPrefix("99"))
        let df = try Self.frame(10, partitionSize: 5)
        #expect(df.description.hasPrefix("ChunkedFrame(2 partitions, 3 columns)"))
    }

    @Test func exprTypeErrorsAreReported() throws {
        let df = try Self.frame(10, partitionSize: 5)
        #expect(errorMessage { _ = try df.filter(df["Origin"] + 1 > 2).compute() }
                == "column 'Origin' is string, expected a number for (df[\"Origin\"] + 1)")
        #expect(errorMessage { _ = try df.filter(df["Distance"]).compute() }
                == "column 'df[\"Distance\"]' is float64, expected bool (a predicate)")
    }
}
