import Tessera
import Testing
@testable import TesseraFrame

@Suite struct SortTests {
    /// 200 rows: a (int64, many ties, some missing), b (text, some missing), x (float with NaN-free
    /// missing values), id (row number, to check stability).
    static func table() throws -> Table {
        var rng = SplitMix64(state: 5)
        let n = 200
        let words = ["kiwi", "apple", "Banana", "fig", "é"]
        return try Table([
            "a": Column(int64: (0..<n).map { _ in rng.below(8) == 0 ? nil : Int64(rng.below(6)) - 2 }),
            "b": Column(dictionaryEncoding: (0..<n).map { _ in rng.below(7) == 0 ? nil : words[rng.below(words.count)] }),
            "x": Column(float64: (0..<n).map { _ in rng.below(9) == 0 ? nil : Double(rng.below(1000)) / 8 }),
            "id": Column(int64: (0..<n).map { Int64($0) }),
        ])
    }

    /// A stable reference sort of rows with `compareValues` (missing last in either direction).
    static func reference(_ t: Table, _ by: [String], _ asc: [Bool]) -> [Int64] {
        let idx = by.map { t.index(of: $0)! }
        let rows = (0..<t.rowCount).map { t.row($0) }
        let order = (0..<t.rowCount).sorted { i, j in
            for (k, c) in idx.enumerated() {
                let (x, y) = (rows[i][c], rows[j][c])
                if x.isMissing || y.isMissing {
                    if x.isMissing != y.isMissing { return y.isMissing }
                    continue
                }
                let r = compareValues(x, y)
                if r != 0 { return asc[k] ? r < 0 : r > 0 }
            }
            return i < j
        }
        return order.map { Int64($0) }
    }

    @Test(arguments: [
        (["a"], [true]), (["a"], [false]), (["b", "a"], [true, false]), (["x"], [true]), (["b"], [false]),
    ])
    func sortsStablyWithMissingLast(by: [String], ascending: [Bool]) throws {
        let t = try Self.table()
        let expected = Self.reference(t, by, ascending)
        for (size, parts) in [(200, nil), (33, nil), (17, 5), (50, 1)] as [(Int, Int?)] {
            let frame = try ChunkedFrame(t, partitionSize: size)
            let sorted = try frame.sortValues(by: by, ascending: ascending, partitions: parts)
            for s in [Scheduler.synchronous, .threads(4)] {
                let out = try sorted.compute(scheduler: s)
                #expect(out.rowCount == t.rowCount)
                #expect(try out.column("id").elements == expected.map { .int64($0) }, "\(by) \(ascending) size \(size)")
            }
        }
    }

    @Test func setIndexLocAndAlignedMerge() throws {
        let t = try Self.table()
        let frame = try ChunkedFrame(t, partitionSize: 30)
        let indexed = try frame.setIndex("a", partitions: 4)
        #expect(indexed.divisions.count <= 3)
        let all = try indexed.compute()
        #expect(try all.column("id").elements == Self.reference(t, ["a"], [true]).map { .int64($0) })
        // Every partition holds only keys of its range.
        let parts = try TaskGraph(indexed.frame.partitions).compute().map { $0 as! Table }
        for (p, part) in parts.enumerated() {
            for v in try part.column("a").elements { #expect(indexed.partition(of: v) == p) }
        }
        // loc reads one partition and finds every row of a key.
        for key in [Value.int64(-2), .int64(1), .int64(3), .int64(99), .missing] {
            let got = try indexed.loc(key).compute()
            let want = try t.column("a").elements.filter { compareValues($0, key) == 0 }.count
            #expect(got.rowCount == want)
        }
        // Two frames indexed with the same divisions join partition by partition.
        let other = try ChunkedFrame(try t.select(["a", "id"]), partitionSize: 50)
        let otherIndexed = IndexedFrame(frame: try other.sortValues(by: ["a"], partitions: 1), index: "a", divisions: [], splitter: RangeSplitter(bounds: [], ascending: [true]))
        let merged = try indexed.merge(otherIndexed).compute()
        let reference = try frame.merge(other, on: ["a"]).compute()
        #expect(merged.rowCount == reference.rowCount)
        let self2 = try indexed.merge(indexed, how: .inner).compute()
        let ref2 = try frame.merge(frame, on: ["a"]).compute()
        #expect(self2.rowCount == ref2.rowCount)
    }

    /// The two local sorts (integer ranks, comparator fallback) agree on every kind of key.
    @Test func rankSortMatchesComparatorSort() throws {
        let t = try Self.table()
        let plain = Column(string: try t.column("b").elements.map { $0.isMissing ? nil : $0.description })
        let bools = Column(bool: try t.column("a").elements.map { $0.isMissing ? nil : ($0.doubleValue ?? 0) > 0 })
        let stamps = Column(timestamp: try t.column("a").elements.map { v in v.doubleValue.map { Int64($0) * 1000 } })
        let withNaN = Column(float64: try t.column("x").elements.enumerated().map { i, v in i % 13 == 0 ? .nan : v.doubleValue })
        let sets: [[Column]] = [[t.columns[0]], [t.columns[1], t.columns[2]], [plain, t.columns[0]], [bools, stamps], [withNaN], [t.columns[3]]]
        for cols in sets {
            for asc in [true, false] {
                let flags = Array(repeating: asc, count: cols.count)
                let keys = zip(cols, flags).map { SortKey($0, ascending: $1) }
                let ranked = rankSortPermutation(cols, ascending: flags, n: t.rowCount)
                #expect(ranked != nil)
                #expect(ranked == comparatorSortPermutation(keys, n: t.rowCount))
            }
        }
        // Four key columns and 5,000 rows still fit the packed key (13 row bits + 1 + 4 + 5 + 11).
        var rng = SplitMix64(state: 3)
        let n = 5000
        let cols = [2, 12, 31, 1800].map { k in Column(int64: (0..<n).map { _ in Int64(rng.below(k)) }) }
        let keys = cols.map { SortKey($0, ascending: true) }
        let ranked = rankSortPermutation(cols, ascending: [true, true, true, true], n: n)
        #expect(ranked != nil)
        #expect(ranked == comparatorSortPermutation(keys, n: n))
    }

    /// The ranks of each key column's values come from order-preserving words (integers with the
    /// sign flipped, doubles' total-order bits, dictionary ranks), sorted only when the codes
    /// aren't already in value order: extreme values, wide integer ranges (hashed codes), signed
    /// zeros, infinities, NaN, both Unicode forms of a letter and unused dictionary entries must
    /// still sort exactly as the comparator does, in both directions.
    @Test func rankSortOfNastyValuesMatchesComparatorSort() throws {
        var rng = SplitMix64(state: 11)
        let n = 3000
        let extremes: [Int64] = [.min, .max, -1, 0, 1, .min + 1, .max - 1, 1 << 40, -(1 << 40)]
        let doubles: [Double?] = [0.0, -0.0, .infinity, -.infinity, .nan, 1e308, -1e-308, .leastNonzeroMagnitude, 2.5, nil]
        let words = ["é", "e\u{301}", "zip-02134", "zip-2134", "", "ß", "a", nil] as [String?]
        let narrow = Column(int64: (0..<n).map { _ in rng.below(11) == 0 ? nil : Int64(rng.below(40)) - 20 })
        let wide = Column(int64: (0..<n).map { _ in extremes[rng.below(extremes.count)] &+ Int64(rng.below(3)) })
        let hashed = Column(int64: (0..<n).map { _ in Int64(rng.below(500)) &* 1_000_003_001 })
        let floats = Column(float64: (0..<n).map { _ in doubles[rng.below(doubles.count)] })
        let text = Column(dictionaryEncoding: (0..<n).map { _ in words[rng.below(words.count)] })
        let plain = Column(string: (0..<n).map { _ in words[rng.below(words.count)] })
        // A dictionary whose last entries no row uses (a piece keeps its parent's dictionary).
        let unused = text.take(Array(0..<n).filter { text[$0].description != "a" })
        let sets: [[Column]] = [[narrow], [wide], [hashed], [floats], [text], [plain], [unused],
                                [text, floats], [narrow, wide], [floats, hashed, text]]
        for cols in sets {
            for asc in [true, false] {
                let m = cols[0].count
                let flags = Array(repeating: asc, count: cols.count)
                let keys = zip(cols, flags).map { SortKey($0, ascending: $1) }
                let ranked = rankSortPermutation(cols, ascending: flags, n: m)
                #expect(ranked != nil)
                #expect(ranked == comparatorSortPermutation(keys, n: m), "\(cols.map(\.type)) ascending \(asc)")
            }
        }
    }

    @Test func errors() throws {
        let frame = try ChunkedFrame(try Self.table(), partitionSize: 50)
        #expect(throws: FrameError.unknownColumn("nope", available: ["a", "b", "x", "id"])) { try frame.sortValues(by: ["nope"]) }
        #expect(throws: FrameError.self) { try frame.sortValues(by: ["a", "b"], ascending: [true, false, true]) }
    }
}
