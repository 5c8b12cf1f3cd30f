// Turning key columns into dense group ids, the first step of every group-by, distinct and join.
//
// Each key column is factorised on its own into codes `0..<cardinality` (-1 where the row takes no
// part: a missing key when missing keys are dropped). Dictionary-encoded text needs no work: its
// codes already are the factorisation, so grouping by it is an array index, never a hash.
// Integers within a narrow range index a table directly; other values go through a hash table.
// Several key columns then fold pairwise: the pair (a, b) is the number a·|B| + b, looked up in a
// direct table when |A|·|B| is small and in a hash table otherwise, and renumbered densely in
// order of first appearance.

/// Dense codes of one or more key columns.
struct Factorization {
    /// One code per row in `0..<cardinality`, or -1 for rows left out.
    var codes: [Int32]
    /// An upper bound of the codes (codes need not all occur).
    var cardinality: Int
}

extension Column {
    /// Dense codes of the values; equal values get equal codes. Missing values get their own code
    /// when `missingAsGroup`, else -1.
    /// - Complexity: O(count); an array index per row for dictionary text, bools and narrow
    ///   integer ranges, a hash-table probe otherwise.
    func factorize(missingAsGroup: Bool) -> Factorization {
        let n = count
        var codes: [Int32]
        var card: Int
        switch values {
        case .string(.dictionary(let c, let d)):
            codes = c
            card = d.count
        case .bool(let a):
            codes = a.map { $0 ? 1 : 0 }
            card = 2
        case .int64(let a), .timestamp(let a):
            (codes, card) = Column.factorizeIntegers(a, validity: validity)
        case .float64(let a):
            var index: [UInt64: Int32] = [:]
            codes = [Int32](repeating: -1, count: n)
            for i in 0..<n where isValid(i) {
                var v = a[i]
                if v == 0 { v = 0 }  // -0.0 and 0.0 are one key
                let bits = v.isNaN ? Double.nan.bitPattern : v.bitPattern
                if let c = index[bits] { codes[i] = c } else {
                    let c = Int32(index.count)
                    index[bits] = c
                    codes[i] = c
                }
            }
            card = index.count
        case .string(.plain(let b)):
            // Keyed by bytes, not String: String's == treats Unicode forms of a letter as one.
            var index: [ByteKey: Int32] = [:]
            codes = [Int32](repeating: -1, count: n)
            for i in 0..<n where isValid(i) {
                let s = ByteKey(b, i)
                if let c = index[s] { codes[i] = c } else {
                    let c = Int32(index.count)
                    index[s] = c
                    codes[i] = c
                }
            }
            card = index.count
        }
        if let v = validity {
            let missingCode: Int32 = missingAsGroup ? Int32(card) : -1
            codes.withUnsafeMutableBufferPointer { p in
                for i in 0..<n where !v[i] { p[i] = missingCode }
            }
            if missingAsGroup { card += 1 }
        }
        return Factorization(codes: codes, cardinality: card)
    }

    /// Integer codes: `value - min` when the range is narrow, a hash table otherwise.
    static func factorizeIntegers(_ a: [Int64], validity: Bitmap?) -> ([Int32], Int) {
        let n = a.count
        var lo = Int64.max, hi = Int64.min
        for i in 0..<n where validity?[i] ?? true {
            lo = Swift.min(lo, a[i])
            hi = Swift.max(hi, a[i])
        }
        if lo > hi { return ([Int32](repeating: -1, count: n), 0) }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        if !overflow && span < Int64(Swift.max(1 << 16, 2 * n)) {
            return (a.map { Int32(truncatingIfNeeded: $0 &- lo) }, Int(span) + 1)
        }
        var index: [Int64: Int32] = [:]
        var codes = [Int32](repeating: -1, count: n)
        for i in 0..<n where validity?[i] ?? true {
            if let c = index[a[i]] { codes[i] = c } else {
                let c = Int32(index.count)
                index[a[i]] = c
                codes[i] = c
            }
        }
        return (codes, index.count)
    }
}

extension Factorization {
    /// The same partition of rows with codes renumbered `0..<k` in order of first appearance,
    /// so every code occurs.
    func densified() -> Factorization {
        var table = [Int32](repeating: -1, count: cardinality)
        var out = codes
        var next: Int32 = 0
        out.withUnsafeMutableBufferPointer { o in
            for i in 0..<o.count where o[i] >= 0 {
                let c = Int(o[i])
                if table[c] < 0 { table[c] = next; next += 1 }
                o[i] = table[c]
            }
        }
        return Factorization(codes: out, cardinality: Int(next))
    }

    /// The codes of the pairs (self, other), densely renumbered in order of first appearance;
    /// -1 where either is -1.
    func combined(with other: Factorization) -> Factorization {
        let n = codes.count
        var out = [Int32](repeating: -1, count: n)
        let cb = other.cardinality
        let product = cardinality.multipliedReportingOverflow(by: cb)
        var next: Int32 = 0
        if !product.overflow && product.partialValue <= Swift.max(1 << 16, 2 * n) {
            var table = [Int32](repeating: -1, count: product.partialValue)
            for i in 0..<n {
                let a = codes[i], b = other.codes[i]
                if a < 0 || b < 0 { continue }
                let k = Int(a) * cb + Int(b)
                if table[k] < 0 { table[k] = next; next += 1 }
                out[i] = table[k]
            }
        } else {
            var index: [Int: Int32] = [:]
            for i in 0..<n {
                let a = codes[i], b = other.codes[i]
                if a < 0 || b < 0 { continue }
                let k = Int(a) * cb + Int(b)
                if let c = index[k] { out[i] = c } else { index[k] = next; out[i] = next; next += 1 }
            }
        }
        return Factorization(codes: out, cardinality: Int(next))
    }
}

/// Group ids of rows by several key columns.
struct Grouping {
    /// Per row, its group in `0..<groupCount`, or -1 for rows in no group (missing keys dropped).
    var ids: [Int32]
    /// The number of groups (ids need not all occur; see `firstRows`).
    var groupCount: Int

    /// Groups rows by the values of `keys`; rows with a missing key get -1 unless `dropna` is false.
    /// - Complexity: O(rows × keys).
    init(keys: [Column], dropna: Bool) {
        precondition(!keys.isEmpty, "grouping needs a key column")
        var f = keys[0].factorize(missingAsGroup: !dropna)
        for k in keys.dropFirst() { f = f.combined(with: k.factorize(missingAsGroup: !dropna)) }
        if keys.count == 1 { f = f.densified() }
        ids = f.codes
        groupCount = f.cardinality
    }
}
