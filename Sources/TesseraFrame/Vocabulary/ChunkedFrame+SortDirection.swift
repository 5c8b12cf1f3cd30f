import Tessera

extension ChunkedFrame {
    /// The rows sorted by `by` with one direction for every key: pandas'
    /// `sort_values(by=[...], ascending=False)`.
    ///
    /// ```swift
    /// let worst = try df.sortValues(by: ["DepDelay", "ArrDelay"], ascending: false).head(5)
    /// ```
    /// - Parameters:
    ///   - by: key columns.
    ///   - ascending: the direction of every key.
    ///   - partitions: output partitions (default: as many as the input).
    /// - Throws: as the per-key `sortValues(by:ascending:partitions:)`.
    /// - Complexity: as the per-key form.
    public func sortValues(by: [String], ascending: Bool, partitions: Int? = nil) throws -> ChunkedFrame {
        try sortValues(by: by, ascending: Array(repeating: ascending, count: Swift.max(1, by.count)), partitions: partitions)
    }
}
