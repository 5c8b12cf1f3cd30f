// Ordering rows by several columns: the comparison shared by sorting, group-by results and the
// boundaries of range partitions. Missing values sort last whatever the direction (pandas'
// `na_position="last"`); text compares by UTF-8 bytes, which is code point order, as Python does.

/// One column prepared for fast row comparisons.
struct SortKey {
    enum Storage {
        case ints([Int64])
        case doubles([Double])
        /// Ranks of the values (bools, dictionary-encoded text).
        case ranks([Int32])
        case text(StringBuffer)
    }
    let storage: Storage
    let validity: Bitmap?
    let ascending: Bool

    init(_ c: Column, ascending: Bool) {
        self.ascending = ascending
        var validity = c.validity
        switch c.values {
        case .int64(let a), .timestamp(let a): storage = .ints(a)
        case .float64(let a):
            storage = .doubles(a)
            if a.contains(where: { $0.isNaN }) {  // a NaN value sorts with the missing ones
                var v = validity ?? Bitmap(count: a.count, value: true)
                for i in a.indices where a[i].isNaN { v[i] = false }
                validity = v
            }
        case .bool(let a): storage = .ranks(a.map { $0 ? 1 : 0 })
        case .string(.dictionary(let codes, let d)):
            let r = d.sortRanks()
            storage = .ranks(codes.map { $0 < 0 ? -1 : r[Int($0)] })
        case .string(.plain(let b)): storage = .text(b)
        }
        self.validity = validity
    }

    /// -1, 0 or 1 as row `i` sorts before, with or after row `j`.
    @inline(__always)
    func compare(_ i: Int, _ j: Int) -> Int {
        if let v = validity {
            let a = v[i], b = v[j]
            if !a || !b { return a == b ? 0 : (a ? -1 : 1) }
        }
        var r: Int
        switch storage {
        case .ints(let x): r = x[i] < x[j] ? -1 : (x[i] == x[j] ? 0 : 1)
        case .doubles(let x): r = x[i] < x[j] ? -1 : (x[i] == x[j] ? 0 : 1)
        case .ranks(let x): r = x[i] < x[j] ? -1 : (x[i] == x[j] ? 0 : 1)
        case .text(let b): r = b.lessThan(i, j) ? -1 : (b.lessThan(j, i) ? 1 : 0)
        }
        return ascending ? r : -r
    }
}

/// The permutation that sorts rows by `columns` (lexicographically, each ascending or not),
/// stable: equal rows keep their order. Missing values last.
/// - Complexity: O(n log n × columns).
func sortPermutation(_ columns: [Column], ascending: [Bool]) -> [Int] {
    let n = columns.first?.count ?? 0
    let keys = zip(columns, ascending).map { SortKey($0, ascending: $1) }
    if let order = rankSortPermutation(columns, keys, n: n) { return order }
    return comparatorSortPermutation(keys, n: n)
}

/// The stable sort with a comparator over the typed columns: the fallback when the rank key
/// doesn't fit 64 bits.
func comparatorSortPermutation(_ keys: [SortKey], n: Int) -> [Int] {
    var order = Array(0..<n)
    order.sort { i, j in
        for k in keys {
            let c = k.compare(i, j)
            if c != 0 { return c < 0 }
        }
        return i < j
    }
    return order
}

/// The sort through integer ranks: each key column becomes the rank of its value among the
/// column's distinct values (missing last, direction applied), the ranks fold into one integer
/// per row, and the rows sort by it with a stable radix sort — no comparator closures. Nil when
/// the folded ranks would not fit in 64 bits.
/// - Complexity: O(n × bytes of the key) for the sort, plus O(distinct log distinct)
///   comparisons per column.
func rankSortPermutation(_ columns: [Column], _ keys: [SortKey], n: Int) -> [Int]? {
    guard n > 1, n < 1 << 32 else { return n <= 1 ? Array(0..<n) : nil }
    var composite = [UInt64](repeating: 0, count: n)
    var bits: UInt64 = 0
    for (c, key) in zip(columns, keys) {
        let f = c.factorize(missingAsGroup: false)
        let first = Grouping.firstRows(f.codes, f.cardinality)
        // The occurring codes whose value isn't missing (a NaN sorts as missing), in sorted order.
        let present = first.indices.filter { first[$0] >= 0 && (key.validity?[first[$0]] ?? true) }
        let (rank, distinct) = presentRanks(present, first, key, cardinality: f.cardinality)
        let card = UInt64(distinct + 1)
        let width = UInt64(64 - (card - 1).leadingZeroBitCount)
        bits += Swift.max(width, 1)
        guard bits <= 64 else { return nil }
        let validity = key.validity
        f.codes.withUnsafeBufferPointer { codes in
            composite.withUnsafeMutableBufferPointer { out in
                for i in 0..<n {
                    let code = Int(codes[i])
                    let r = code < 0 || !(validity?[i] ?? true) ? card - 1 : rank[code]
                    out[i] = out[i] << Swift.max(width, 1) | r
                }
            }
        }
    }
    return radixSortPermutation(composite)
}

/// The rank of each code of `present` (codes whose first row is `first[code]`) among their
/// values in `key`'s order, and the number of ranks; other codes get that number. Equal values
/// share a rank. A key that is ranks already (dictionary text, bools) is ranked by counting;
/// others by sorting the codes.
/// - Complexity: O(codes + largest rank) for ranks, O(present log present) comparisons otherwise.
func presentRanks(_ present: [Int], _ first: [Int], _ key: SortKey, cardinality: Int) -> (ranks: [UInt64], distinct: Int) {
    if case .ranks(let x) = key.storage {
        let top = present.reduce(-1) { Swift.max($0, Int(x[first[$1]])) }
        var dense = [Int](repeating: -1, count: top + 1)
        for code in present { dense[Int(x[first[code]])] = 0 }
        var distinct = 0
        for r in dense.indices where dense[r] == 0 { dense[r] = distinct; distinct += 1 }
        var rank = [UInt64](repeating: UInt64(distinct), count: cardinality)
        for code in present {
            let d = dense[Int(x[first[code]])]
            rank[code] = UInt64(key.ascending ? d : distinct - 1 - d)
        }
        return (rank, distinct)
    }
    var sorted = present
    sorted.sort { key.compare(first[$0], first[$1]) < 0 }
    var rank = [UInt64](repeating: UInt64(present.count), count: cardinality)
    for (r, code) in sorted.enumerated() { rank[code] = UInt64(r) }
    return (rank, present.count)
}

/// The stable order of `keys`: an LSD radix sort eleven bits at a time (six passes at most; the
/// 2048 counters of a pass stay in L1), skipping the digits every key shares, so keys of a few
/// bits cost a pass or two.
/// - Complexity: O(n × distinguishing digits), two n-sized scratch arrays.
func radixSortPermutation(_ keys: [UInt64]) -> [Int] {
    let n = keys.count
    // An empty Array(unsafeUninitializedCapacity:) would write into the stdlib's shared empty storage.
    guard n > 1 else { return Array(0..<n) }
    let digitBits = 11, radix = 1 << digitBits, passes = (64 + digitBits - 1) / digitBits
    var histograms = [Int](repeating: 0, count: passes * radix)
    histograms.withUnsafeMutableBufferPointer { h in
        keys.withUnsafeBufferPointer { k in
            for x in k {
                for b in 0..<passes { h[b &* radix &+ Int((x >> UInt64(digitBits &* b)) & UInt64(radix - 1))] &+= 1 }
            }
        }
    }
    var order = [UInt32](unsafeUninitializedCapacity: n) { p, c in
        for i in 0..<n { p[i] = UInt32(i) }
        c = n
    }
    var current = keys
    var nextKeys = [UInt64](repeating: 0, count: n)
    var nextOrder = [UInt32](repeating: 0, count: n)
    for b in 0..<passes where !histograms[(b * radix)..<(b * radix + radix)].contains(n) {
        var offsets = [Int](repeating: 0, count: radix)
        var sum = 0
        for d in 0..<radix { offsets[d] = sum; sum += histograms[b * radix + d] }
        let shift = UInt64(digitBits * b), mask = UInt64(radix - 1)
        current.withUnsafeBufferPointer { ck in
            order.withUnsafeBufferPointer { co in
                nextKeys.withUnsafeMutableBufferPointer { nk in
                    nextOrder.withUnsafeMutableBufferPointer { no in
                        offsets.withUnsafeMutableBufferPointer { off in
                            for i in 0..<n {
                                let d = Int((ck[i] >> shift) & mask)
                                let at = off[d]
                                off[d] = at &+ 1
                                nk[at] = ck[i]
                                no[at] = co[i]
                            }
                        }
                    }
                }
            }
        }
        swap(&current, &nextKeys)
        swap(&order, &nextOrder)
    }
    return order.map { Int($0) }
}

/// -1, 0 or 1 as `a` sorts before, with or after `b`: missing (and NaN) last, numbers by value
/// (int64 with float64 too), text by UTF-8 bytes, false before true. Values of unrelated types
/// order by type name, so the order is total.
func compareValues(_ a: Value, _ b: Value) -> Int {
    func isNA(_ v: Value) -> Bool {
        if case .float64(let x) = v, x.isNaN { return true }
        return v.isMissing
    }
    let na = isNA(a), nb = isNA(b)
    if na || nb { return na == nb ? 0 : (na ? 1 : -1) }
    func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
    switch (a, b) {
    case (.int64(let x), .int64(let y)): return cmp(x, y)
    case (.timestamp(let x), .timestamp(let y)): return cmp(x, y)
    case (.bool(let x), .bool(let y)): return cmp(x ? 1 : 0, y ? 1 : 0)
    case (.string(let x), .string(let y)):
        return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : (x.utf8.elementsEqual(y.utf8) ? 0 : 1)
    default:
        if let x = a.doubleValue, let y = b.doubleValue { return cmp(x, y) }
        return cmp(a.typeName, b.typeName)
    }
}

extension Value {
    var typeName: String {
        switch self {
        case .missing: return "missing"
        case .bool: return "bool"
        case .int64: return "int64"
        case .float64: return "float64"
        case .string: return "string"
        case .timestamp: return "timestamp"
        }
    }
}
