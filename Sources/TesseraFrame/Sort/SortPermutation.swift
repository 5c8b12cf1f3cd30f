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
    if let order = rankSortPermutation(columns, ascending: ascending, n: n) { return order }
    return comparatorSortPermutation(zip(columns, ascending).map { SortKey($0, ascending: $1) }, n: n)
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
/// per row (`rankWords`), and the rows sort by it with a stable radix sort — no comparator
/// closures. Nil when the folded ranks would not fit in 64 bits.
/// - Complexity: O(n × bytes of the key) for the sort, plus what `Column.valueRanks` costs per
///   column (O(distinct) to O(distinct log distinct)).
func rankSortPermutation(_ columns: [Column], ascending: [Bool], n: Int) -> [Int]? {
    guard n > 1, n < 1 << 32 else { return n <= 1 ? Array(0..<n) : nil }
    return rankWords(columns, ascending: ascending).map(radixSortPermutation)
}

/// Per row, one word that orders rows as `columns` do lexicographically (each ascending or not,
/// missing and NaN after every value): the columns' value ranks (`Column.valueRanks`) packed
/// side by side, the first column in the highest bits. Rows with equal keys get equal words
/// (NaN and missing too, which rank alike). Nil when the ranks need more than 64 bits.
/// - Complexity: O(rows × columns) plus the ranking of each column's distinct values.
func rankWords(_ columns: [Column], ascending: [Bool]) -> [UInt64]? {
    let n = columns.first?.count ?? 0
    var composite = [UInt64](repeating: 0, count: n)
    var bits: UInt64 = 0
    for (c, up) in zip(columns, ascending) {
        let f = c.factorize(missingAsGroup: false)
        let (rank, distinct) = c.valueRanks(f, ascending: up)
        let card = UInt64(distinct + 1)
        let width = Swift.max(UInt64(64 - (card - 1).leadingZeroBitCount), 1)
        bits += width
        guard bits <= 64 else { return nil }
        f.codes.withUnsafeBufferPointer { codes in
            rank.withUnsafeBufferPointer { r in
                composite.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n {
                        let code = Int(codes[i])
                        out[i] = out[i] << width | (code < 0 ? card - 1 : UInt64(r[code]))
                    }
                }
            }
        }
    }
    return composite
}

extension Column {
    /// Per code of `f` (this column's factorization), a rank of its value among the column's
    /// non-missing values in the given direction (equal values rank alike, order is kept; ranks
    /// of codes no row has may leave gaps), and a bound of the ranks, which missing values, NaN
    /// (it sorts as missing) and unranked codes take: the rank after every value's.
    ///
    /// Codes that rise with their values (narrow integer ranges, bools) are their own ranks, and
    /// dictionary text ranks by its entries' order: no pass over the rows. Otherwise each code's
    /// value becomes one order-preserving 64-bit word (integers with the sign bit flipped,
    /// doubles by their total-order bits), ranked by a radix sort of the words, and none at all
    /// when they already come in order. Only plain text compares strings.
    /// - Complexity: O(codes) for ordered codes; O(entries log entries) string comparisons for
    ///   dictionary text; else O(rows + codes) plus O(distinct × digits) to sort (O(distinct log
    ///   distinct) string comparisons for plain text).
    func valueRanks(_ f: Factorization, ascending: Bool) -> (ranks: [Int32], distinct: Int) {
        // Codes that already rank their values (narrow integer ranges, bools), and dictionary
        // text (its entries' ranks): no pass over the rows. Codes no row has keep their place,
        // which only widens the range a little.
        if f.ordered {
            let top = Int32(f.cardinality - 1)
            return ((0..<Int32(f.cardinality)).map { ascending ? $0 : top - $0 }, f.cardinality)
        }
        if case .string(.dictionary(_, let d)) = values {
            let r = d.sortRanks()
            let distinct = Int((r.max() ?? -1) + 1)
            return (ascending ? r : r.map { Int32(distinct - 1) - $0 }, distinct)
        }
        let first = Grouping.firstRows(f.codes, f.cardinality)
        var present: [Int] = []
        present.reserveCapacity(f.cardinality)
        var words: [UInt64] = []
        words.reserveCapacity(f.cardinality)
        let flip: UInt64 = ascending ? 0 : ~0
        func collect(_ word: (Int) -> UInt64?) {
            for code in first.indices where first[code] >= 0 && isValid(first[code]) {
                guard let w = word(first[code]) else { continue }
                present.append(code)
                words.append(w ^ flip)
            }
        }
        switch values {
        case .int64(let a), .timestamp(let a):
            a.withUnsafeBufferPointer { p in collect { UInt64(bitPattern: p[$0]) ^ (1 << 63) } }
        case .float64(let a):
            a.withUnsafeBufferPointer { p in
                collect { i in
                    let v = p[i]
                    if v.isNaN { return nil }
                    let b = (v == 0 ? 0.0 : v).bitPattern
                    return b >> 63 == 1 ? ~b : b | (1 << 63)
                }
            }
        case .bool(let a):
            collect { a[$0] ? 1 : 0 }
        case .string(.dictionary(let codes, let d)):
            let r = d.sortRanks()
            collect { UInt64(r[Int(codes[$0])]) }
        case .string(.plain(let b)):
            collect { _ in 0 }
            // Distinct strings (interned by bytes): rank them by comparison, then as words.
            let order = present.indices.sorted { b.lessThan(first[present[$0]], first[present[$1]]) }
            for (r, k) in order.enumerated() { words[k] = UInt64(ascending ? r : order.count - 1 - r) }
        }
        let inOrder = !zip(words, words.dropFirst()).contains { $0 > $1 }
        let order = inOrder ? Array(words.indices) : radixSortPermutation(words)
        var ranks = [Int32](repeating: -1, count: f.cardinality)
        var distinct = 0
        for (j, k) in order.enumerated() {
            if j > 0 && words[k] != words[order[j - 1]] { distinct += 1 }
            ranks[present[k]] = Int32(distinct)
        }
        if !order.isEmpty { distinct += 1 }
        // Codes without a rank (missing, NaN, unused) rank after every value.
        for code in ranks.indices where ranks[code] < 0 { ranks[code] = Int32(distinct) }
        return (ranks, distinct)
    }
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
