import Tessera
import TesseraArray
import TesseraFrame

// pandas' `df.corr()` and `df.cov()`: pairwise complete (each pair of columns over the rows
// where both have a value), in one pass: every partition becomes a `PairwiseMoments`, the
// states merge in order, and the matrix becomes a table.

extension ChunkedFrame {
    /// Pearson correlations between the numeric (and bool) columns, each pair over the rows where
    /// both have a value: pandas' `df.corr(numeric_only=True, min_periods=...)`.
    ///
    /// ```swift
    /// let c = try df.corr().compute()
    /// // column     DepDelay  ArrDelay  Distance
    /// // DepDelay   1.0       0.93      0.01 …
    /// ```
    /// - Parameter minPeriods: the fewest shared rows a pair needs; NaN below it (1, as pandas).
    /// - Returns: a one-partition frame: a text column `column` naming the variables, then one
    ///   float64 column per variable.
    /// - Throws: `FrameError.invalidArgument` when there is no numeric column; a column that
    ///   turns out to hold text fails the compute with `FrameError.typeMismatch`.
    /// - Complexity: one pass; O(rows × k²) for `k` columns, in parallel partitions.
    public func corr(minPeriods: Int = 1) throws -> ChunkedFrame {
        try pairwiseMatrix(kind: "corr") { $0.correlation(minPeriods: minPeriods) }
    }

    /// Covariances between the numeric (and bool) columns, each pair over the rows where both
    /// have a value: pandas' `df.cov(numeric_only=True, min_periods=..., ddof=...)`.
    /// - Parameters:
    ///   - minPeriods: the fewest shared rows a pair needs; NaN below it.
    ///   - ddof: delta degrees of freedom (1, as pandas).
    /// - Returns: as ``corr(minPeriods:)``.
    /// - Throws: as ``corr(minPeriods:)``.
    /// - Complexity: as ``corr(minPeriods:)``.
    public func cov(minPeriods: Int = 1, ddof: Int = 1) throws -> ChunkedFrame {
        try pairwiseMatrix(kind: "cov") { $0.covariance(ddof: ddof, minPeriods: minPeriods) }
    }

    private func pairwiseMatrix(kind: String, _ finish: @escaping @Sendable (PairwiseMoments) -> [Double]) throws -> ChunkedFrame {
        let names = schema.fields.filter { $0.type.isNumeric || $0.type == .bool }.map(\.name)
        guard !names.isEmpty else {
            throw FrameError.invalidArgument("\(kind) needs a numeric column; the columns are: \(schema.names.joined(separator: ", "))")
        }
        let parts = partitionLayer(kind: "\(kind)-chunk") { t -> PairwiseMoments in
            PairwiseMoments(columns: try names.map { name in
                let c = try t.column(name)
                guard c.type.isNumeric || c.type == .bool || c.nullCount == c.count else {
                    throw FrameError.typeMismatch(column: name, expected: "a numeric column for \(kind)", found: c.type)
                }
                return c.doubles.map { $0 ?? .nan }
            })
        }.refs.map { Delayed<PairwiseMoments>(ref: $0) }
        let label = names.contains("column") ? "column_" : "column"
        let table = delayed(name: kind, parts) { states -> Table in
            let m = states.isEmpty ? PairwiseMoments(variables: names.count) : PairwiseMoments.merged(states)
            let values = finish(m), k = names.count
            return try Table(names: [label] + names, columns: [Column(string: names)] + (0..<k).map { j in
                Column(float64: (0..<k).map { values[$0 * k + j] })
            })
        }
        let fields = [Field(label, .string, nullable: false)] + names.map { Field($0, .float64, nullable: true) }
        return ChunkedFrame(schema: Schema(fields), partitions: [table.ref])
    }
}
