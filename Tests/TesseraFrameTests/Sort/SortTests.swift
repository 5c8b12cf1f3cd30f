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

    @Test func errors() throws {
        let frame = try ChunkedFrame(try Self.table(), partitionSize: 50)
        #expect(throws: FrameError.unknownColumn("nope", available: ["a", "b", "x", "id"])) { try frame.sortValues(by: ["nope"]) }
        #expect(throws: FrameError.self) { try frame.sortValues(by: ["a", "b"], ascending: [true, false, true]) }
    }
}
