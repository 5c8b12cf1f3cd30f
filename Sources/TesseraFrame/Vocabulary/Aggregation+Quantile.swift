// The exact quantile as a custom aggregation: each partition lists its group's numbers, lists
// concatenate, and the finished list is sorted once. Any group-by can use it, and column
// reductions do (through one-group aggregation).

extension Aggregation {
    /// The exact `q` quantile of the non-missing values, interpolating linearly between order
    /// statistics as pandas and NumPy do by default; missing for a group without values.
    ///
    /// ```swift
    /// let p90 = try df.groupby("Origin").agg([NamedAggregation("DepDelay", .quantile(0.9))])
    /// ```
    /// A text or timestamp column fails the compute with `FrameError.typeMismatch`.
    /// - Parameter q: the quantile, in 0...1 (checked by the callers that take it from users).
    /// - Returns: an aggregation named `quantile` that holds every value of a group until it
    ///   finishes.
    public static func quantile(_ q: Double) -> Aggregation {
        .custom(CustomAggregation(
            name: "quantile", outputType: .float64,
            chunk: { column -> [Double] in
                guard column.type.isNumeric || column.type == .bool else {
                    throw FrameError.typeMismatch(column: "quantile input", expected: "a numeric column", found: column.type)
                }
                return column.doubles.compactMap { $0 }
            },
            combine: { parts in parts.flatMap { $0 as! [Double] } },
            finalize: { state in
                let v = (state as! [Double]).sorted()
                guard !v.isEmpty else { return .missing }
                let pos = q * Double(v.count - 1)
                let lo = Int(pos.rounded(.down)), hi = Swift.min(lo + 1, v.count - 1)
                let t = pos - Double(lo), d = v[hi] - v[lo]
                // NumPy's lerp: from the upper end past the midpoint, so infinities interpolate as NumPy's do.
                return .float64(t >= 0.5 ? v[hi] - d * (1 - t) : v[lo] + d * t)
            }))
    }
}
