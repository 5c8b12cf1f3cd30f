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
    /// Whether the codes rise with the values (bools; `value - min` of a narrow integer range),
    /// so that a code ranks its value among the others.
    var ordered = false
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
        var ordered = false
        switch values {
        case .string(.dictionary(let c, let d)):
            codes = c
            card = d.count
        case .bool(let a):
            codes = a.map { $0 ? 1 : 0 }
            card = 2
            ordered = true
        case .int64(let a), .timestamp(let a):
            (codes, card, ordered) = Column.factorizeIntegers(a, validity: validity)
        case .float64(let a):
            // Bit patterns, with -0.0 folded into 0.0 and every NaN into one: equal keys are
            // equal patterns. Missing rows take the skipped pattern (a signalling NaN's, which
            // the normalisation never produces).
            let skipped: UInt64 = 0x7FF0_0000_0000_0001
            var bits = [UInt64](repeating: skipped, count: n)
            for i in 0..<n where isValid(i) {
                let v = a[i] == 0 ? 0 : a[i]
                bits[i] = v.isNaN ? Double.nan.bitPattern : v.bitPattern
            }
            var interner = KeyInterner(expected: Swift.min(n, 1 << 16))
            codes = bits.withUnsafeBufferPointer { interner.codes($0, skip: skipped) }
            card = interner.count
        case .string(.plain(let b)):
            // Keyed by bytes, not String: String's == treats Unicode forms of a letter as one.
            let (c, d) = b.interned(validity)
            codes = c
            card = d.count
        }
        if let v = validity {
            let missingCode: Int32 = missingAsGroup ? Int32(card) : -1
            codes.withUnsafeMutableBufferPointer { p in
                for i in 0..<n where !v[i] { p[i] = missingCode }
            }
            if missingAsGroup { card += 1 }
        }
        return Factorization(codes: codes, cardinality: card, ordered: ordered)
    }

    /// Integer codes: `value - min` when the range is narrow (then `ordered`), a hash table otherwise.
    static func factorizeIntegers(_ a: [Int64], validity: Bitmap?) -> ([Int32], Int, ordered: Bool) {
        let n = a.count
        var lo = Int64.max, hi = Int64.min
        for i in 0..<n where validity?[i] ?? true {
            lo = Swift.min(lo, a[i])
            hi = Swift.max(hi, a[i])
        }
        if lo > hi { return ([Int32](repeating: -1, count: n), 0, true) }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        if !overflow && span < Int64(Swift.max(1 << 16, 2 * n)) {
            return (a.map { Int32(truncatingIfNeeded: $0 &- lo) }, Int(span) + 1, true)
        }
        var interner = KeyInterner(expected: Swift.min(n, 1 << 16))
        var codes = a.withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: UInt64.self) { interner.codes($0) }
        }
        if let validity { for i in 0..<n where !validity[i] { codes[i] = -1 } }
        return (codes, interner.count, false)
    }
}

extension StringBuffer {
    /// Codes of the strings in order of first appearance (by bytes) and the distinct strings in
    /// code order; rows that `validity` marks missing get -1.
    /// - Complexity: O(bytes), through `DictionaryBuilder`'s hash table.
    func interned(_ validity: Bitmap?) -> (codes: [Int32], dictionary: StringBuffer) {
        var builder = DictionaryBuilder(expected: expectedDistinct())
        let codes = builder.codes(of: self, validity: validity)
        return (codes, builder.buffer)
    }

    /// How many distinct strings to size an interning table for: 16,384 (the table grows from
    /// there), or half the strings when the first 4,096 are mostly distinct (ids: a partition of
    /// db-benchmark's id3 holds 700,000 distinct strings in 1.25 million, and growing a table to
    /// that size rehashed every entry about twice, a tenth of the interning).
    /// - Complexity: O(4,096) lookups.
    func expectedDistinct() -> Int {
        let floor = Swift.min(count, 1 << 14), sample = 1 << 12
        guard count > 4 * floor else { return floor }
        let base = offsets[0]
        let head = StringBuffer(offsets: offsets[...sample].map { $0 - base }, bytes: Array(bytes[base..<offsets[sample]]))
        var probe = DictionaryBuilder(expected: sample)
        _ = probe.codes(of: head)
        return probe.count * 2 > sample ? count / 2 : floor
    }
}

extension Column {
    /// Plain text dictionary-encoded (codes in order of first appearance); any other column as it is.
    /// Grouping by the result costs no hashing, and gathering its rows copies no bytes.
    /// - Complexity: O(bytes) for plain text.
    func dictionaryEncodedText() -> Column {
        guard case .string(.plain(let b)) = values else { return self }
        let (codes, d) = b.interned(validity)
        return Column(values: .string(.dictionary(codes: codes, dictionary: d)), validity: validity)
    }
}

extension Table {
    /// The table with its plain text columns dictionary-encoded (see `Column.dictionaryEncodedText`):
    /// what a join broadcasts, so that gathering its rows for every partition of the other side
    /// copies codes, and the partitions' outputs share one dictionary.
    /// Text whose first 65,536 rows are mostly distinct (ids) stays plain: interning millions of
    /// distinct strings costs more than gathering their bytes saves.
    /// - Complexity: O(bytes of plain text).
    func dictionaryEncodingText() -> Table {
        guard columns.contains(where: { if case .string(.plain) = $0.values { return true }; return false }) else { return self }
        let sampleRows = 1 << 16
        let encoded = columns.map { c -> Column in
            guard case .string(.plain) = c.values else { return c }
            if c.count > sampleRows, case .string(.dictionary(_, let d)) = c.slice(0..<sampleRows).dictionaryEncodedText().values,
               d.count * 2 > sampleRows {
                return c
            }
            return c.dictionaryEncodedText()
        }
        return (try? Table(names: names, columns: encoded, rowCount: rowCount)) ?? self
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
            table.withUnsafeMutableBufferPointer { t in
                for i in 0..<o.count where o[i] >= 0 {
                    let c = Int(o[i])
                    if t[c] < 0 { t[c] = next; next += 1 }
                    o[i] = t[c]
                }
            }
        }
        return Factorization(codes: out, cardinality: Int(next))
    }
}

/// Group ids of rows by several key columns.
///
/// The key columns' codes fold into one 64-bit number per row, `((c₀·|C₁| + c₁)·|C₂| + c₂)…`,
/// while the product of the cardinalities fits (six db-benchmark ids, 10⁷ groups: 10¹⁸, one
/// number); when it would not, the number so far is renumbered densely first (at most `rows`
/// values), then the fold goes on. The numbers are renumbered at the end: through a direct
/// table when their range is small, through `KeyInterner` otherwise. No per-row tuples, strings
/// or dictionary probes.
struct Grouping {
    /// Per row, its group in `0..<groupCount`, or -1 for rows in no group (missing keys dropped).
    var ids: [Int32]
    /// The number of groups (ids need not all occur; see `firstRows`).
    var groupCount: Int

    /// Rows in no group carry this composite.
    static let excluded = UInt64.max

    /// Groups rows by the values of `keys`; rows with a missing key get -1 unless `dropna` is false.
    /// Ids are numbered in order of first appearance.
    /// - Complexity: O(rows × keys) expected.
    init(keys: [Column], dropna: Bool) {
        precondition(!keys.isEmpty, "grouping needs a key column")
        let n = keys[0].count
        let first = keys[0].factorize(missingAsGroup: !dropna)
        if keys.count == 1 {
            let f = first.densified()
            (ids, groupCount) = (f.codes, f.cardinality)
            return
        }
        var composite = first.codes.map { $0 < 0 ? Grouping.excluded : UInt64($0) }
        var card = UInt64(Swift.max(first.cardinality, 1))
        for k in keys.dropFirst() {
            let f = k.factorize(missingAsGroup: !dropna)
            let c = UInt64(Swift.max(f.cardinality, 1))
            var (product, overflow) = card.multipliedReportingOverflow(by: c)
            if overflow || product >= Grouping.excluded {
                let d = Grouping.dense(composite, card)
                composite = d.ids.map { $0 < 0 ? Grouping.excluded : UInt64($0) }
                card = UInt64(Swift.max(d.groupCount, 1))
                product = card * c  // both at most 2³¹
            }
            composite.withUnsafeMutableBufferPointer { out in
                f.codes.withUnsafeBufferPointer { codes in
                    for i in 0..<n where out[i] != Grouping.excluded {
                        out[i] = codes[i] < 0 ? Grouping.excluded : out[i] &* c &+ UInt64(codes[i])
                    }
                }
            }
            card = product
        }
        (ids, groupCount) = Grouping.dense(composite, card)
    }

    /// Composite numbers below `card` (or `excluded`) renumbered densely in order of first appearance.
    static func dense(_ composite: [UInt64], _ card: UInt64) -> (ids: [Int32], groupCount: Int) {
        let n = composite.count
        if card <= UInt64(Swift.max(1 << 16, 2 * n)) {
            var table = [Int32](repeating: -1, count: Int(card))
            var out = [Int32](repeating: -1, count: n)
            var next: Int32 = 0
            composite.withUnsafeBufferPointer { c in
                out.withUnsafeMutableBufferPointer { o in
                    table.withUnsafeMutableBufferPointer { t in
                        for i in 0..<n where c[i] != excluded {
                            let k = Int(c[i])
                            if t[k] < 0 { t[k] = next; next += 1 }
                            o[i] = t[k]
                        }
                    }
                }
            }
            return (out, Int(next))
        }
        var interner = KeyInterner(expected: Swift.min(n, 1 << 20))
        let out = composite.withUnsafeBufferPointer { interner.codes($0, skip: excluded) }
        return (out, interner.count)
    }
}
