import Tessera
import Testing
@testable import TesseraFrame

/// Min and max by a high-cardinality text key (db-benchmark's q7 shape), the value-carrying
/// min/max state, and the concatenation of a split-out group-by's buckets: against a loop over
/// the rows keyed by bytes, at random partitionings, forced split-outs and both `dropna`s, with
/// nasty values (NaN, ±inf, -0.0 beside 0.0, Int64.min/max, both Unicode forms of a letter,
/// missing keys and values, groups whose values are all missing).
@Suite struct TextKeyExtremesTests {
    typealias Rng = SplitMix64

    /// `n` rows: key `k` (text, ids `id%010d` from a range of about `n / 2`, plus nasty strings),
    /// values `i` (int64), `f` (float64), `t` (timestamp), `g` (float64, missing unless the key is
    /// an id below 100).
    static func table(_ n: Int, seed: UInt64, dictionary: Bool) throws -> Table {
        var r = Rng(state: seed)
        let nasty = ["é", "e\u{301}", "", "id", "id00000000000", "Z"]
        let ints: [Int64] = [0, -1, 1, Int64.max, Int64.min, 1 << 40]
        let doubles: [Double] = [0, -0.0, .nan, .infinity, -.infinity, 1.5, -1e300]
        var k: [String?] = [], i: [Int64?] = [], f: [Double?] = [], t: [Int64?] = [], g: [Double?] = []
        for _ in 0..<n {
            let id = r.below(n / 2 + 1)
            let key: String? = r.below(12) == 0 ? nil : r.below(6) == 0 ? nasty[r.below(nasty.count)] : String(format: "id%010d", id)
            k.append(key)
            i.append(r.below(7) == 0 ? nil : r.below(5) == 0 ? ints[r.below(ints.count)] : Int64(r.below(100)) - 50)
            f.append(r.below(7) == 0 ? nil : doubles[r.below(doubles.count)])
            t.append(r.below(9) == 0 ? nil : Int64(r.below(1000)) * 1_000_000_007)
            g.append(id < 100 && r.below(2) == 0 ? Double(r.below(10)) : nil)
        }
        return try Table([
            "k": dictionary ? Column(dictionaryEncoding: k) : Column(string: k), "i": Column(int64: i), "f": Column(float64: f),
            "t": Column(timestamp: t), "g": Column(float64: g),
        ])
    }

    static let aggregations = [NamedAggregation("i", .min), NamedAggregation("i", .max), NamedAggregation("f", .min),
                               NamedAggregation("f", .max), NamedAggregation("t", .min), NamedAggregation("t", .max),
                               NamedAggregation("g", .max), NamedAggregation("i", .size, name: "n")]

    /// Per group (keyed by bytes, in byte order, missing last), the aggregations by a loop over
    /// the rows: the first of equal extremes wins (so -0.0 and 0.0 keep their row order), NaN
    /// and missing values are skipped, a group without a value gets a missing one.
    static func reference(_ t: Table, dropna: Bool) throws -> [[String]] {
        var groups: [[UInt8]?: [Value]] = [:]
        var order: [[UInt8]?] = []
        let key = try t.column("k")
        for row in 0..<t.rowCount {
            let k: [UInt8]? = key[row].isMissing ? nil : Array(key[row].description.utf8)
            if dropna && k == nil { continue }
            if groups[k] == nil {
                groups[k] = Array(repeating: .missing, count: aggregations.count - 1) + [.int64(0)]
                order.append(k)
            }
            var state = groups[k]!
            for (j, a) in aggregations.enumerated() {
                let v = try t.column(a.column)[row]
                if case .size = a.function.kind { if case .int64(let n) = state[j] { state[j] = .int64(n + 1) }; continue }
                if v.isMissing { continue }
                if case .float64(let x) = v, x.isNaN { continue }
                var smallest = false
                if case .min = a.function.kind { smallest = true }
                let better = state[j].isMissing || (smallest ? compareValues(v, state[j]) < 0 : compareValues(state[j], v) < 0)
                if better { state[j] = v }
            }
            groups[k] = state
        }
        let sorted = order.sorted { a, b in
            guard let a else { return false }
            guard let b else { return true }
            return a.lexicographicallyPrecedes(b)
        }
        return sorted.map { k in [k.map { String(decoding: $0, as: UTF8.self) } ?? "<missing>"] + groups[k]!.map(\.description) }
    }

    /// The result's rows as text, the key as its bytes' string (missing spelled out).
    static func rows(_ out: Table) -> [[String]] {
        (0..<out.rowCount).map { row in
            out.columns.enumerated().map { j, c in j == 0 && c[row].isMissing ? "<missing>" : c[row].description }
        }
    }

    @Test(arguments: [true, false])
    func minAndMaxByTextKeyMatchALoop(dropna: Bool) throws {
        var r = Rng(state: dropna ? 21 : 22)
        for trial in 0..<3 {
            let t = try Self.table(400 + r.below(500), seed: r.next(), dictionary: trial == 1)
            let expected = try Self.reference(t, dropna: dropna)
            let frame = try ManyGroupsTests.partitions(t, &r)
            for (threshold, splitOut) in [(Int.max, 1), (0, 1), (1, 3), (Int.max, 2)] {
                var g = try frame.groupby(["k"], dropna: dropna)
                g.autoSplitGroups = threshold
                let out = try g.agg(Self.aggregations, splitOut: splitOut).compute(scheduler: trial == 2 ? .synchronous : .threads(3))
                let got = Self.rows(out)
                #expect(got.count == expected.count, "threshold \(threshold) splitOut \(splitOut)")
                for (a, e) in zip(got, expected) where a != e {
                    Issue.record("threshold \(threshold) splitOut \(splitOut): \(a) vs \(e)")
                    break
                }
                // The key column's dictionary holds each string once (a string twice would
                // be two groups to whatever groups by its codes next).
                if case .string(.dictionary(_, let d)) = out.columns[0].values {
                    let entries = (0..<d.count).map { Array(StringKeyTests.byteString(d, $0)) }
                    #expect(Set(entries).count == entries.count, "threshold \(threshold) splitOut \(splitOut): a key twice in the dictionary")
                }
            }
        }
    }

    /// Dictionaries as a split-out's buckets hand them to the concatenation (sorted, consecutive
    /// ranges) are laid end to end; any overlap, repeated boundary or unsorted dictionary goes
    /// through hashing. Either way every string is in the union once and each map points at it.
    @Test func unionOfDictionariesInAnyOrder() {
        var r = Rng(state: 31)
        let words = StringKeyTests.strings(400, seed: 32)
        let distinct = Array(Set(words)).sorted { $0.lexicographicallyPrecedes($1) }
        for trial in 0..<40 {
            // Consecutive runs of the sorted distinct strings, then (in some trials) spoiled.
            var cuts = (0..<r.below(6)).map { _ in r.below(distinct.count + 1) } + [0, distinct.count]
            cuts.sort()
            var parts = zip(cuts, cuts.dropFirst()).map { Array(distinct[$0..<$1]) }
            switch trial % 4 {
            case 1: if parts.count > 1, let last = parts[0].last { parts[1].insert(last, at: 0) }  // a repeated boundary
            case 2: parts.reverse()  // runs out of order
            case 3: if let i = parts.indices.first(where: { parts[$0].count > 1 }) { parts[i].swapAt(0, 1) }  // an unsorted run
            default: break
            }
            let buffers = parts.map(StringKeyTests.buffer)
            let union = DictionaryUnion(buffers)
            let entries = (0..<union.dictionary.count).map { Array(StringKeyTests.byteString(union.dictionary, $0)) }
            #expect(Set(entries).count == entries.count, "trial \(trial): a string twice in the union")
            #expect(Set(entries) == Set(parts.joined()), "trial \(trial)")
            for (p, map) in zip(parts, union.maps) {
                #expect(map.count == p.count)
                for (s, c) in zip(p, map) { #expect(entries[Int(c)] == s, "trial \(trial)") }
            }
        }
    }
}
