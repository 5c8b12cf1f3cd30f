import Tessera

// nlargest / nsmallest: each partition keeps its own best n rows (a sort of one partition, rows
// with a missing key left out), and one task merges those few rows. Nothing else moves, unlike
// a full sort.

extension ChunkedFrame {
    /// The `n` rows with the largest values of `columns` (compared in order; later columns break
    /// ties), largest first: pandas' `df.nlargest(n, columns)` with `keep="first"` — among equal
    /// rows the earlier ones win. Rows with a missing value in `columns` are left out.
    ///
    /// ```swift
    /// let worst = try df.nlargest(5, "DepDelay").compute()
    /// ```
    /// - Parameters:
    ///   - n: how many rows (fewer when the frame has fewer rows with values).
    ///   - columns: the columns to order by.
    /// - Returns: a one-partition frame.
    /// - Throws: `FrameError.unknownColumn`; `.invalidArgument` for a negative `n` or no column.
    /// - Complexity: O(rows log rows) per partition in parallel, then O(n × partitions) in one task.
    public func nlargest(_ n: Int, _ columns: String...) throws -> ChunkedFrame {
        try best(n, columns, largest: true)
    }

    /// `nlargest` with the columns given as an array.
    /// - Parameters:
    ///   - n: how many rows.
    ///   - columns: the columns to order by.
    /// - Throws: as the variadic form.
    public func nlargest(_ n: Int, _ columns: [String]) throws -> ChunkedFrame {
        try best(n, columns, largest: true)
    }

    /// The `n` rows with the smallest values of `columns`, smallest first: pandas'
    /// `df.nsmallest(n, columns)`; see `nlargest`.
    /// - Parameters:
    ///   - n: how many rows.
    ///   - columns: the columns to order by.
    /// - Throws: as `nlargest`.
    public func nsmallest(_ n: Int, _ columns: String...) throws -> ChunkedFrame {
        try best(n, columns, largest: false)
    }

    /// `nsmallest` with the columns given as an array.
    /// - Parameters:
    ///   - n: how many rows.
    ///   - columns: the columns to order by.
    /// - Throws: as `nlargest`.
    public func nsmallest(_ n: Int, _ columns: [String]) throws -> ChunkedFrame {
        try best(n, columns, largest: false)
    }

    private func best(_ n: Int, _ by: [String], largest: Bool) throws -> ChunkedFrame {
        guard n >= 0 else { throw FrameError.invalidArgument("nlargest/nsmallest needs n ≥ 0, got \(n)") }
        guard !by.isEmpty else { throw FrameError.invalidArgument("nlargest/nsmallest needs at least one column") }
        try check(by)
        let ascending = [Bool](repeating: !largest, count: by.count)
        // Stable, so equal keys keep row order: keep="first".
        @Sendable func top(_ t: Table) throws -> Table {
            let keys = try by.map { try t.column($0) }
            let complete = (0..<t.rowCount).filter { i in keys.allSatisfy { $0.isValid(i) } }
            let rows = t.take(complete)
            let order = sortPermutation(try by.map { try rows.column($0) }, ascending: ascending)
            return rows.take(Array(order.prefix(n)))
        }
        let schema = self.schema
        let tops = mapPartitions(kind: largest ? "nlargest-chunk" : "nsmallest-chunk", top)
            .partitions.map { Delayed<Table>(ref: $0) }
        let merged = delayed(name: largest ? "nlargest" : "nsmallest", tops) { parts -> Table in
            parts.isEmpty ? Table(empty: schema) : try top(try Table.concatenate(parts))
        }
        return ChunkedFrame(schema: schema, partitions: [merged.ref])
    }
}
