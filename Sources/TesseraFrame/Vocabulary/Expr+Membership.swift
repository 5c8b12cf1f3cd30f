// Membership and range tests on expressions, built from comparisons so every evaluator already
// knows them: `isin` is an OR of equalities, `between` an AND of two bounds.

extension Expr {
    /// Whether each value is one of `values` (pandas' `isin`); a missing value matches only when
    /// `values` holds `.missing`, as pandas matches NaN.
    ///
    /// ```swift
    /// let ny = try df.filter(df["Origin"].isin(["JFK", "LGA"]))
    /// ```
    /// - Parameter values: the values to look for; an empty list matches nothing.
    /// - Returns: a bool expression, one comparison per value.
    /// - Complexity: O(rows × values) when evaluated (text columns compare each distinct value once).
    public func isin(_ values: [Value]) -> Expr {
        var terms: [Expr] = []
        for v in values {
            terms.append(v.isMissing ? .isMissing(self) : .comparison(.eq, self, .literal(v)))
        }
        guard let first = terms.first else { return .literal(.bool(false)) }
        return terms.dropFirst().reduce(first) { .or($0, $1) }
    }

    /// Whether each value is one of the strings `values`; see the `[Value]` form of `isin`.
    public func isin(_ values: [String]) -> Expr { isin(values.map { Value.string($0) }) }

    /// Whether each value is one of the integers `values`; see the `[Value]` form of `isin`.
    public func isin(_ values: [Int]) -> Expr { isin(values.map { Value.int64(Int64($0)) }) }

    /// Whether each value is one of the numbers `values`; see the `[Value]` form of `isin`.
    public func isin(_ values: [Double]) -> Expr { isin(values.map { Value.float64($0) }) }

    /// Whether each value lies between `lower` and `upper`, both included (pandas' `between`
    /// with `inclusive="both"`); missing values give false.
    /// - Parameters:
    ///   - lower: the smallest value that passes.
    ///   - upper: the largest value that passes.
    /// - Returns: the bool expression `self >= lower && self <= upper`.
    public func between(_ lower: Expr, _ upper: Expr) -> Expr {
        .and(.comparison(.ge, self, lower), .comparison(.le, self, upper))
    }
}
