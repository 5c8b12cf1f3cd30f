// One key column of a join's build side, numbered so that the other side's values can be looked
// up without hashing both sides together.
//
// The build side's distinct values get dense codes `0..<cardinality`, in order of first
// appearance, plus one more code for a missing value when the build side has one (missing keys
// match each other, as in pandas). A probe value is looked up and never inserted, so one matcher
// serves every partition of the probe side at once, read-only:
// - integers (int64, timestamp, bool as 0/1) in a narrow range index a table directly (`value -
//   min`), wider ones go through `KeyInterner`;
// - doubles match by bit pattern, with -0.0 folded into 0.0 and every NaN into one (a valid NaN
//   matches a NaN; a missing value matches only a missing one);
// - text matches by its UTF-8 bytes (never as canonical `String`s, which would make the two
//   Unicode forms of a letter one key), through `DictionaryBuilder`; a dictionary-encoded probe
//   column looks up each dictionary entry once and then maps its codes, an array index per row.
// Both sides' columns must have the same type; `JoinIndex` promotes them first where they differ.

/// The build side's values of one key column, numbered densely, for looking up probe values.
struct JoinKeyMatcher: @unchecked Sendable {
    enum Lookup {
        /// `table[value - min]` is the code (-1: absent).
        case direct(min: Int64, table: [Int32])
        /// Integer or double bit patterns through a hash table.
        case hashed(KeyInterner)
        /// Text bytes.
        case text(DictionaryBuilder)
    }

    /// The type both sides' columns have.
    let type: DataType
    let lookup: Lookup
    /// Codes of the values: `0..<valueCount`, then `missingCode` when the build side has a
    /// missing value.
    let valueCount: Int
    /// The code of a missing value, -1 when the build side has none.
    let missingCode: Int32

    /// The number of codes (values plus one for missing when there is one).
    var cardinality: Int { valueCount + (missingCode >= 0 ? 1 : 0) }

    /// Numbers the values of `column`; returns the matcher and the code of every row.
    /// - Complexity: O(rows) expected (O(bytes) for plain text).
    static func build(_ column: Column) -> (JoinKeyMatcher, codes: [Int32]) {
        let n = column.count
        var codes: [Int32]
        let lookup: Lookup
        var valueCount = 0
        switch column.values {
        case .int64(let a), .timestamp(let a):
            (lookup, codes, valueCount) = integers(a, column.validity)
        case .bool(let a):
            (lookup, codes, valueCount) = integers(a.map { $0 ? 1 : 0 }, column.validity)
        case .float64(let a):
            // Missing rows' placeholders take codes too: no build row keeps such a code (missing
            // rows get `missingCode` below), so a probe value that finds one matches nothing.
            var interner = KeyInterner(expected: Swift.min(n, 1 << 16))
            codes = a.map(JoinKeyMatcher.pattern).withUnsafeBufferPointer { interner.codes($0) }
            valueCount = interner.count
            lookup = .hashed(interner)
        case .string(let s):
            var builder = DictionaryBuilder(expected: Swift.min(n, 1 << 14))
            switch s {
            case .dictionary(let c, let d):
                // Entries may repeat in a dictionary made by hand: each maps to its first.
                let entryCodes = (0..<d.count).map { e in d.withBytes(e) { b in withBase(b) { builder.code(copying: $0, $1) } } }
                codes = c.map { $0 < 0 ? -1 : entryCodes[Int($0)] }
            case .plain(let b):
                codes = [Int32](repeating: -1, count: n)
                b.bytes.withUnsafeBufferPointer { bytes in
                    b.offsets.withUnsafeBufferPointer { o in
                        withBase(bytes) { base, _ in
                            for i in 0..<n { codes[i] = builder.code(copying: base + o[i], o[i + 1] - o[i]) }
                        }
                    }
                }
            }
            valueCount = builder.count
            lookup = .text(builder)
        }
        var missingCode: Int32 = -1
        if let v = column.validity, v.nonzeroBitCount < n {
            missingCode = Int32(valueCount)
            codes.withUnsafeMutableBufferPointer { p in for i in 0..<n where !v[i] { p[i] = missingCode } }
        }
        let type = column.type
        return (JoinKeyMatcher(type: type, lookup: lookup, valueCount: valueCount, missingCode: missingCode), codes)
    }

    /// Codes of integers, dense in order of first appearance (missing rows: -1).
    private static func integers(_ a: [Int64], _ validity: Bitmap?) -> (Lookup, [Int32], Int) {
        let n = a.count
        var lo = Int64.max, hi = Int64.min
        for i in 0..<n where validity?[i] ?? true {
            lo = Swift.min(lo, a[i])
            hi = Swift.max(hi, a[i])
        }
        var codes = [Int32](repeating: -1, count: n)
        if lo > hi { return (.direct(min: 0, table: []), codes, 0) }
        let (span, overflow) = hi.subtractingReportingOverflow(lo)
        // A direct table costs four bytes per value of the range: worth it while the range is
        // within a few times the row count (the h2o tables' ids are dense).
        if !overflow && span < Int64(Swift.max(1 << 12, 4 * n)) {
            var table = [Int32](repeating: -1, count: Int(span) + 1)
            var next: Int32 = 0
            table.withUnsafeMutableBufferPointer { t in
                for i in 0..<n where validity?[i] ?? true {
                    let s = Int(a[i] &- lo)
                    if t[s] < 0 { t[s] = next; next += 1 }
                    codes[i] = t[s]
                }
            }
            return (.direct(min: lo, table: table), codes, Int(next))
        }
        // Placeholders of missing rows take codes no build row keeps (see the doubles).
        var interner = KeyInterner(expected: Swift.min(n, 1 << 16))
        codes = a.withUnsafeBufferPointer { $0.withMemoryRebound(to: UInt64.self) { interner.codes($0) } }
        return (.hashed(interner), codes, interner.count)
    }

    /// The bit pattern a double matches by: -0.0 as 0.0, every NaN as one.
    @inline(__always)
    static func pattern(_ v: Double) -> UInt64 {
        v.isNaN ? Double.nan.bitPattern : (v == 0 ? 0 : v).bitPattern
    }

    /// The build code of every row of `column` (same type as the build column), -1 where the
    /// build side has no such value.
    /// - Complexity: O(rows) expected: an array index per row for narrow integers and for
    ///   dictionary-encoded text (plus one lookup per dictionary entry).
    func codes(of column: Column) -> [Int32] {
        let n = column.count
        var out = [Int32](repeating: -1, count: n)
        out.withUnsafeMutableBufferPointer { o in
            switch (column.values, lookup) {
            case (.int64(let a), _), (.timestamp(let a), _):
                a.withUnsafeBufferPointer { integerCodes($0, into: o) }
            case (.bool(let a), _):
                integerCodes(a.map { $0 ? 1 : 0 }, into: o)
            case (.float64(let a), .hashed(let interner)):
                a.withUnsafeBufferPointer { p in for i in 0..<n { o[i] = interner.code(of: JoinKeyMatcher.pattern(p[i])) } }
            case (.string(.dictionary(let c, let d)), .text(let builder)):
                let entries = (0..<d.count).map { e in d.withBytes(e) { b in withBase(b) { builder.find($0, $1, readable: $1) } } }
                entries.withUnsafeBufferPointer { m in
                    c.withUnsafeBufferPointer { c in for i in 0..<n where c[i] >= 0 { o[i] = m[Int(c[i])] } }
                }
            case (.string(.plain(let b)), .text(let builder)):
                b.bytes.withUnsafeBufferPointer { bytes in
                    b.offsets.withUnsafeBufferPointer { off in
                        withBase(bytes) { base, total in
                            for i in 0..<n { o[i] = builder.find(base + off[i], off[i + 1] - off[i], readable: total - off[i]) }
                        }
                    }
                }
            default:
                preconditionFailure("join key matcher of \(type) probed with \(column.type)")
            }
            // Missing rows match the build side's missing value, whatever their placeholder.
            if let v = column.validity {
                for i in 0..<n where !v[i] { o[i] = missingCode }
            }
        }
        return out
    }

    @inline(__always)
    private func integerCodes(_ a: UnsafeBufferPointer<Int64>, into o: UnsafeMutableBufferPointer<Int32>) {
        switch lookup {
        case .direct(let lo, let table):
            table.withUnsafeBufferPointer { t in
                let span = UInt64(t.count)
                for i in 0..<a.count {
                    let s = UInt64(bitPattern: a[i] &- lo)
                    o[i] = s < span ? t[Int(s)] : -1
                }
            }
        case .hashed(let interner):
            for i in 0..<a.count { o[i] = interner.code(of: UInt64(bitPattern: a[i])) }
        case .text:
            preconditionFailure("join key matcher of text probed with integers")
        }
    }

    private func integerCodes(_ a: [Int64], into o: UnsafeMutableBufferPointer<Int32>) {
        a.withUnsafeBufferPointer { integerCodes($0, into: o) }
    }
}

/// Calls `body` with a base address for `bytes` and its count, even when it is empty (an empty
/// string is looked up with length 0 and nothing is read).
@inline(__always)
private func withBase<R>(_ bytes: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<UInt8>, Int) -> R) -> R {
    if let p = bytes.baseAddress { return body(p, bytes.count) }
    var zero: UInt64 = 0
    return withUnsafeBytes(of: &zero) { body($0.baseAddress!.assumingMemoryBound(to: UInt8.self), 0) }
}
