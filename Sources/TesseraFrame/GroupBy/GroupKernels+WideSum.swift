// The state of `sum`: exact 128-bit partial sums for integer columns, so that a partition whose
// partial sum passes Int64.max (while the whole group's sum fits) is not an error, and an int64
// sum that really overflows is one — the same at every partitioning. Only the final value must
// fit in 64 bits.
//
// State columns: [low, high]. For int64 and bool input, `low` is an int64 column holding the low
// 64 bits (as a bit pattern) and `high` the high 64 bits of each group's Int128 sum; for float64
// input, `low` is the float64 sum and `high` is zeros. A group without a non-missing value has a
// missing `low`, so a partition where the column is entirely missing (typed float64 by the
// reader) doesn't decide the type of the result.

extension GroupKernels {
    /// The [low, high] sum state of one partition.
    /// - Throws: `FrameError.typeMismatch` for text and timestamps.
    static func wideSum(_ c: Column, _ ids: GroupIDs, _ groups: Int, name: String) throws -> [Column] {
        let present = Bitmap.groupsWithValues(c.validity, ids, groups)
        switch c.values {
        case .int64(let a):
            let wide = int128Sums(a, c.validity, ids, groups)
            return splitWide(wide, present)
        case .bool, .float64:
            let s = try sum(c, ids, groups, name: name)
            return [s, Column(values: .int64([Int64](repeating: 0, count: groups)))]
        default:
            throw FrameError.typeMismatch(column: name, expected: "a numeric or bool column", found: c.type)
        }
    }

    /// Exact per-group sums of the non-missing values of `a`, in 128 bits (never overflow).
    /// - Complexity: O(rows + groups).
    static func int128Sums(_ a: [Int64], _ validity: Bitmap?, _ ids: GroupIDs, _ groups: Int) -> [Int128] {
        var wide = [Int128](repeating: 0, count: groups)
        a.withUnsafeBufferPointer { v in
            wide.withUnsafeMutableBufferPointer { o in forEachValid(ids, validity) { i, k in o[k] &+= Int128(v[i]) } }
        }
        return wide
    }

    /// Merges [low, high] states (`lows`/`highs` of the parts, one row per partial group, in the
    /// order of `ids`). Integer parts stay exact; once a part is float64 (the column unified to
    /// float64), the integer parts convert to doubles.
    static func mergeWideSums(_ lows: [Column], _ highs: [Column], _ ids: GroupIDs, _ groups: Int, name: String) throws -> [Column] {
        let typed = lows.filter { $0.count > 0 && $0.nullCount < $0.count }
        if typed.isEmpty {
            // No part has a value (a key range whose rows are all missing): every sum is missing,
            // in the type of the parts, whatever it is.
            let type = lows.first(where: { $0.count > 0 })?.type ?? lows[0].type
            return [Column(missing: type, count: groups), Column(values: .int64([Int64](repeating: 0, count: groups)))]
        }
        if typed.contains(where: { $0.type == .float64 }) {
            let asDoubles = zip(lows, highs).map { lo, hi -> Column in
                guard case .int64(let l) = lo.values, case .int64(let h) = hi.values else { return lo }
                return Column(values: .float64((0..<l.count).map { Double(wide(l[$0], h[$0])) }), validity: lo.validity)
            }
            let s = try sum(Column.concatenate(asDoubles), ids, groups, name: name)
            return [s, Column(values: .int64([Int64](repeating: 0, count: groups)))]
        }
        let lo = Column.concatenate(lows), hi = Column.concatenate(highs)
        guard case .int64(let l) = lo.values, case .int64(let h) = hi.values else {
            throw FrameError.invalidArgument("internal: malformed sum state for '\(name)'")
        }
        var out = [Int128](repeating: 0, count: groups)
        forEachValid(ids, lo.validity) { i, k in out[k] &+= wide(l[i], h[i]) }
        return splitWide(out, Bitmap.groupsWithValues(lo.validity, ids, groups))
    }

    /// The final sum column: int64 (or float64), 0 for a group without values.
    /// - Throws: `SumOverflow` for the first group whose int64 sum doesn't fit in 64 bits.
    static func finalWideSum(_ lo: Column, _ hi: Column) throws -> Column {
        switch (lo.values, hi.values) {
        case (.int64(let l), .int64(let h)):
            var out = [Int64](repeating: 0, count: l.count)
            for k in 0..<l.count where lo.isValid(k) {
                guard let x = Int64(exactly: wide(l[k], h[k])) else { throw SumOverflow(group: k) }
                out[k] = x
            }
            return Column(values: .int64(out))
        case (.float64(let a), _):
            return Column(values: .float64((0..<a.count).map { lo.isValid($0) ? a[$0] : 0 }))
        default:
            return lo
        }
    }

    @inline(__always)
    static func wide(_ low: Int64, _ high: Int64) -> Int128 {
        Int128(high) << 64 | Int128(UInt64(bitPattern: low))
    }

    static func splitWide(_ wide: [Int128], _ present: Bitmap?) -> [Column] {
        [Column(values: .int64(wide.map { Int64(truncatingIfNeeded: $0) }), validity: present),
         Column(values: .int64(wide.map { Int64(truncatingIfNeeded: $0 >> 64) }))]
    }
}
