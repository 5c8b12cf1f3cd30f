import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// `corr(with:)` against a two-pass loop over each group's complete pairs: missing values and
/// NaN in either column skip the row, infinities and constant columns give missing, groups of
/// one pair give missing; random partitionings (empty partitions, one-row ones), the automatic
/// split-out forced and `splitOut` given, each giving the single combine's table.
@Suite struct CorrAggregationTests {
    typealias Rng = SplitMix64

    /// Keys k (text, missing) and j (int64, missing); x int64 (huge ones too), y float64 with
    /// NaN (present) and missing; group "Z" holds an infinity, "const" a constant x, "one" a
    /// single row.
    static func table(_ n: Int, seed: UInt64) throws -> Table {
        var r = Rng(state: seed)
        let texts = ["é", "e\u{301}", "a", "Z", "const"]
        var k: [String?] = [], j: [Int64?] = [], x: [Int64?] = [], y: [Double?] = []
        for i in 0..<n {
            let key = i == n / 3 ? "one" : (r.below(12) == 0 ? nil : texts[r.below(texts.count)])
            k.append(key)
            j.append(r.below(10) == 0 ? nil : Int64(r.below(3)))
            x.append(r.below(9) == 0 ? nil : key == "const" ? 3 : (r.below(40) == 0 ? 1 << 40 : Int64(r.below(200)) - 100))
            let v = Double(r.below(1000)) / 7 - 50 + Double(x.last!.map { $0 % 97 } ?? 0)
            y.append(r.below(8) == 0 ? nil : r.below(15) == 0 ? .nan : key == "Z" && r.below(20) == 0 ? .infinity : v)
        }
        let yc = Column(values: .float64(y.map { $0 ?? 0 }), validity: Bitmap(y.map { $0 != nil }))
        return try Table(["k": Column(dictionaryEncoding: k), "j": Column(int64: j), "x": Column(int64: x), "y": yc])
    }

    /// Pearson's r of the complete pairs of `rows`, nil when pandas gives NaN.
    static func reference(_ t: Table, rows: [Int]) throws -> Double? {
        let x = try t.column("x"), y = try t.column("y")
        let pairs = rows.compactMap { i -> (Double, Double)? in
            guard let a = x[i].doubleValue, let b = y[i].doubleValue, !a.isNaN, !b.isNaN else { return nil }
            return (a, b)
        }
        guard pairs.count >= 2 else { return nil }
        let mx = pairs.map(\.0).reduce(0, +) / Double(pairs.count), my = pairs.map(\.1).reduce(0, +) / Double(pairs.count)
        var sx = 0.0, sy = 0.0, c = 0.0
        for (a, b) in pairs { sx += (a - mx) * (a - mx); sy += (b - my) * (b - my); c += (a - mx) * (b - my) }
        guard sx > 0, sy > 0, sx.isFinite, sy.isFinite, c.isFinite else { return nil }
        return c / (sx * sy).squareRoot()
    }

    @Test(arguments: [(["k"], true), (["k", "j"], false), (["j"], false)])
    func matchesALoop(keys: [String], dropna: Bool) throws {
        var r = Rng(state: UInt64(keys.count * 13 + (dropna ? 1 : 0)))
        let aggregations = [NamedAggregation("x", .corr(with: "y")), NamedAggregation("y", .corr(with: "x"), name: "yx")]
        for trial in 0..<3 {
            let t = try Self.table(300 + r.below(300), seed: r.next())
            var members: [[[UInt8]]: [Int]] = [:]  // by bytes: the two forms of é differ
            for i in 0..<t.rowCount {
                let key = try ManyGroupsTests.key(t, keys, i)
                if dropna && key.contains(where: \.isMissing) { continue }
                members[BestValuesAggregationTests.bytes(key), default: []].append(i)
            }
            let frame = try ManyGroupsTests.partitions(t, &r)
            var single = try frame.groupby(keys, dropna: dropna)
            single.autoSplitGroups = Int.max
            let baseline = try single.agg(aggregations).compute(scheduler: .threads(2))
            #expect(baseline.rowCount == members.count)
            var missing = 0, present = 0
            for row in 0..<baseline.rowCount {
                let key = BestValuesAggregationTests.bytes(try ManyGroupsTests.key(baseline, keys, row))
                guard let rows = members[key] else { Issue.record("no group \(key)"); continue }
                let want = try Self.reference(t, rows: rows)
                for c in [keys.count, keys.count + 1] {
                    let got = baseline.columns[c][row].doubleValue
                    if let w = want, let g = got {
                        #expect(abs(g - w) <= 1e-9, "\(key): \(g) vs \(w)")
                        present += 1
                    } else {
                        #expect(want == nil && got == nil, "\(key): \(String(describing: got)) vs \(String(describing: want))")
                        missing += 1
                    }
                }
            }
            #expect(present > 0 && missing > 0)  // both cases met
            for (threshold, splitOut) in [(0, 1), (2, 1), (0, 3), (Int.max, 2)] {
                var g = try frame.groupby(keys, dropna: dropna)
                g.autoSplitGroups = threshold
                let table = try g.agg(aggregations, splitOut: splitOut).compute(scheduler: trial == 1 ? .synchronous : .threads(3))
                for c in 0..<table.columnCount {
                    #expect(table.columns[c].elements.map(\.description) == baseline.columns[c].elements.map(\.description),
                            "threshold \(threshold) splitOut \(splitOut) column \(table.names[c])")
                }
            }
        }
    }

    /// The projection pushed to the scan keeps corr's second column.
    @Test func projectionKeepsTheSecondColumn() throws {
        let t = try Self.table(200, seed: 3)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("corr-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try t.csv().write(to: dir.appendingPathComponent("t.csv"), atomically: true, encoding: .utf8)
        let fromFile = try readCSV(dir.path).groupby("k").agg([NamedAggregation("x", .corr(with: "y"))]).compute()
        let inMemory = try ChunkedFrame(tables: [t]).groupby("k").agg([NamedAggregation("x", .corr(with: "y"))]).compute()
        #expect(fromFile.rowCount == inMemory.rowCount)
        for row in 0..<fromFile.rowCount {
            let (a, b) = (fromFile.columns[1][row].doubleValue, inMemory.columns[1][row].doubleValue)
            #expect((a == nil && b == nil) || abs((a ?? 9) - (b ?? -9)) <= 1e-12, "row \(row)")
        }
    }
}
