import Tessera
import Testing
@testable import TesseraFrame

/// Joins on random inputs with nasty keys, at random partitionings (empty partitions included),
/// broadcast and hash-partitioned forced both ways and chosen by size both ways, against a nested-loop join written from the
/// definition of key equality: missing matches missing; integers exactly; doubles by value, with
/// -0.0 equal to 0.0 and a NaN value equal to a NaN; an integer and a double when the integer as
/// a double equals it (as pandas after promotion); text by its UTF-8 bytes (the two Unicode forms
/// of é are two keys).
@Suite struct JoinDifferentialTests {
    /// The kinds of key column the generator makes.
    enum KeyKind: CaseIterable {
        case narrowInt, hugeInt, double, plainText, dictionaryText, bool, timestamp
    }

    static let texts = ["caf\u{E9}", "cafe\u{301}", "02134", "2134", "", "id0000012345", "a much longer key of text"]
    static let huge: [Int64] = [.min, .max, .max - 1, 1 << 53, (1 << 53) + 1, -7, 0]
    static let doubles: [Double] = [.nan, 0.0, -0.0, .infinity, -.infinity, 1.5, 2, 1e300]

    /// A key column of `n` rows of `kind`, about one in `missingEvery` missing (none when 0),
    /// missing rows holding the placeholders `Column` documents.
    static func keyColumn(_ kind: KeyKind, _ n: Int, missingEvery: Int, _ rng: inout SplitMix64) -> Column {
        let valid = (0..<n).map { _ in missingEvery == 0 || rng.below(missingEvery) != 0 }
        let validity = Bitmap(valid)
        func values<T>(_ placeholder: T, _ make: (inout SplitMix64) -> T) -> [T] {
            (0..<n).map { i in
                let x = make(&rng)
                return valid[i] ? x : placeholder
            }
        }
        switch kind {
        case .narrowInt:
            return Column(values: .int64(values(0) { Int64($0.below(12)) - 3 }), validity: validity)
        case .hugeInt:
            return Column(values: .int64(values(0) { huge[$0.below(huge.count)] }), validity: validity)
        case .double:
            // Valid NaNs too: a NaN value is not a missing value.
            return Column(values: .float64(values(.nan) { doubles[$0.below(doubles.count)] }), validity: validity)
        case .plainText:
            return Column(values: .string(.plain(StringBuffer(values("") { texts[$0.below(texts.count)] }))), validity: validity)
        case .dictionaryText:
            // A dictionary with an entry no row uses and a repeated entry (made by hand).
            var d = StringBuffer(texts)
            d.append("unused")
            d.append(texts[0])
            let codes: [Int32] = values(-1) { rng in
                let c = rng.below(texts.count + 1)
                return Int32(c == texts.count ? texts.count + 1 : c)
            }
            return Column(values: .string(.dictionary(codes: codes, dictionary: d)), validity: validity)
        case .bool:
            return Column(values: .bool(values(false) { $0.below(2) == 0 }), validity: validity)
        case .timestamp:
            return Column(values: .timestamp(values(0) { Int64($0.below(5)) * 1_000_000 }), validity: validity)
        }
    }

    /// Key equality by definition (see the suite's summary).
    static func same(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.missing, .missing): return true
        case (.missing, _), (_, .missing): return false
        case (.int64(let x), .int64(let y)): return x == y
        case (.float64(let x), .float64(let y)): return x == y || (x.isNaN && y.isNaN)
        case (.int64(let x), .float64(let y)), (.float64(let y), .int64(let x)): return Double(x) == y
        case (.string(let x), .string(let y)): return Array(x.utf8) == Array(y.utf8)
        case (.bool(let x), .bool(let y)): return x == y
        case (.timestamp(let x), .timestamp(let y)): return x == y
        default: return false
        }
    }

    /// The nested-loop merge of `l` (keys `k0…`, value `v`) and `r` (keys `k0…`, value `w`) on
    /// the keys: rows [keys…, v, w] in pandas' order (outer: left rows, then unmatched right rows).
    static func reference(_ l: Table, _ r: Table, keys: Int, _ how: JoinKind) -> [[Value]] {
        func key(_ t: Table, _ i: Int) -> [Value] { (0..<keys).map { t.columns[$0][i] } }
        func match(_ i: Int, _ j: Int) -> Bool { zip(key(l, i), key(r, j)).allSatisfy { same($0, $1) } }
        let v = l.columns[keys], w = r.columns[keys]
        var out: [[Value]] = []
        if how == .right {
            for j in 0..<r.rowCount {
                let m = (0..<l.rowCount).filter { match($0, j) }
                if m.isEmpty { out.append(key(r, j) + [.missing, w[j]]) }
                for i in m { out.append(key(l, i) + [v[i], w[j]]) }
            }
            return out
        }
        var matched = Set<Int>()
        for i in 0..<l.rowCount {
            let m = (0..<r.rowCount).filter { match(i, $0) }
            if m.isEmpty && how != .inner { out.append(key(l, i) + [v[i], .missing]) }
            for j in m { matched.insert(j); out.append(key(l, i) + [v[i], w[j]]) }
        }
        if how == .outer {
            for j in 0..<r.rowCount where !matched.contains(j) { out.append(key(r, j) + [.missing, w[j]]) }
        }
        return out
    }

    /// Cells as text: doubles of integral value below 2⁵³ as integers (a merged int/double key
    /// is promoted to double), NaN as `nan`, missing as `<NA>`, text by its bytes.
    static func normalised(_ rows: [[Value]]) -> [[String]] {
        rows.map { row in
            row.map { v -> String in
                switch v {
                case .missing: return "<NA>"
                case .float64(let d) where d == d.rounded() && abs(d) < 9.0e15: return String(Int64(d))
                case .string(let s): return "s" + s.utf8.map { String($0) }.joined(separator: ".")
                default: return v.description
                }
            }
        }
    }

    /// `table` cut into partitions at random points, some of them empty.
    static func partitions(_ table: Table, _ rng: inout SplitMix64) -> [Table] {
        var cuts = [0, table.rowCount] + (0..<rng.below(4)).map { _ in rng.below(table.rowCount + 1) }
        cuts.sort()
        return zip(cuts, cuts.dropFirst()).map { table.slice($0..<$1) }
    }

    /// One random case: both sides, their key count, and partitionings.
    static func check(seed: UInt64, kinds: [(KeyKind, KeyKind)], trials: Int) throws {
        var rng = SplitMix64(state: seed)
        for trial in 0..<trials {
            let nl = rng.below(40), nr = rng.below(16)
            let missing = [0, 4, 2][rng.below(3)]
            var lcols: [String: Column] = [:], rcols: [String: Column] = [:]
            for (k, (lk, rk)) in kinds.enumerated() {
                lcols["k\(k)"] = keyColumn(lk, nl, missingEvery: missing, &rng)
                rcols["k\(k)"] = keyColumn(rk, nr, missingEvery: missing, &rng)
            }
            let order = kinds.indices.map { "k\($0)" }
            let l = try Table(names: order + ["v"], columns: order.map { lcols[$0]! } + [Column(int64: (0..<nl).map { Int64($0) })])
            let r = try Table(names: order + ["w"], columns: order.map { rcols[$0]! } + [Column(int64: (0..<nr).map { Int64(100 + $0) })])
            for how in JoinKind.allCases {
                let expected = normalised(reference(l, r, keys: kinds.count, how))
                // Unforced, at a broadcast limit every side is under and one every side is over.
                for (broadcast, limit) in [(nil, Int.max), (nil, 0), (true, 0), (false, Int.max)] as [(Bool?, Int)] {
                    let lf = try ChunkedFrame(tables: partitions(l, &rng)), rf = try ChunkedFrame(tables: partitions(r, &rng))
                    let merged = try lf.merge(rf, on: order, how: how, broadcast: broadcast, broadcastLimit: limit)
                    let t = try merged.compute(scheduler: rng.below(2) == 0 ? .synchronous : .threads(3))
                    let got = normalised((0..<t.rowCount).map { t.row($0) })
                    let context = "seed \(seed) trial \(trial) \(kinds) \(how) broadcast \(String(describing: broadcast)) limit \(limit) partitions \(lf.partitionCount)/\(rf.partitionCount)"
                    if how == .outer {
                        #expect(got.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) }, "\(context)")
                    } else {
                        #expect(got == expected, "\(context)")
                    }
                }
            }
        }
    }

    @Test(arguments: KeyKind.allCases)
    func oneKeyOfEachKind(kind: KeyKind) throws {
        let other: KeyKind = kind == .plainText ? .dictionaryText : kind == .dictionaryText ? .plainText : kind
        try Self.check(seed: 41 + UInt64(KeyKind.allCases.firstIndex(of: kind)!), kinds: [(kind, kind)], trials: 4)
        // Text plain on one side and dictionary-encoded on the other.
        if other != kind { try Self.check(seed: 61, kinds: [(kind, other)], trials: 3) }
    }

    /// int64 on one side, float64 on the other: equal by value.
    @Test func integersMeetDoubles() throws {
        try Self.check(seed: 71, kinds: [(.narrowInt, .double)], trials: 3)
        try Self.check(seed: 72, kinds: [(.double, .narrowInt)], trials: 3)
    }

    @Test func severalKeys() throws {
        try Self.check(seed: 81, kinds: [(.plainText, .dictionaryText), (.narrowInt, .narrowInt)], trials: 3)
        try Self.check(seed: 82, kinds: [(.hugeInt, .hugeInt), (.bool, .bool), (.double, .double)], trials: 3)
    }

    /// Partitions of one side typed differently (a CSV partition can infer float64 where the
    /// others are int64, or hold no value at all): each probe partition joins as if the two
    /// sides' keys were concatenated and promoted.
    @Test(arguments: [JoinKind.inner, .left, .right, .outer])
    func partitionsOfDifferentKeyTypes(how: JoinKind) throws {
        let l1 = try Table(["k": Column(int64: [1, 2, 3, nil]), "v": Column(int64: [0, 1, 2, 3])])
        let l2 = try Table(["k": Column(float64: [2.0, 2.5, -0.0]), "v": Column(int64: [4, 5, 6])])
        let l3 = try Table(["k": Column(missing: .float64, count: 2), "v": Column(int64: [7, 8])])
        let r = try Table(["k": Column(int64: [2, 0, nil, 3, 2]), "w": Column(int64: [100, 101, 102, 103, 104])])
        let whole = try Table.concatenate([l1, l2, l3])
        let expected = Self.normalised(Self.reference(whole, r, keys: 1, how))
        for broadcast in [nil, true, false] as [Bool?] {
            for (lf, rf) in [(try ChunkedFrame(tables: [l1, l2, l3]), try ChunkedFrame(tables: [r])),
                             (try ChunkedFrame(tables: [l3, l1, l2]), try ChunkedFrame(tables: [r.slice(0..<2), r.slice(2..<5)]))] {
                let t = try lf.merge(rf, on: ["k"], how: how, broadcast: broadcast).compute()
                let got = Self.normalised((0..<t.rowCount).map { t.row($0) })
                #expect(got.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) },
                        "\(how) broadcast \(String(describing: broadcast))")
            }
        }
    }

    /// The kernel on its own: a build side indexed once and probed by several tables gives each
    /// what joining the two directly gives.
    @Test func oneIndexServesManyProbes() throws {
        var rng = SplitMix64(state: 91)
        let r = try Table(["k": Self.keyColumn(.plainText, 12, missingEvery: 3, &rng), "w": Column(int64: (0..<12).map { Int64($0) })])
        let spec = try JoinSpec(left: Schema([Field("k", .string), Field("v", .int64)]), right: Schema([Field("k", .string), Field("w", .int64)]),
                                leftOn: ["k"], rightOn: ["k"], how: .left, suffixes: ("_x", "_y"))
        let index = try spec.buildIndex(r)
        for _ in 0..<4 {
            let n = rng.below(20)
            let l = try Table(["k": Self.keyColumn(.dictionaryText, n, missingEvery: 4, &rng), "v": Column(int64: (0..<n).map { Int64($0) })])
            let got = try spec.joinWithOrigins(l, r, index: index).table
            #expect(Self.normalised((0..<got.rowCount).map { got.row($0) }) == Self.normalised(Self.reference(l, r, keys: 1, .left)))
        }
    }
}
