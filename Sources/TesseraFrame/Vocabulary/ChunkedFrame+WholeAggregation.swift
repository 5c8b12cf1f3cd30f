import Tessera

// Reductions over a whole column are group-by aggregations with one group: every row gets the
// same key, the group-by tree does the work (one pass, partial states merged in a tree), and the
// one-row answer loses its key. So `df["x"].mean()` and `df.groupby("k")["x"].mean()` share their
// kernels, their missing-value rules and their numerical behaviour.

extension ChunkedFrame {
    /// A one-row table holding `aggregations` computed over every row, lazily.
    ///
    /// A frame with no rows gives pandas' answers for an empty column: 0 for `sum`, `count`,
    /// `size` and `nunique`, missing for the rest.
    /// - Throws: `FrameError.unknownColumn`; `.typeMismatch` when the schema already says a
    ///   function doesn't apply (the mean of a text column).
    func aggregateAll(_ aggregations: [NamedAggregation]) throws -> Delayed<Table> {
        try checkAggregationTypes(aggregations)
        let inputs = aggregations.reduce(into: [String]()) { for c in $1.inputs where !$0.contains(c) { $0.append(c) } }
        var key = "__all_rows"
        while columns.contains(key) { key += "_" }
        let keyed = try select(inputs).assign(key, .literal(.int64(0)))
        let grouped = try keyed.groupby([key]).agg(aggregations)
        let names = aggregations.map(\.name)
        let groupedNode = grouped.node
        // From the plan of a joint compute when there is one: several reductions of one frame
        // computed together then share its scan.
        let parts = grouped.partitions.indices.map { Delayed<Table>(output: $0, of: grouped) }
        return delayed(name: "aggregate-all", parts) { tables in
            let t = try Table.concatenate(tables)
            if t.rowCount > 0 { return try t.select(names) }
            // No row at all: the types the schema expects (resolved only now).
            let fields = names.map { groupedNode.schema[$0]! }
            return try Table(names: names, columns: zip(aggregations, fields).map { a, f in
                switch a.function.kind {
                case .sum, .count, .size, .nunique:
                    return f.type == .float64 ? Column(float64: [0]) : Column(int64: [0])
                default: return Column(missing: f.type, count: 1)
                }
            })
        }
    }

    /// Checks, while building, that each function applies to its column's schema type.
    ///
    /// Only a text column is certain from the schema (a lazy frame's types are provisional, but
    /// promotion never goes back from text), so only text is rejected here; other mismatches
    /// surface when computing.
    /// - Throws: `FrameError.unknownColumn`, `.typeMismatch` naming the column and function.
    func checkAggregationTypes(_ aggregations: [NamedAggregation]) throws {
        for a in aggregations {
            try check(a.inputs)
            // Only a function that rejects text needs the columns' types: the others leave a CSV
            // frame's types unresolved (no sample parsed while building).
            guard (try? a.function.outputType(for: .string, column: a.column)) == nil else { continue }
            for column in a.inputs where try schema.field(column).type == .string {
                _ = try a.function.outputType(for: .string, column: column)
            }
        }
    }

    /// `aggregateAll` of one function on every numeric (and bool) column, as a one-row frame
    /// whose columns keep their names: pandas' `df.mean()` and friends.
    func reduceNumericColumns(_ function: Aggregation) throws -> ChunkedFrame {
        let numeric = schema.fields.filter { $0.type.isNumeric || $0.type == .bool }.map(\.name)
        guard !numeric.isEmpty else {
            throw FrameError.invalidArgument("\(function.name) needs a numeric column; the columns are: \(schema.names.joined(separator: ", "))")
        }
        let aggs = numeric.map { NamedAggregation($0, function, name: $0) }
        let fields = try numeric.map { n in
            Field(n, try function.outputType(for: try schema.field(n).type, column: n), nullable: true)
        }
        return ChunkedFrame(schema: Schema(fields), partitions: [try aggregateAll(aggs).ref])
    }

    /// The mean of every numeric column, missing values skipped: a one-row frame (pandas'
    /// `df.mean(numeric_only=True)`; bool columns count, as in pandas).
    ///
    /// ```swift
    /// let means = try df.mean().compute()     // one row, one column per numeric column
    /// ```
    /// - Throws: `FrameError.invalidArgument` when the frame has no numeric column.
    /// - Complexity: one pass over the data, O(partitions) tasks.
    public func mean() throws -> ChunkedFrame { try reduceNumericColumns(.mean) }

    /// The sum of every numeric column (int64 stays int64): a one-row frame; see ``mean()``.
    /// - Throws: `FrameError.invalidArgument` when the frame has no numeric column.
    public func sum() throws -> ChunkedFrame { try reduceNumericColumns(.sum) }

    /// The smallest value of every numeric column: a one-row frame; see ``mean()``.
    /// - Throws: `FrameError.invalidArgument` when the frame has no numeric column.
    public func min() throws -> ChunkedFrame { try reduceNumericColumns(.min) }

    /// The largest value of every numeric column: a one-row frame; see ``mean()``.
    /// - Throws: `FrameError.invalidArgument` when the frame has no numeric column.
    public func max() throws -> ChunkedFrame { try reduceNumericColumns(.max) }

    /// The standard deviation of every numeric column, `ddof` 1 by default: a one-row frame.
    /// - Parameter ddof: delta degrees of freedom (0: population).
    /// - Throws: `FrameError.invalidArgument` when the frame has no numeric column.
    public func std(ddof: Int = 1) throws -> ChunkedFrame { try reduceNumericColumns(.std(ddof: ddof)) }

    /// The variance of every numeric column, `ddof` 1 by default: a one-row frame.
    /// - Parameter ddof: delta degrees of freedom (0: population).
    /// - Throws: `FrameError.invalidArgument` when the frame has no numeric column.
    public func `var`(ddof: Int = 1) throws -> ChunkedFrame { try reduceNumericColumns(.var(ddof: ddof)) }

    /// The exact median of every numeric column: a one-row frame.
    /// - Throws: `FrameError.invalidArgument` when the frame has no numeric column.
    /// - Complexity: every non-missing value meets in one task per column.
    public func median() throws -> ChunkedFrame { try reduceNumericColumns(.median) }
}
