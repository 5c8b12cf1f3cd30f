import Tessera

/// Some columns of a grouping, for aggregations that keep the columns' names: what
/// `df.groupby("Origin")["DepDelay"]` is (dask's `SeriesGroupBy`, or a `DataFrameGroupBy` of
/// the selected columns for `[["a", "b"]]`).
///
/// ```swift
/// let means = try df.groupby("Origin")["DepDelay"].mean().compute()   // Origin, DepDelay
/// let both = try df.groupby("Origin")[["DepDelay", "ArrDelay"]].agg([.mean, .max]).compute()
/// // Origin, DepDelay_mean, DepDelay_max, ArrDelay_mean, ArrDelay_max
/// ```
public struct GroupByColumns: Sendable {
    /// The grouping.
    public let groupBy: GroupBy
    /// The selected columns.
    public let columns: [String]

    /// One function on every selected column; output columns keep the input names, as pandas.
    /// - Parameters:
    ///   - function: the aggregation.
    ///   - splitOut: the number of output partitions (see `GroupBy.agg(_:splitOut:)`).
    /// - Returns: a frame of the key columns and one column per selected column, sorted by key.
    /// - Throws: `FrameError.unknownColumn`; `.typeMismatch` when the schema says a column is
    ///   text and the function needs numbers.
    public func agg(_ function: Aggregation, splitOut: Int = 1) throws -> ChunkedFrame {
        try aggregate(columns.map { NamedAggregation($0, function, name: $0) }, splitOut: splitOut)
    }

    /// Several functions on every selected column; outputs are named `COLUMN_FUNCTION`.
    /// - Parameters:
    ///   - functions: the aggregations, applied to each selected column in turn.
    ///   - splitOut: the number of output partitions.
    /// - Throws: as `agg(_:splitOut:)`.
    public func agg(_ functions: [Aggregation], splitOut: Int = 1) throws -> ChunkedFrame {
        try aggregate(columns.flatMap { c in functions.map { NamedAggregation(c, $0) } }, splitOut: splitOut)
    }

    /// Functions given by name (`"mean"`, `"max"`, …) on every selected column; outputs are named
    /// `COLUMN_FUNCTION`.
    /// - Parameters:
    ///   - functions: the names, as `Aggregation(name:)` knows them.
    ///   - splitOut: the number of output partitions.
    /// - Throws: `FrameError.invalidArgument` for an unknown name (listing the known ones); as
    ///   `agg(_:splitOut:)`.
    public func agg(_ functions: [String], splitOut: Int = 1) throws -> ChunkedFrame {
        try agg(functions.map { try Aggregation(named: $0, column: columns.first ?? "") }, splitOut: splitOut)
    }

    private func aggregate(_ aggregations: [NamedAggregation], splitOut: Int) throws -> ChunkedFrame {
        try groupBy.frame.checkAggregationTypes(aggregations)
        return try groupBy.agg(aggregations, splitOut: splitOut)
    }

    /// The mean of each group's non-missing values. - Throws: as `agg(_:splitOut:)`.
    public func mean() throws -> ChunkedFrame { try agg(.mean) }
    /// The sum of each group's values (int64 stays int64). - Throws: as `agg(_:splitOut:)`.
    public func sum() throws -> ChunkedFrame { try agg(.sum) }
    /// The smallest value per group. - Throws: as `agg(_:splitOut:)`.
    public func min() throws -> ChunkedFrame { try agg(.min) }
    /// The largest value per group. - Throws: as `agg(_:splitOut:)`.
    public func max() throws -> ChunkedFrame { try agg(.max) }
    /// The number of non-missing values per group. - Throws: as `agg(_:splitOut:)`.
    public func count() throws -> ChunkedFrame { try agg(.count) }
    /// The number of distinct non-missing values per group. - Throws: as `agg(_:splitOut:)`.
    public func nunique() throws -> ChunkedFrame { try agg(.nunique) }
    /// The exact median per group. - Throws: as `agg(_:splitOut:)`.
    public func median() throws -> ChunkedFrame { try agg(.median) }
    /// The first non-missing value per group. - Throws: as `agg(_:splitOut:)`.
    public func first() throws -> ChunkedFrame { try agg(.first) }
    /// The last non-missing value per group. - Throws: as `agg(_:splitOut:)`.
    public func last() throws -> ChunkedFrame { try agg(.last) }
    /// The standard deviation per group.
    /// - Parameter ddof: delta degrees of freedom (1 by default, as pandas).
    /// - Throws: as `agg(_:splitOut:)`.
    public func std(ddof: Int = 1) throws -> ChunkedFrame { try agg(.std(ddof: ddof)) }
    /// The variance per group.
    /// - Parameter ddof: delta degrees of freedom (1 by default, as pandas).
    /// - Throws: as `agg(_:splitOut:)`.
    public func `var`(ddof: Int = 1) throws -> ChunkedFrame { try agg(.var(ddof: ddof)) }
    /// The exact `q` quantile per group.
    /// - Parameter q: the quantile, in 0...1.
    /// - Throws: `FrameError.invalidArgument` for `q` outside 0...1; as `agg(_:splitOut:)`.
    public func quantile(_ q: Double) throws -> ChunkedFrame {
        guard (0...1).contains(q) else { throw FrameError.invalidArgument("quantile: q must lie in [0, 1], got \(q)") }
        return try agg(.quantile(q))
    }
    /// The `n` largest values of each group, largest first, one row each (pandas'
    /// `SeriesGroupBy.nlargest`); see `Aggregation.largest(_:)`.
    /// - Parameter n: how many values per group, at least 1.
    /// - Throws: `FrameError.invalidArgument` for `n < 1`; as `agg(_:splitOut:)`.
    public func nlargest(_ n: Int) throws -> ChunkedFrame { try agg(.largest(n)) }
    /// The `n` smallest values of each group, smallest first, one row each (pandas'
    /// `SeriesGroupBy.nsmallest`).
    /// - Parameter n: how many values per group, at least 1.
    /// - Throws: `FrameError.invalidArgument` for `n < 1`; as `agg(_:splitOut:)`.
    public func nsmallest(_ n: Int) throws -> ChunkedFrame { try agg(.smallest(n)) }
    /// The number of rows per group (missing values included), as a column named `size`.
    /// - Throws: as `GroupBy.size(splitOut:)`.
    public func size() throws -> ChunkedFrame { try groupBy.size() }
}

extension GroupBy {
    /// One column of the grouping: `df.groupby("Origin")["DepDelay"].mean()`.
    /// Unknown names are reported when an aggregation is built.
    public subscript(column: String) -> GroupByColumns { GroupByColumns(groupBy: self, columns: [column]) }

    /// Some columns of the grouping: `df.groupby("Origin")[["DepDelay", "ArrDelay"]].sum()`.
    public subscript(columns: [String]) -> GroupByColumns { GroupByColumns(groupBy: self, columns: columns) }

    /// Aggregations named by strings, as pandas' `agg({"DepDelay": "mean"})`: outputs are named
    /// `COLUMN_FUNCTION` (`DepDelay_mean`).
    ///
    /// ```swift
    /// let t = try df.groupby("Origin").agg(["DepDelay": "mean"]).compute()
    /// ```
    /// - Parameters:
    ///   - aggregations: `column: function name` pairs (a column may repeat).
    ///   - splitOut: the number of output partitions.
    /// - Throws: `FrameError.invalidArgument` for an unknown function name, naming it, the column
    ///   and the known names; `.unknownColumn`; `.typeMismatch` when the schema says a column is
    ///   text and the function needs numbers.
    public func agg(_ aggregations: KeyValuePairs<String, String>, splitOut: Int = 1) throws -> ChunkedFrame {
        try aggChecked(aggregations.map { NamedAggregation($0.key, try Aggregation(named: $0.value, column: $0.key)) }, splitOut: splitOut)
    }

    /// Several functions per column by name, as pandas' `agg({"DepDelay": ["mean", "max"]})`:
    /// outputs `DepDelay_mean`, `DepDelay_max`.
    /// - Parameters:
    ///   - aggregations: `column: [function names]` pairs.
    ///   - splitOut: the number of output partitions.
    /// - Throws: as the one-name-per-column form.
    public func agg(_ aggregations: KeyValuePairs<String, [String]>, splitOut: Int = 1) throws -> ChunkedFrame {
        try aggChecked(aggregations.flatMap { pair in
            try pair.value.map { NamedAggregation(pair.key, try Aggregation(named: $0, column: pair.key)) }
        }, splitOut: splitOut)
    }

    /// Several functions per column: `agg(["DepDelay": [.mean, .max]])`.
    /// - Parameters:
    ///   - aggregations: `column: [functions]` pairs.
    ///   - splitOut: the number of output partitions.
    /// - Throws: as the one-name-per-column form.
    public func agg(_ aggregations: KeyValuePairs<String, [Aggregation]>, splitOut: Int = 1) throws -> ChunkedFrame {
        try aggChecked(aggregations.flatMap { pair in pair.value.map { NamedAggregation(pair.key, $0) } }, splitOut: splitOut)
    }

    private func aggChecked(_ aggregations: [NamedAggregation], splitOut: Int) throws -> ChunkedFrame {
        try frame.checkAggregationTypes(aggregations)
        return try agg(aggregations, splitOut: splitOut)
    }
}

extension Aggregation {
    /// The aggregation called `name`, or an error that names it, the column and the known names.
    init(named name: String, column: String) throws {
        guard let a = Aggregation(name: name) else {
            throw FrameError.invalidArgument(
                "unknown aggregation '\(name)' for column '\(column)'; the known ones are: \(Aggregation.knownNames.joined(separator: ", "))")
        }
        self = a
    }
}
