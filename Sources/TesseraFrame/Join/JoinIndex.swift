// The build side of a hash join, made once and probed by any number of partitions.
//
// Each key column gets a `JoinKeyMatcher` (its values numbered densely); several key columns fold
// pairwise into one dense group per distinct key tuple — the pair (group so far, next column's
// code) is one 64-bit number, interned — exactly as grouping folds them, so no per-row tuple or
// string is ever built. The build rows of each group are stored in CSR form (`start`, `rows`).
// Probing maps every probe row through the same matchers and folds, looking up and never
// inserting, so an index broadcast to every partition of the other side is shared read-only.
//
// Both sides' key columns must have one type per key for the matchers to compare them; where a
// partition's column was typed differently (a CSV partition inferred int64 against float64, or
// all-missing), `JoinIndex.probe` promotes both sides to the unified type and indexes the build
// side again for that partition, exactly as concatenating them would.

/// A join's build side: its key tuples numbered densely and the rows of each.
struct JoinIndex: @unchecked Sendable {
    /// The build side's key columns, kept for re-indexing when a probe partition's types differ.
    let keys: [Column]
    let matchers: [JoinKeyMatcher]
    /// For the second key on: the interner folding (group so far × cardinality + code) and the
    /// cardinality of that key.
    let folds: [(interner: KeyInterner, cardinality: UInt64)]
    /// The number of groups (`start.count - 1`).
    let groupCount: Int
    /// `rows[start[g]..<start[g + 1]]` are the build rows of group `g`, ascending.
    let start: [Int32]
    let rows: [Int32]
    /// Whether every group has at most one row (a unique key: each probe row matches at most once).
    let unique: Bool
    /// The number of build rows.
    var rowCount: Int { keys.first?.count ?? 0 }

    /// Indexes the build side's key columns (one or more, equal lengths).
    /// - Complexity: O(rows × keys) expected.
    init(keys: [Column]) {
        precondition(!keys.isEmpty, "a join needs a key column")
        let n = keys[0].count
        precondition(n < Int(Int32.max), "a join partition of \(n) rows is more than 2³¹")
        self.keys = keys
        var matchers: [JoinKeyMatcher] = []
        var folds: [(KeyInterner, UInt64)] = []
        let (m0, c0) = JoinKeyMatcher.build(keys[0])
        matchers.append(m0)
        var groups = c0, count = m0.cardinality
        for k in keys.dropFirst() {
            let (m, c) = JoinKeyMatcher.build(k)
            matchers.append(m)
            let card = UInt64(Swift.max(m.cardinality, 1))
            let composite = zip(groups, c).map { g, x in g < 0 || x < 0 ? UInt64.max : UInt64(g) &* card &+ UInt64(x) }
            var interner = KeyInterner(expected: Swift.min(n, 1 << 16))
            groups = composite.withUnsafeBufferPointer { interner.codes($0, skip: UInt64.max) }
            count = interner.count
            folds.append((interner, card))
        }
        self.matchers = matchers
        self.folds = folds
        groupCount = count
        // Rows by group (CSR); rows without a group (none in practice) are left out.
        var start = [Int32](repeating: 0, count: count + 1)
        var rows = [Int32](repeating: 0, count: groups.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) })
        var unique = true
        groups.withUnsafeBufferPointer { g in
            start.withUnsafeMutableBufferPointer { s in
                for i in 0..<n where g[i] >= 0 { s[Int(g[i]) + 1] += 1 }
                for x in 0..<count {
                    if s[x + 1] > 1 { unique = false }
                    s[x + 1] += s[x]
                }
                var fill = Array(s.dropLast())
                rows.withUnsafeMutableBufferPointer { r in
                    for i in 0..<n where g[i] >= 0 {
                        let x = Int(g[i])
                        r[Int(fill[x])] = Int32(i)
                        fill[x] += 1
                    }
                }
            }
        }
        self.start = start
        self.rows = rows
        self.unique = unique
    }

    /// The build group of every row of `probe` (the other side's key columns, pairwise with
    /// the build keys), -1 where no build row has that key.
    /// - Complexity: O(rows × keys) expected.
    func groups(of probe: [Column]) -> [Int32] {
        var out = matchers[0].codes(of: probe[0])
        for (j, (interner, card)) in folds.enumerated() {
            let c = matchers[j + 1].codes(of: probe[j + 1])
            out.withUnsafeMutableBufferPointer { o in
                c.withUnsafeBufferPointer { c in
                    for i in 0..<o.count where o[i] >= 0 {
                        o[i] = c[i] < 0 ? -1 : interner.code(of: UInt64(o[i]) &* card &+ UInt64(c[i]))
                    }
                }
            }
        }
        return out
    }

    /// This index when `probe`'s key columns have the build keys' types, else one over the build
    /// keys promoted to the types both sides unify to; with `probe` promoted alike.
    /// - Complexity: O(1) when the types agree, else O(build rows + probe rows).
    func aligned(with probe: [Column]) -> (index: JoinIndex, probe: [Column]) {
        if zip(keys, probe).allSatisfy({ $0.type == $1.type }) { return (self, probe) }
        var build = keys, other = probe
        for j in keys.indices where build[j].type != other[j].type {
            // As concatenation unifies: a column holding no value has no say in the type.
            let pair = [build[j], other[j]]
            let typed = pair.filter { $0.count > 0 && $0.nullCount < $0.count }
            let type = typed.isEmpty ? build[j].type : typed.dropFirst().reduce(typed[0].type) { $0.unified(with: $1.type) }
            func cast(_ c: Column) -> Column {
                if c.type == type { return c }
                if c.nullCount == c.count { return Column(missing: type, count: c.count) }
                return c.promoted(to: type)
            }
            build[j] = cast(build[j])
            other[j] = cast(other[j])
        }
        let same = zip(keys, build).allSatisfy { $0.type == $1.type }
        return (same ? self : JoinIndex(keys: build), other)
    }
}
