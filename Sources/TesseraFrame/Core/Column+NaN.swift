// A floating NaN is a missing value, as in pandas: wherever one is produced, its validity bit
// is cleared, so isna, dropna, fillna, groupby, distinct counts and joins all see it as missing
// whatever the partitioning.

extension Column {
    /// The column with every NaN marked missing: pandas treats a floating NaN as a missing value,
    /// so a NaN an operation produces (0/0, inf - inf) is missing from then on, whatever the
    /// partitioning. Other types are returned as they are.
    /// - Complexity: O(count); no copy of the values.
    func nanAsMissing() -> Column {
        guard case .float64(let a) = values else { return self }
        var v = validity
        a.withUnsafeBufferPointer { p in
            for i in 0..<p.count where p[i].isNaN {
                if v == nil { v = Bitmap(count: p.count, value: true) }
                v![i] = false
            }
        }
        return v == nil ? self : Column(values: values, validity: v)
    }
}
