import Tessera
import Testing
@testable import TesseraFrame

/// The last merge of a group-by numbers its groups in key order (`Grouping(sortedKeys:)`), a
/// bucket's keys are split by packed places (`RangeSplitter.packedBuckets`), and buckets with
/// wide dictionaries are concatenated as plain text: each against the path it replaces, and the
/// whole group-by of six db-benchmark-like keys against a loop.
@Suite struct SortedMergeTests {
    typealias Rng = SplitMix64

    /// Key columns of every kind with nasty values and missing ones; no NaN (with a NaN key the
    /// sorted grouping declines, tested apart).
    static func keyColumns(_ n: Int, _ r: inout Rng, dictionary: Bool) -> [Column] {
        let texts = ["é", "e\u{301}", "a", "Z", "", "zip-02134", "zip-2134"]
        let ints: [Int64] = [0, -1, 1, .max, .min, 1 << 40, 7]
        let doubles: [Double] = [0, -0.0, .infinity, -.infinity, 1.5, 1e300, -2]
        let a = (0..<n).map { _ in r.below(9) == 0 ? nil : texts[r.below(texts.count)] }
        return [
            dictionary ? Column(dictionaryEncoding: a) : Column(string: a),
            Column(int64: (0..<n).map { _ in r.below(11) == 0 ? nil : ints[r.below(ints.count)] }),
            Column(float64: (0..<n).map { _ in r.below(13) == 0 ? nil : doubles[r.below(doubles.count)] }),
            Column(int64: (0..<n).map { _ in Int64(r.below(3)) }),
            Column(bool: (0..<n).map { _ in r.below(7) == 0 ? nil : r.below(2) == 0 }),
        ]
    }

    /// Same groups as the hashed grouping, numbered in the order `finalize` sorts them.
    @Test func sortedGroupingMatchesHashedGroupingThenSort() throws {
        var r = Rng(state: 21)
        for trial in 0..<6 {
            let all = Self.keyColumns(400 + r.below(300), &r, dictionary: trial % 2 == 0)
            let keys = Array(all.prefix(1 + trial % all.count))
            let hashed = Grouping(keys: keys, dropna: false)
            let sorted = try #require(Grouping(sortedKeys: keys))
            #expect(sorted.groupCount == hashed.groupCount)
            // The two numberings are one renaming of the other.
            var rename = [Int32](repeating: -1, count: hashed.groupCount)
            for (h, s) in zip(hashed.ids, sorted.ids) {
                if rename[Int(h)] < 0 { rename[Int(h)] = s }
                #expect(rename[Int(h)] == s)
            }
            // Sorted ids follow the key order of the groups' first rows.
            let first = Grouping.firstRows(hashed.ids, hashed.groupCount)
            let order = sortPermutation(keys.map { $0.take(first) }, ascending: Array(repeating: true, count: keys.count))
            #expect(order.map { rename[$0] } == (0..<Int32(hashed.groupCount)).map { $0 }, "trial \(trial)")
        }
        // A NaN key is a group apart from the missing key, which ranks alike: declined.
        let nan = Column(values: .float64([1, .nan, 0, .nan]), validity: Bitmap([true, true, false, true]))
        #expect(Grouping(keys: [nan], dropna: false).groupCount == 3)
        #expect(Grouping(sortedKeys: [nan]) == nil)
    }

    /// Narrow rank words are numbered by counting: each row's group is its word's index among the
    /// sorted distinct words; words wider than four per row are declined (the radix sort's).
    @Test func countingGroupingNumbersWordsInOrder() throws {
        var r = Rng(state: 5)
        for n in [1, 2, 17, 1000] {
            for span in [1, 3, n, 4 * n] {
                let words = (0..<n).map { _ in UInt64(r.below(span)) }
                let g = try #require(Grouping(countingWords: words), "n \(n), span \(span)")
                let distinct = Array(Set(words)).sorted()
                #expect(g.groupCount == distinct.count)
                #expect(g.ids == words.map { Int32(distinct.firstIndex(of: $0)!) })
            }
        }
        #expect(Grouping(countingWords: [0, 8]) == nil)
        #expect(Grouping(countingWords: [UInt64.max, 0]) == nil)
    }

    /// Packed places put every row in the bucket the typed comparison does, in both directions.
    @Test func packedBucketsMatchTheComparison() throws {
        var r = Rng(state: 8)
        for trial in 0..<8 {
            let cols = Self.keyColumns(300, &r, dictionary: trial >= 4 || trial % 2 == 0)
            let keys = trial < 4 ? Array(cols.dropFirst()) : cols
            let ascending = keys.indices.map { _ in r.below(2) == 0 }
            let sample = keys.map { $0.take((0..<40).map { _ in r.below(300) }) }
            let splitter = RangeSplitter(sample: sample, ascending: ascending, buckets: 2 + r.below(15))
            let comparable = splitter.comparable(keys)
            let expected = splitter.buckets(comparable.keys, bounds: comparable.bounds)
            let packed = try #require(splitter.packedBuckets(keys))
            #expect(packed == expected, "trial \(trial) ascending \(ascending)")
        }
        // Plain text keys go the typed way.
        let text = Column(string: ["b", "a", "c"])
        #expect(RangeSplitter(sample: [text], ascending: [true], buckets: 2).packedBuckets([text]) == nil)
    }

    /// Decoding wide dictionaries, and plain text wherever a column is plain in any table,
    /// changes no value and keeps missing rows missing.
    @Test func decodingTextKeepsValues() throws {
        var r = Rng(state: 4)
        let wide = Column(dictionaryEncoding: (0..<50).map { i in i % 7 == 0 ? nil : "k\(r.below(1000))" })
        let narrow = Column(dictionaryEncoding: (0..<50).map { i in i % 5 == 0 ? nil : ["é", "e\u{301}"][i % 2] })
        let t = try Table(names: ["w", "n"], columns: [wide, narrow], rowCount: 50)
        let d = t.decodingWideDictionaries()
        if case .string(.plain) = d.columns[0].values {} else { Issue.record("a wide dictionary stays encoded") }
        #expect(d.columns[1].isDictionaryEncoded)
        let both = Table.plainTextWhereAnyIs([t, d])
        for out in both + [d] {
            for c in 0..<2 { #expect(out.columns[c].elements == t.columns[c].elements) }
        }
        if case .string(.plain) = both[0].columns[0].values {} else { Issue.record("column 0 of the first table stays encoded") }
        #expect(both[0].columns[1].isDictionaryEncoded && both[1].columns[1].isDictionaryEncoded)
    }

    /// db-benchmark's q10 in small: six keys (three text, three integers; two of them with many
    /// distinct values), sum and count, one group per row or so, at random partitionings, split
    /// out at forced thresholds: the table of a loop, in key order.
    @Test(arguments: [false, true])
    func sixKeysMatchALoop(dictionary: Bool) throws {
        var r = Rng(state: dictionary ? 31 : 32)
        let n = 1500
        func ids(_ k: Int, _ width: Int) -> [String?] {
            (0..<n).map { _ in r.below(40) == 0 ? nil : "id" + String(repeating: "0", count: width) + String(r.below(k)) }
        }
        let text = [ids(4, 2), ids(4, 2), ids(600, 8)]
        let ints = [4, 4, 600].map { k in (0..<n).map { _ in r.below(40) == 0 ? nil : Int64(r.below(k)) - 2 } as [Int64?] }
        let v = (0..<n).map { _ in r.below(30) == 0 ? nil : Double(r.below(1_000_000)) / 1e4 } as [Double?]
        let names = ["id1", "id2", "id3", "id4", "id5", "id6", "v3"]
        let columns = text.map { dictionary ? Column(dictionaryEncoding: $0) : Column(string: $0) } + ints.map { Column(int64: $0) } + [Column(float64: v)]
        let t = try Table(names: names, columns: columns, rowCount: n)
        // The loop: groups keyed by their values' descriptions (missing as its own key).
        var groups: [[String]: (key: [Value], sum: Double, count: Int64)] = [:]
        for i in 0..<n {
            let key = (0..<6).map { t.columns[$0][i] }
            let id = key.map { $0.isMissing ? "\u{0}missing" : $0.description }
            var g = groups[id] ?? (key, 0, 0)
            if let x = v[i] { g.sum += x; g.count += 1 }
            groups[id] = g
        }
        let expected = groups.values.sorted { compareRows($0.key, $1.key) < 0 }
        let keys = Array(names.prefix(6))
        let aggregations = [NamedAggregation("v3", .sum), NamedAggregation("v3", .count)]
        for trial in 0..<3 {
            let frame = try ManyGroupsTests.partitions(t, &r)
            for (threshold, splitOut) in [(Int.max, 1), (0, 1), (0, 3)] {
                var g = try frame.groupby(keys, dropna: false)
                g.autoSplitGroups = threshold
                let out = try g.agg(aggregations, splitOut: splitOut).compute(scheduler: trial == 0 ? .synchronous : .threads(3))
                #expect(out.rowCount == expected.count)
                for (row, e) in expected.enumerated() where row < out.rowCount {
                    let got = (0..<6).map { out.columns[$0][row] }
                    #expect(got.map(\.description) == e.key.map(\.description), "row \(row) threshold \(threshold) splitOut \(splitOut)")
                    let sum = out.columns[6][row].doubleValue ?? .nan
                    #expect(abs(sum - e.sum) <= 1e-9 * Swift.max(1, abs(e.sum)))
                    #expect(out.columns[7][row] == .int64(e.count))
                }
            }
        }
    }
}
