// The state of `min` and `max`: the best value of each group, kept as the value itself.
//
// Keeping the best row instead (`extremeRows`) reads the current best through it, a second
// random load per row into the column (as large as the partition) besides the one into the
// groups' array; with a million groups both miss the cache, and that second miss made min/max
// by a high-cardinality key half again as slow as sum or mean. Here the value and whether the
// group has one sit side by side in one slot, so a row costs one random access.

/// A group's best value so far; `seen` is false until the group has one.
private struct ExtremeSlot<T> {
    var value: T
    var seen: Bool
}

extension GroupKernels {
    /// The smallest (or largest) non-missing value of each group, as a column of `c`'s type,
    /// missing where the group has none; NaN is skipped, ties keep the first value (so the
    /// result is `c.take(optional: extremeRows(...))` whatever the row order within a value).
    /// Numbers and timestamps are compared in one pass; text, bools, and columns that remember
    /// the text they were parsed from (which the row form keeps) go through `extremeRows`.
    /// - Complexity: O(rows) with one random access per row, O(groups) memory.
    static func extremes(_ c: Column, _ ids: GroupIDs, _ groups: Int, smallest: Bool) -> Column {
        guard c.originalText == nil else { return c.take(optional: extremeRows(c, ids, groups, smallest: smallest)) }
        switch c.values {
        case .int64(let a):
            let (v, present) = extremeValues(a, c.validity, ids, groups, smallest: smallest, skipNaN: false, none: 0)
            return Column(values: .int64(v), validity: present)
        case .timestamp(let a):
            let (v, present) = extremeValues(a, c.validity, ids, groups, smallest: smallest, skipNaN: false, none: 0)
            return Column(values: .timestamp(v), validity: present)
        case .float64(let a):
            let (v, present) = extremeValues(a, c.validity, ids, groups, smallest: smallest, skipNaN: true, none: .nan)
            return Column(values: .float64(v), validity: present)
        default:
            return c.take(optional: extremeRows(c, ids, groups, smallest: smallest))
        }
    }

    /// Per group, the best of its valid values (`none` and not present where it has none), and
    /// which groups have one (nil when all do). `skipNaN` leaves out values unequal to themselves.
    private static func extremeValues<T: Comparable>(_ a: [T], _ validity: Bitmap?, _ ids: GroupIDs, _ groups: Int,
                                                     smallest: Bool, skipNaN: Bool, none: T) -> ([T], Bitmap?) {
        var slots = [ExtremeSlot<T>](repeating: ExtremeSlot(value: none, seen: false), count: groups)
        a.withUnsafeBufferPointer { v in
            slots.withUnsafeMutableBufferPointer { s in
                // The direction is hoisted out of the loop, so each loop has one comparison.
                if smallest {
                    forEachValid(ids, validity) { i, k in
                        let x = v[i]
                        if skipNaN && x != x { return }
                        if !s[k].seen || x < s[k].value { s[k] = ExtremeSlot(value: x, seen: true) }
                    }
                } else {
                    forEachValid(ids, validity) { i, k in
                        let x = v[i]
                        if skipNaN && x != x { return }
                        if !s[k].seen || s[k].value < x { s[k] = ExtremeSlot(value: x, seen: true) }
                    }
                }
            }
        }
        var values = [T](repeating: none, count: groups)
        var words = [UInt64](repeating: 0, count: (groups + 63) >> 6)
        var seen = 0
        slots.withUnsafeBufferPointer { s in
            values.withUnsafeMutableBufferPointer { out in
                words.withUnsafeMutableBufferPointer { w in
                    for k in 0..<groups where s[k].seen {
                        out[k] = s[k].value
                        w[k >> 6] |= 1 << UInt64(k & 63)
                        seen += 1
                    }
                }
            }
        }
        return (values, seen == groups ? nil : Bitmap(words: words, count: groups))
    }
}
