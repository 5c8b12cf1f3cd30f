// Predicate pushdown on row-group statistics: a row group is skipped, unread, when its min/max
// and null count prove the predicate false for every row. The answer is three-valued in spirit:
// `mayMatch` returns false only when no row can match; anything it can't decide (an expression
// over two columns, arithmetic, a type it can't compare) keeps the row group, and the row-level
// filter decides. Missing values follow `Expr`: a comparison with a missing operand is false
// except `!=`, which is true.

import TesseraFrame

/// The bounds of one column in one row group, in Tessera's values.
struct ColumnBounds {
    var min: Value?
    var max: Value?
    var nullCount: Int64?
    var rowCount: Int64
    /// Float columns may hold NaNs, which Tessera reads as missing but Parquet counts neither in
    /// `null_count` nor in min/max: missing-value questions can't be answered from the statistics.
    var mayHoldNaN = false

    /// Every row is missing.
    var allMissing: Bool { nullCount == rowCount }
}

extension ColumnBounds {
    /// The bounds of `leaf` in a chunk, from its statistics; nil values where they are absent or
    /// not trustworthy for the column's type.
    init(_ stats: ChunkStatistics?, leaf: LeafColumn, rowCount: Int64) {
        self.rowCount = rowCount
        nullCount = stats?.nullCount
        mayHoldNaN = leaf.conversion == .float
        guard let s = stats else { return }
        // The deprecated fields were written in signed order: wrong for unsigned and decimal columns.
        let trusted: Bool
        switch leaf.conversion {
        case .int96, .unsigned64: trusted = false
        case .unsigned32, .decimal: trusted = !s.legacy
        default: trusted = true
        }
        guard trusted else { return }
        min = s.min.flatMap { decodeStatistic($0, leaf) }
        max = s.max.flatMap { decodeStatistic($0, leaf) }
    }
}

/// One PLAIN-encoded statistic as a Tessera value (nil when it can't be read as one).
private func decodeStatistic(_ bytes: [UInt8], _ leaf: LeafColumn) -> Value? {
    var values = PhysicalValues(leaf.physical)
    let ok: Bool = bytes.withUnsafeBytes { b in
        var r = ByteReader(b)
        if leaf.physical == .byteArray {
            // Statistics hold the bare bytes, without PLAIN's length prefix.
            values.bytes.append(b)
            return true
        }
        return (try? values.appendPlain(&r, count: 1, leaf: leaf)) != nil
    }
    var noCodes: DenseBuffer<Int32>?
    guard ok, let column = try? buildColumn(&values, codes: &noCodes, dictionary: nil, validity: nil, rowCount: 1, leaf: leaf) else {
        return nil
    }
    let v = column[0]
    if case .float64(let d) = v, d.isNaN { return nil }
    return v.isMissing ? nil : v
}

/// Whether some row of a row group with these column bounds may satisfy `predicate`.
/// - Complexity: O(size of the predicate).
func mayMatch(_ predicate: Expr, _ bounds: (String) -> ColumnBounds?) -> Bool {
    switch predicate {
    case .and(let a, let b): return mayMatch(a, bounds) && mayMatch(b, bounds)
    case .or(let a, let b): return mayMatch(a, bounds) || mayMatch(b, bounds)
    case .isMissing(.column(let name)):
        guard let c = bounds(name), let n = c.nullCount, !c.mayHoldNaN else { return true }
        return n > 0
    case .not(.isMissing(.column(let name))):
        guard let c = bounds(name) else { return true }
        return !c.allMissing
    case .comparison(let op, .column(let name), .literal(let v)):
        return mayMatch(op, bounds(name), v)
    case .comparison(let op, .literal(let v), .column(let name)):
        return mayMatch(op.flipped, bounds(name), v)
    case .literal(.bool(false)):
        return false
    default:
        return true
    }
}

private func mayMatch(_ op: Expr.ComparisonOperator, _ c: ColumnBounds?, _ v: Value) -> Bool {
    guard let c else { return true }
    if v.isMissing { return op == .ne && c.rowCount > 0 }  // a comparison with a missing constant
    if op == .ne {
        if c.mayHoldNaN || c.nullCount.map({ $0 > 0 }) ?? true { return true }
        guard let lo = c.min, let hi = c.max, let a = order(lo, v), let b = order(hi, v) else { return true }
        return !(a == 0 && b == 0)
    }
    if c.allMissing { return false }
    switch op {
    case .eq:
        guard let lo = c.min, let hi = c.max else { return true }
        return (order(lo, v).map { $0 <= 0 } ?? true) && (order(hi, v).map { $0 >= 0 } ?? true)
    case .lt: return c.min.flatMap { order($0, v) }.map { $0 < 0 } ?? true
    case .le: return c.min.flatMap { order($0, v) }.map { $0 <= 0 } ?? true
    case .gt: return c.max.flatMap { order($0, v) }.map { $0 > 0 } ?? true
    case .ge: return c.max.flatMap { order($0, v) }.map { $0 >= 0 } ?? true
    case .ne: return true
    }
}

/// -1, 0 or 1 as `a` sorts before, with or after `b`; nil when they don't compare (as `Expr`'s
/// evaluation would refuse or treat them).
private func order(_ a: Value, _ b: Value) -> Int? {
    func cmp<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : x > y ? 1 : 0 }
    switch (a, b) {
    case (.int64(let x), .int64(let y)): return cmp(x, y)
    case (.timestamp(let x), .timestamp(let y)): return cmp(x, y)
    case (.bool(let x), .bool(let y)): return cmp(x ? 1 : 0, y ? 1 : 0)
    case (.string(let x), .string(let y)):
        // Byte order, as Parquet's statistics and Tessera's comparisons use.
        return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : y.utf8.lexicographicallyPrecedes(x.utf8) ? 1 : 0
    case (.int64, .float64), (.float64, .int64), (.float64, .float64):
        // Exact comparison of an int64 with a double: compare in the wider domain when safe.
        if case .int64(let x) = a, case .int64(let y) = b { return cmp(x, y) }
        guard let x = a.doubleValue, let y = b.doubleValue, !x.isNaN, !y.isNaN else { return nil }
        if case .int64(let i) = a, i.magnitude > 1 << 53 { return nil }
        if case .int64(let i) = b, i.magnitude > 1 << 53 { return nil }
        return cmp(x, y)
    default: return nil
    }
}

extension Expr.ComparisonOperator {
    /// The operator with its operands swapped (`3 < x` is `x > 3`).
    var flipped: Expr.ComparisonOperator {
        switch self {
        case .lt: return .gt
        case .le: return .ge
        case .gt: return .lt
        case .ge: return .le
        case .eq, .ne: return self
        }
    }
}
