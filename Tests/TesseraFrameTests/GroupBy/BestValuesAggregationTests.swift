import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// `largest(n)` / `smallest(n)` against a loop that sorts each group's rows: huge and tied
/// integers, doubles with NaN, ±inf and -0.0, missing values and keys, at random partitionings,
/// with the automatic split-out forced and `splitOut` given; every split gives the single
/// combine's table.
@Suite struct BestValuesAggregationTests {
    typealias Rng = SplitMix64

    /// Keys k (text, both Unicode forms of é, missing), j (int64); values x (int64: ties, huge),
    /// y (float64: NaN, ±inf, -0.0, missing), z (all missing in some partitions: only late rows).
    static func table(_ n: Int, seed: UInt64) throws -> Table {
        var r = Rng(state: seed)
        let texts = ["é", "e\u{301}", "a", "Z", "zz"]
        var k: [String?] = [], j: [Int64?] = [], x: [Int64?] = [], y: [Double?] = [], z: [Double?] = []
        for i in 0..<n {
            k.append(r.below(12) == 0 ? nil : texts[r.below(texts.count)])
            j.append(r.below(10) == 0 ? nil : Int64(r.below(4)))
            x.append(r.below(6) == 0 ? nil : [Int64.max, Int64.min, 0, 5, -5, 7][r.below(6)])
            y.append(r.below(7) == 0 ? nil : [Double.nan, .infinity, -.infinity, -0.0, 0, 1.5, 1e300, -2][r.below(8)])
            z.append(i < n / 2 || r.below(3) == 0 ? nil : Double(r.below(100)))
        }
        // Column(float64:) reads NaN as missing; y keeps NaN as a present value.
        let yc = Column(values: .float64(y.map { $0 ?? 0 }), validity: Bitmap(y.map { $0 != nil }))
        return try Table(["k": Column(dictionaryEncoding: k), "j": Column(int64: j), "x": Column(int64: x), "y": yc, "z": Column(float64: z)])
    }

    /// Per group in key order: each value column's best `n` as `Value`s (the loop's answer).
    static func reference(_ t: Table, keys: [String], dropna: Bool, columns: [String], n: Int, largest: Bool) throws -> [(key: [Value], best: [[Value]])] {
        // Keyed by bytes: String's == would merge the two Unicode forms of é.
        var rowsOf: [[[UInt8]]: [Int]] = [:]
        var firstKey: [[[UInt8]]: [Value]] = [:]
        var order: [[[UInt8]]] = []
        for i in 0..<t.rowCount {
            let key = try ManyGroupsTests.key(t, keys, i)
            if dropna && key.contains(where: \.isMissing) { continue }
            let id = Self.bytes(key)
            if rowsOf[id] == nil { order.append(id); firstKey[id] = key }
            rowsOf[id, default: []].append(i)
        }
        let sorted = order.enumerated().sorted { l, r in
            let c = compareRows(firstKey[l.element]!, firstKey[r.element]!)
            return c != 0 ? c < 0 : l.offset < r.offset
        }.map(\.element)
        return try sorted.map { id in
            let best = try columns.map { name -> [Value] in
                let c = try t.column(name)
                let present = rowsOf[id]!.filter { c.isValid($0) && !(c[$0].doubleValue?.isNaN ?? false) }
                // Stable: equal values keep row order.
                let ranked = present.enumerated().sorted { a, b in
                    let (u, v) = (c[a.element].doubleValue!, c[b.element].doubleValue!)
                    if case .int64(let p) = c[a.element], case .int64(let q) = c[b.element], p != q { return largest ? p > q : p < q }
                    if u != v { return largest ? u > v : u < v }
                    return a.offset < b.offset
                }
                return ranked.prefix(n).map { c[$0.element] }
            }
            return (firstKey[id]!, best)
        }
    }

    /// A key as bytes, type included.
    static func bytes(_ key: [Value]) -> [[UInt8]] { key.map { Array("\($0.typeName):\($0.description)".utf8) } }

    @Test(arguments: [(["k"], true, 2, true), (["k", "j"], false, 3, false), (["j"], false, 1, true), (["j", "k"], true, 2, false)])
    func matchesALoop(keys: [String], dropna: Bool, n: Int, largest: Bool) throws {
        var r = Rng(state: UInt64(keys.count * 97 + n))
        let columns = ["x", "y", "z"]
        let function: Aggregation = largest ? .largest(n) : .smallest(n)
        let aggregations = columns.map { NamedAggregation($0, function) } + [NamedAggregation("x", .size, name: "rows")]
        for trial in 0..<3 {
            let t = try Self.table(200 + r.below(300), seed: r.next())
            let expected = try Self.reference(t, keys: keys, dropna: dropna, columns: columns, n: n, largest: largest)
            let frame = try ManyGroupsTests.partitions(t, &r)
            var single = try frame.groupby(keys, dropna: dropna)
            single.autoSplitGroups = Int.max
            let baseline = try single.agg(aggregations).compute(scheduler: .threads(2))
            // Each group spans the longest of its lists; shorter ones are padded with missing.
            var row = 0
            for e in expected {
                let span = e.best.map(\.count).max()!
                for rank in 0..<span {
                    guard row < baseline.rowCount else { Issue.record("too few rows"); return }
                    let key = try ManyGroupsTests.key(baseline, keys, row)
                    #expect(Self.bytes(key) == Self.bytes(e.key), "row \(row): \(key) vs \(e.key)")
                    for (c, best) in e.best.enumerated() {
                        let got = baseline.columns[keys.count + c][row]
                        let want = rank < best.count ? best[rank] : .missing
                        #expect(Self.bytes([got]) == Self.bytes([want]),
                                "\(columns[c]) group \(e.key) rank \(rank): \(got) vs \(want)")
                    }
                    row += 1
                }
            }
            #expect(row == baseline.rowCount)
            for (threshold, splitOut) in [(0, 1), (3, 1), (0, 3), (Int.max, 2)] {
                var g = try frame.groupby(keys, dropna: dropna)
                g.autoSplitGroups = threshold
                let out = try g.agg(aggregations, splitOut: splitOut)
                #expect(out.partitionCount == splitOut)
                let table = try out.compute(scheduler: trial == 1 ? .synchronous : .threads(3))
                #expect(table.rowCount == baseline.rowCount)
                for c in 0..<table.columnCount {
                    #expect(table.columns[c].elements.map(\.description) == baseline.columns[c].elements.map(\.description),
                            "threshold \(threshold) splitOut \(splitOut) column \(table.names[c])")
                }
            }
        }
    }

    /// Partial states cross ranks as bytes and come back the same.
    @Test func stateRoundTripsThroughTheCodec() throws {
        let t = try Self.table(300, seed: 5)
        let plan = GroupPlan(keys: ["k"], aggregations: [NamedAggregation("y", .largest(2))], dropna: false)
        let p = try PartialGroups.chunk(t, plan)
        let back = try BlockCodec.decode(try BlockCodec.encode(p)) as! PartialGroups
        #expect(try back.finalize(plan).columns.map { $0.elements.map(\.description) } == p.finalize(plan).columns.map { $0.elements.map(\.description) })
    }

    @Test func rejectsBadArguments() throws {
        let frame = try ChunkedFrame(tables: [try Self.table(20, seed: 1)])
        #expect(throws: FrameError.self) { try frame.groupby("k").agg([NamedAggregation("x", .largest(0))]) }
        #expect(throws: FrameError.self) { try frame.groupby("j").agg([NamedAggregation("k", .smallest(2))]) }
        #expect(throws: FrameError.self) { try frame.groupby("k").agg([NamedAggregation("x", .corr(with: "nope"))]) }
        // The convenience spelling: pandas' SeriesGroupBy.nlargest.
        let a = try frame.groupby("k")["x"].nlargest(2).compute()
        let b = try frame.groupby("k").agg([NamedAggregation("x", .largest(2), name: "x")]).compute()
        #expect(a.columns.map { $0.elements.map(\.description) } == b.columns.map { $0.elements.map(\.description) })
    }
}
