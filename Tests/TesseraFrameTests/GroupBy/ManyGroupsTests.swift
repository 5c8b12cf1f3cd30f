import Foundation
import Tessera
import Testing
@testable import TesseraFrame

/// Many groups: several key columns of every kind (huge integers, both Unicode forms of a letter,
/// doubles with NaN, ±inf and -0.0, missing keys), at random partitionings, with the automatic
/// split-out forced at small thresholds and with forced `splitOut`, against a dictionary-based
/// loop; and every split-out gives the same table as the single combine.
@Suite struct ManyGroupsTests {
    typealias Rng = SplitMix64

    /// A table of `n` rows: keys a (text), b (int64), c (float64), d (text, zip-code-like), values
    /// x (int64, huge ones included) and y (float64 with NaN and infinities).
    static func table(_ n: Int, seed: UInt64, dictionary: Bool) throws -> Table {
        var r = Rng(state: seed)
        let texts = ["é", "e\u{301}", "a", "Z", "", "zz", "ü"]
        let ints: [Int64] = [0, -1, 1, Int64.max, Int64.min, 1 << 40, 7]
        let doubles: [Double] = [0, -0.0, .nan, .infinity, -.infinity, 1.5, 1e300]
        var a: [String?] = [], b: [Int64?] = [], c: [Double?] = [], d: [String?] = []
        var x: [Int64?] = [], y: [Double?] = []
        for _ in 0..<n {
            a.append(r.below(10) == 0 ? nil : texts[r.below(texts.count)])
            b.append(r.below(12) == 0 ? nil : ints[r.below(ints.count)])
            c.append(r.below(15) == 0 ? nil : doubles[r.below(doubles.count)])
            d.append(r.below(20) == 0 ? nil : String(format: "%05d", r.below(40)))
            x.append(r.below(8) == 0 ? nil : (r.below(50) == 0 ? Int64.max / 64 : Int64(r.below(1000)) - 500))
            y.append(r.below(8) == 0 ? nil : [Double.nan, .infinity, 0.25, -3, 1e-3][r.below(5)])
        }
        return try Table([
            "a": dictionary ? Column(dictionaryEncoding: a) : Column(string: a), "b": Column(int64: b),
            "c": Column(float64: c), "d": Column(string: d), "x": Column(int64: x), "y": Column(float64: y),
        ])
    }

    /// Random cut points: some partitions empty, some of one row.
    static func partitions(_ t: Table, _ r: inout Rng) throws -> ChunkedFrame {
        var cuts = (0..<r.below(9)).map { _ in r.below(t.rowCount + 1) }
        cuts += [0, t.rowCount]
        cuts.sort()
        return try ChunkedFrame(tables: zip(cuts, cuts.dropFirst()).map { t.slice($0..<$1) })
    }

    /// The key of a row as `compareValues` orders it, with -0.0 folded into 0.0.
    static func key(_ t: Table, _ keys: [String], _ row: Int) throws -> [Value] {
        try keys.map { k in
            let v = try t.column(k)[row]
            if case .float64(let f) = v, f == 0 { return .float64(0) }
            return v
        }
    }

    /// Exact int64 sums, counts and sizes per group, by a dictionary keyed by byte-exact values.
    static func reference(_ t: Table, keys: [String], dropna: Bool) throws -> [(key: [Value], sum: Int64, count: Int64, size: Int64, ysum: Double)] {
        // Keyed by type and bytes: String's == would merge the Unicode forms of a letter, and
        // compareValues puts NaN with the missing values.
        struct K: Hashable {
            let values: [Value]
            var bytes: [[UInt8]] { values.map { Array("\($0.typeName):\($0.description)".utf8) } }
            static func == (l: K, r: K) -> Bool { l.bytes == r.bytes }
            func hash(into h: inout Hasher) { h.combine(bytes) }
        }
        var groups: [K: (Int64, Int64, Int64, Double)] = [:]
        var order: [K] = []
        for i in 0..<t.rowCount {
            let k = K(values: try key(t, keys, i))
            if dropna && k.values.contains(where: \.isMissing) { continue }
            if groups[k] == nil { groups[k] = (0, 0, 0, 0); order.append(k) }
            let x = try t.column("x")[i], y = try t.column("y")[i]
            if case .int64(let v) = x { groups[k]!.0 += v; groups[k]!.1 += 1 }
            if case .float64(let v) = y { groups[k]!.3 += v }
            groups[k]!.2 += 1
        }
        // Stable sort of the first appearances: the engine's order (missing and NaN last).
        let sorted = order.enumerated().sorted { l, r in
            let c = compareRows(l.element.values, r.element.values)
            return c != 0 ? c < 0 : l.offset < r.offset
        }.map(\.element)
        return sorted.map { k in let g = groups[k]!; return (k.values, g.0, g.1, g.2, g.3) }
    }

    static let aggregations = [NamedAggregation("x", .sum), NamedAggregation("x", .count), NamedAggregation("x", .size, name: "n"),
                               NamedAggregation("y", .sum)]

    @Test(arguments: [(["a"], true), (["d"], false), (["a", "b"], true), (["b", "c", "d"], false), (["d", "a", "c", "b"], true), (["c"], false), (["a", "b", "c", "d"], false)])
    func splitOutMatchesALoop(keys: [String], dropna: Bool) throws {
        var r = Rng(state: UInt64(keys.count * 31 + (dropna ? 1 : 0)))
        for trial in 0..<3 {
            let t = try Self.table(300 + r.below(400), seed: r.next(), dictionary: trial % 2 == 0)
            let expected = try Self.reference(t, keys: keys, dropna: dropna)
            let frame = try Self.partitions(t, &r)
            var single = try frame.groupby(keys, dropna: dropna)
            single.autoSplitGroups = Int.max
            let baseline = try single.agg(Self.aggregations).compute(scheduler: .threads(2))
            #expect(baseline.rowCount == expected.count)
            for (row, e) in expected.enumerated() where row < baseline.rowCount {
                let got = try Self.key(baseline, keys, row)
                #expect(compareRows(got, e.key) == 0 && got.map(\.description) == e.key.map(\.description), "row \(row): \(got) vs \(e.key)")
                #expect(baseline.columns[keys.count][row] == .int64(e.sum))
                #expect(baseline.columns[keys.count + 1][row] == .int64(e.count))
                #expect(baseline.columns[keys.count + 2][row] == .int64(e.size))
                let y = baseline.columns[keys.count + 3][row].doubleValue ?? .nan
                #expect(y == e.ysum || (y.isNaN && e.ysum.isNaN) || abs(y - e.ysum) <= 1e-12 * abs(e.ysum))
            }
            // Forced automatic split at small thresholds, and forced splitOut: the same table.
            for (threshold, splitOut) in [(0, 1), (5, 1), (0, 3), (Int.max, 2), (1, 5)] {
                var g = try frame.groupby(keys, dropna: dropna)
                g.autoSplitGroups = threshold
                let out = try g.agg(Self.aggregations, splitOut: splitOut)
                #expect(out.partitionCount == splitOut)
                let table = try out.compute(scheduler: trial == 1 ? .synchronous : .threads(3))
                #expect(table.rowCount == baseline.rowCount)
                for c in 0..<table.columnCount where c != keys.count + 3 {
                    #expect(table.columns[c].elements.map(\.description) == baseline.columns[c].elements.map(\.description),
                            "threshold \(threshold) splitOut \(splitOut) column \(table.names[c])")
                }
            }
        }
    }

    /// Partitions whose first half holds distinct keys skip grouping their rows (each row its own
    /// partial group, `PartialGroups.keysLookDistinct`), though their second half repeats keys of
    /// any earlier row, their own partition's or another's: the merge still makes one group of
    /// each key, as the loop and the grouping path (the sample threshold at its default) do.
    @Test(arguments: [true, false])
    func partitionsThatLookDistinctSkipGroupingWithTheSameAnswer(dropna: Bool) throws {
        var r = Rng(state: dropna ? 77 : 78)
        var a: [String?] = [], b: [Int64?] = [], parts: [Table] = []
        for p in 0..<4 {
            for i in 0..<300 {
                if i < 150 {
                    a.append(String(format: "id%06d", r.below(1_000_000)))
                    b.append(Int64(r.below(3)) - 1)
                } else {
                    let j = r.below(a.count)
                    a.append(a[j]); b.append(b[j])
                }
            }
            // One missing key in the last partition: it is grouped as before (not skipped).
            if p == 3 { a[a.count - 1] = nil }
        }
        let n = a.count
        let t = try Table([
            "a": Column(string: a), "b": Column(int64: b), "c": Column(float64: (0..<n).map { _ in 0 }),
            "d": Column(string: (0..<n).map { _ in "z" }),
            "x": Column(int64: (0..<n).map { _ in Int64(r.below(1000)) - 500 }),
            "y": Column(float64: (0..<n).map { _ in [0.25, -3, 1e-3][r.below(3)] }),
        ])
        for p in 0..<4 { parts.append(t.slice((p * 300)..<((p + 1) * 300))) }
        let frame = try ChunkedFrame(tables: parts)
        var plan = GroupPlan(keys: ["a", "b"], aggregations: Self.aggregations, dropna: dropna)
        plan.distinctSampleRows = 0
        plan.partialsAreMerged = true
        let keyTable = try parts[0].select(["a", "b"])
        #expect(PartialGroups.keysLookDistinct(keyTable, plan))
        #expect(try PartialGroups.chunk(parts[0], plan).groupCount == 300)
        #expect(!PartialGroups.keysLookDistinct(try parts[3].select(["a", "b"]), plan))
        // One partition: its partial groups are the answer, so it groups even when it looks distinct.
        var alone = try ChunkedFrame(tables: [parts[0]]).groupby(["a", "b"], dropna: dropna)
        alone.distinctSampleRows = 0
        #expect(try alone.agg(Self.aggregations).compute().rowCount == Self.reference(parts[0], keys: ["a", "b"], dropna: dropna).count)
        let expected = try Self.reference(t, keys: ["a", "b"], dropna: dropna)
        #expect(expected.count < n - 300)
        for threshold in [Int.max, 0] {
            var skipping = try frame.groupby(["a", "b"], dropna: dropna)
            skipping.distinctSampleRows = 0
            skipping.autoSplitGroups = threshold
            let got = try skipping.agg(Self.aggregations).compute(scheduler: .threads(2))
            var grouping = try frame.groupby(["a", "b"], dropna: dropna)
            grouping.autoSplitGroups = threshold
            let baseline = try grouping.agg(Self.aggregations).compute(scheduler: .synchronous)
            #expect(got.rowCount == expected.count && baseline.rowCount == expected.count)
            for (row, e) in expected.enumerated() where row < got.rowCount {
                #expect(try Self.key(got, ["a", "b"], row).map(\.description) == e.key.map(\.description), "row \(row)")
                #expect(got.columns[2][row] == .int64(e.sum) && got.columns[3][row] == .int64(e.count) && got.columns[4][row] == .int64(e.size))
                let y = got.columns[5][row].doubleValue ?? .nan
                #expect(abs(y - e.ysum) <= 1e-12 * Swift.max(1, abs(e.ysum)), "row \(row)")
            }
            for c in 0..<5 { #expect(got.columns[c].elements.map(\.description) == baseline.columns[c].elements.map(\.description)) }
        }
    }

    /// The grouping of many distinct composite keys (past the direct-table range, through the hash
    /// table and its growth) numbers groups in order of first appearance, like a dictionary.
    @Test func groupIdsMatchADictionary() throws {
        var r = Rng(state: 9)
        let n = 200_000
        let a = (0..<n).map { _ in Int64(r.below(1 << 20)) * 1_000_003 }
        let b = (0..<n).map { _ in Int64(r.below(7)) }
        let g = Grouping(keys: [Column(int64: a), Column(int64: b)], dropna: true)
        var seen: [[Int64]: Int32] = [:]
        var expected: [Int32] = []
        for i in 0..<n {
            let k = [a[i], b[i]]
            if seen[k] == nil { seen[k] = Int32(seen.count) }
            expected.append(seen[k]!)
        }
        #expect(g.groupCount == seen.count)
        #expect(g.ids == expected)
    }

    /// The radix sort is stable and orders like the standard library's sort.
    @Test func radixSortMatchesSort() {
        var r = Rng(state: 3)
        for bits in [1, 9, 33, 64] {
            let keys = (0..<5000).map { _ in bits == 64 ? r.next() : r.next() & ((1 << UInt64(bits)) - 1) }
            let expected = keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
            #expect(radixSortPermutation(keys) == expected)
        }
    }
}
