import Tessera
import Testing
@testable import TesseraFrame

@Suite struct MergeTests {
    /// Left: 60 rows, keys (a: text with missing, b: int64), value v. Right: 25 rows, keys
    /// (a: plain text, b: float64 — joined with the int64 b by value), value w, and a column v
    /// that clashes with the left's.
    static func tables() throws -> (Table, Table) {
        var rng = SplitMix64(state: 11)
        let names = ["p", "q", "r", "s"]
        func pick() -> String? { rng.below(10) == 0 ? nil : names[rng.below(names.count)] }
        let la = (0..<60).map { _ in pick() }, lb = (0..<60).map { _ in Int64(rng.below(3)) }
        let left = try Table([
            "a": Column(dictionaryEncoding: la), "b": Column(int64: lb),
            "v": Column(float64: (0..<60).map { Double($0) }),
        ])
        let ra = (0..<25).map { _ in pick() }, rb = (0..<25).map { _ in Double(rng.below(4)) }
        let right = try Table([
            "a": Column(string: ra), "b": Column(float64: rb),
            "w": Column(int64: (0..<25).map { Int64(100 + $0) }), "v": Column(int64: (0..<25).map { Int64(-$0) }),
        ])
        return (left, right)
    }

    /// The nested-loop merge on ["a", "b"]: rows [a, b, v_x, w, v_y] in the order JoinSpec.join documents.
    static func reference(_ l: Table, _ r: Table, _ how: JoinKind) -> [[Value]] {
        func key(_ t: Table, _ i: Int) -> [Value] { [t.columns[0][i], t.columns[1][i]] }
        func same(_ x: [Value], _ y: [Value]) -> Bool { compareRows(x, y) == 0 }
        var out: [[Value]] = []
        if how == .right {
            for j in 0..<r.rowCount {
                let m = (0..<l.rowCount).filter { same(key(l, $0), key(r, j)) }
                if m.isEmpty { out.append(key(r, j) + [.missing, r.columns[2][j], r.columns[3][j]]) }
                for i in m { out.append(key(l, i) + [l.columns[2][i], r.columns[2][j], r.columns[3][j]]) }
            }
            return out
        }
        var matched = Set<Int>()
        for i in 0..<l.rowCount {
            let m = (0..<r.rowCount).filter { same(key(l, i), key(r, $0)) }
            if m.isEmpty && how != .inner { out.append(key(l, i) + [l.columns[2][i], .missing, .missing]) }
            for j in m { matched.insert(j); out.append(key(l, i) + [l.columns[2][i], r.columns[2][j], r.columns[3][j]]) }
        }
        if how == .outer {
            for j in 0..<r.rowCount where !matched.contains(j) { out.append(key(r, j) + [.missing, r.columns[2][j], r.columns[3][j]]) }
        }
        return out
    }

    static func rows(_ t: Table) -> [[Value]] {
        (0..<t.rowCount).map { t.row($0) }
    }

    /// Rows compared by value, with int64 and float64 of equal value equal (b promotes to float).
    static func normalised(_ rows: [[Value]]) -> [[String]] {
        rows.map { $0.map { v in v.doubleValue.map { String($0) } ?? v.description + (v.isMissing ? "<NA>" : "") } }
    }

    /// `preserveOrder: false` skips the shuffle back to the kept side: the same rows, left
    /// grouped by key hash in max(left, right) partitions.
    @Test(arguments: [JoinKind.inner, .left, .right])
    func withoutOrderTheSameRows(how: JoinKind) throws {
        let (l, r) = try Self.tables()
        let expected = Self.normalised(Self.reference(l, r, how)).sorted { $0.lexicographicallyPrecedes($1) }
        let left = try ChunkedFrame(l, partitionSize: 30), right = try ChunkedFrame(r, partitionSize: 6)
        let merged = try left.merge(right, on: ["a", "b"], how: how, broadcast: false, preserveOrder: false)
        #expect(merged.partitions.count == 5)
        let got = Self.normalised(Self.rows(try merged.compute(scheduler: .threads(2))))
        #expect(got.sorted { $0.lexicographicallyPrecedes($1) } == expected)
    }

    @Test(arguments: JoinKind.allCases)
    func matchesNestedLoops(how: JoinKind) throws {
        let (l, r) = try Self.tables()
        let expected = Self.normalised(Self.reference(l, r, how))
        for (lp, rp, broadcast) in [(60, 25, nil), (7, 25, nil), (60, 4, nil), (11, 6, false), (9, 5, true)] as [(Int, Int, Bool?)] {
            let left = try ChunkedFrame(l, partitionSize: lp), right = try ChunkedFrame(r, partitionSize: rp)
            let merged = try left.merge(right, on: ["a", "b"], how: how, broadcast: broadcast)
            #expect(merged.columns == ["a", "b", "v_x", "w", "v_y"])
            if how != .outer {
                // The output keeps the kept side's partitioning.
                #expect(merged.partitions.count == (how == .right ? right : left).partitions.count, "\(how) \(lp)/\(rp)")
            }
            for s in [Scheduler.synchronous, .threads(3)] {
                let got = Self.normalised(Self.rows(try merged.compute(scheduler: s)))
                // pandas' order for inner, left and right joins, broadcast or hash-partitioned.
                if how != .outer {
                    #expect(got == expected, "\(how) \(lp)/\(rp) order")
                } else {
                    #expect(got.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) }, "\(how) \(lp)/\(rp)")
                }
            }
        }
    }

    @Test func differentKeyNamesKeepBothColumns() throws {
        let l = try Table(["id": Column(int64: [1, 2, 3]), "x": Column(string: ["a", "b", "c"])])
        let r = try Table(["key": Column(int64: [3, 1, 1]), "x": Column(string: ["C", "A", "A2"])])
        let out = try ChunkedFrame(tables: [l]).merge(ChunkedFrame(tables: [r]), leftOn: ["id"], rightOn: ["key"], how: .left).compute()
        #expect(out.names == ["id", "x_x", "key", "x_y"])
        #expect(out.columns[0].elements == [.int64(1), .int64(1), .int64(2), .int64(3)])
        #expect(out.columns[2].elements == [.int64(1), .int64(1), .missing, .int64(3)])
        #expect(out.columns[3].elements == [.string("A"), .string("A2"), .missing, .string("C")])
    }

    @Test func mismatchedKeyTypesAreAClearError() throws {
        let l = try ChunkedFrame(tables: [Table(["k": Column(int64: [1])])])
        let r = try ChunkedFrame(tables: [Table(["k": Column(string: ["1"])])])
        #expect(throws: FrameError.schemaMismatch("merge keys 'k' (int64) and 'k' (string) have different types; convert one with astype first")) {
            try l.merge(r, on: ["k"])
        }
        #expect(throws: FrameError.unknownColumn("z", available: ["k"])) { try l.merge(r, on: ["z"]) }
    }
}

/// Hash-partitioned merges keep pandas' row order whatever the partitionings, on keys with
/// both Unicode forms of é (different keys, as in pandas), zip-code-like text and missing values.
@Suite struct MergeOrderTests {
    @Test func hashJoinsKeepPandasOrderAtRandomPartitionings() throws {
        var rng = SplitMix64(state: 29)
        let keys: [String?] = ["caf\u{E9}", "cafe\u{301}", "02134", "2134", nil, "x"]
        for trial in 0..<6 {
            let nl = 10 + rng.below(30), nr = 5 + rng.below(15)
            let left = try Table(["k": Column(string: (0..<nl).map { _ in keys[rng.below(keys.count)] }),
                                  "v": Column(int64: (0..<nl).map { Int64($0) })])
            let right = try Table(["k": Column(string: (0..<nr).map { _ in keys[rng.below(keys.count)] }),
                                   "w": Column(int64: (0..<nr).map { Int64(100 + $0) })])
            for how in [JoinKind.inner, .left, .right] {
                // The nested-loop join in pandas' order: (v, w) per output row, -1 for none.
                var want: [[Int64]] = []
                // Byte equality: Swift's String == would take the two forms of é as one key.
                let lk = left["k"]!.strings.map { $0.map { Array($0.utf8) } }, rk = right["k"]!.strings.map { $0.map { Array($0.utf8) } }
                func same(_ i: Int, _ j: Int) -> Bool { lk[i] == rk[j] }
                if how == .right {
                    for j in 0..<nr {
                        let m = (0..<nl).filter { same($0, j) }
                        if m.isEmpty { want.append([-1, Int64(100 + j)]) }
                        for i in m { want.append([Int64(i), Int64(100 + j)]) }
                    }
                } else {
                    for i in 0..<nl {
                        let m = (0..<nr).filter { same(i, $0) }
                        if m.isEmpty && how == .left { want.append([Int64(i), -1]) }
                        for j in m { want.append([Int64(i), Int64(100 + j)]) }
                    }
                }
                let lf = try ChunkedFrame(left, partitionSize: 1 + rng.below(9)), rf = try ChunkedFrame(right, partitionSize: 1 + rng.below(6))
                let merged = try lf.merge(rf, on: ["k"], how: how, broadcast: false)
                let t = try merged.compute(scheduler: trial % 2 == 0 ? .synchronous : .threads(3))
                let got = (0..<t.rowCount).map { r in [t["v"]!.ints[r] ?? -1, t["w"]!.ints[r] ?? -1] }
                #expect(got == want, "trial \(trial) \(how) partitions \(lf.partitionCount)/\(rf.partitionCount)")
            }
        }
    }

    /// A right side with unique keys (db-benchmark's medium and big tables): inner and left joins
    /// give each left row at most one match, so the left columns pass through as they are, and
    /// a broadcast right side has its plain text dictionary-encoded once. Plain text on both
    /// sides (missing values, both forms of é, empty strings) is gathered and concatenated in
    /// bulk. Against the nested loops, at several partitionings, broadcast and hash-partitioned.
    @Test(arguments: [JoinKind.inner, .left, .right, .outer])
    func uniqueRightKeysMatchNestedLoops(how: JoinKind) throws {
        var rng = SplitMix64(state: 23)
        let names = ["p", "é", "e\u{301}", ""]
        func text() -> String? { rng.below(6) == 0 ? nil : ["x", "", "é", "e\u{301}", "zip-02134", "long text \(rng.below(9))"][rng.below(6)] }
        let la = (0..<80).map { _ in rng.below(9) == 0 ? nil : names[rng.below(names.count)] }
        let lb = (0..<80).map { _ in Int64(rng.below(4)) }
        let l = try Table(["a": Column(string: la), "b": Column(int64: lb), "v": Column(string: (0..<80).map { _ in text() })])
        // Every (a, b) pair at most once on the right, some never.
        var ra: [String?] = [], rb: [Double] = []
        for a in names + [nil] { for b in 0..<4 where rng.below(3) != 0 { ra.append(a); rb.append(Double(b)) } }
        let n = ra.count
        let r = try Table(["a": Column(string: ra), "b": Column(float64: rb), "w": Column(string: (0..<n).map { _ in text() }),
                           "v": Column(int64: (0..<n).map { Int64(-$0) })])
        let expected = MergeTests.normalised(MergeTests.reference(l, r, how))
        for (lp, rp, broadcast) in [(80, n, nil), (7, n, nil), (13, 5, false), (9, 4, true)] as [(Int, Int, Bool?)] {
            let merged = try ChunkedFrame(l, partitionSize: lp).merge(ChunkedFrame(r, partitionSize: rp), on: ["a", "b"], how: how, broadcast: broadcast)
            let got = MergeTests.normalised(MergeTests.rows(try merged.compute(scheduler: .threads(2))))
            if how != .outer {
                #expect(got == expected, "\(how) \(lp)/\(rp)")
            } else {
                #expect(got.sorted { $0.lexicographicallyPrecedes($1) } == expected.sorted { $0.lexicographicallyPrecedes($1) }, "\(how) \(lp)/\(rp)")
            }
        }
    }
}
