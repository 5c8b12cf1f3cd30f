// The state of `min` and `max`: the best value of each group, kept as the value itself.
//
// Keeping the best row instead (`extremeRows`) reads the current best through it, a second
// random load per row into the column (as large as the partition) besides the one into the
// groups' array; with a million groups both miss the cache, and that second miss made min/max
// by a high-cardinality key half again as slow as sum or mean. Here the value and its row sit
// side by side in one slot, so a row costs one random access; the row is still known, for the
// text a parsed column was read from (`OriginalText`), which the state keeps as `take` does.

/// A group's best value so far and its row; the row is -1 until the group has a value.
private struct ExtremeSlot<T> {
    var value: T
    var row: Int
}

extension GroupKernels {
    /// The smallest (or largest) non-missing value of each group, as a column of `c`'s type,
    /// missing where the group has none; NaN is skipped, ties keep the first value (so the
    /// result is `c.take(optional: extremeRows(...))` whatever the row order within a value).
    /// Numbers and timestamps are compared in one pass; text and bools go through `extremeRows`.
    /// - Complexity: O(rows) with one random access per row, O(groups) memory.
    static func extremes(_ c: Column, _ ids: GroupIDs, _ groups: Int, smallest: Bool) -> Column {
        let values: Column.Values, rows: [Int], present: Bitmap?
        switch c.values {
        case .int64(let a):
            let v: [Int64]
            (v, rows, present) = extremeValues(a, c.validity, ids, groups, smallest: smallest, skipNaN: false, none: 0)
            values = .int64(v)
        case .timestamp(let a):
            let v: [Int64]
            (v, rows, present) = extremeValues(a, c.validity, ids, groups, smallest: smallest, skipNaN: false, none: 0)
            values = .timestamp(v)
        case .float64(let a):
            let v: [Double]
            (v, rows, present) = extremeValues(a, c.validity, ids, groups, smallest: smallest, skipNaN: true, none: .nan)
            values = .float64(v)
        default:
            return c.take(optional: extremeRows(c, ids, groups, smallest: smallest))
        }
        // As `take(optional:)`: the original text follows the rows when every group has one.
        let out = Column(values: values, validity: present)
        return present == nil ? out.withOriginalText(c.originalText?.taking(rows)) : out
    }

    /// Per group, the best of its valid values (`none` where it has none), its row (-1 for
    /// none), and which groups have one (nil when all do). `skipNaN` leaves out values unequal
    /// to themselves.
    private static func extremeValues<T: Comparable>(_ a: [T], _ validity: Bitmap?, _ ids: GroupIDs, _ groups: Int,
                                                     smallest: Bool, skipNaN: Bool, none: T) -> ([T], [Int], Bitmap?) {
        var slots = [ExtremeSlot<T>](repeating: ExtremeSlot(value: none, row: -1), count: groups)
        a.withUnsafeBufferPointer { v in
            slots.withUnsafeMutableBufferPointer { s in
                // The direction is hoisted out of the loop, so each loop has one comparison. The
                // slot is stored back either way (selects, not a branch): a branch on the loaded
                // slot, mispredicted about every other row early on, throws away the loads of
                // the rows after it, and the cache misses no longer overlap.
                if smallest {
                    forEachValid(ids, validity) { i, k in
                        let x = v[i]
                        if skipNaN && x != x { return }
                        let c = s[k], take = (c.row < 0) || (x < c.value)
                        s[k] = ExtremeSlot(value: take ? x : c.value, row: take ? i : c.row)
                    }
                } else {
                    forEachValid(ids, validity) { i, k in
                        let x = v[i]
                        if skipNaN && x != x { return }
                        let c = s[k], take = (c.row < 0) || (c.value < x)
                        s[k] = ExtremeSlot(value: take ? x : c.value, row: take ? i : c.row)
                    }
                }
            }
        }
        var values = [T](repeating: none, count: groups)
        var rows = [Int](repeating: -1, count: groups)
        var words = [UInt64](repeating: 0, count: (groups + 63) >> 6)
        var seen = 0
        slots.withUnsafeBufferPointer { s in
            values.withUnsafeMutableBufferPointer { out in
                rows.withUnsafeMutableBufferPointer { r in
                    words.withUnsafeMutableBufferPointer { w in
                        for k in 0..<groups where s[k].row >= 0 {
                            out[k] = s[k].value
                            r[k] = s[k].row
                            w[k >> 6] |= 1 << UInt64(k & 63)
                            seen += 1
                        }
                    }
                }
            }
        }
        return (values, rows, seen == groups ? nil : Bitmap(words: words, count: groups))
    }
}
