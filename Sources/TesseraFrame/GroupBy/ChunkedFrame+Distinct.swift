import Tessera

// Distinct values and rows through the group-by machinery: valueCounts is a group-by `size`,
// nunique counts the groups, dropDuplicates keeps each group's first row.
// They are lazy (they return a frame or a Delayed) and take `splitOut` for many distinct values.

extension ChunkedFrame {
    /// How often each value of `column` occurs, most frequent first (ties in order of first
    /// appearance, as pandas), as a frame
    /// of two columns: `column` and `count`. Missing values are left out unless `dropna` is false.
    ///
    /// ```swift
    /// let counts = try df.valueCounts("Origin").compute()
    /// ```
    /// - Throws: `FrameError.unknownColumn`.
    /// - Complexity: O(rows) in parallel, then O(distinct log distinct) in one task.
    public func valueCounts(_ column: String, dropna: Bool = true, splitOut: Int = 1) throws -> ChunkedFrame {
        try check([column])
        // Each row's position in the frame, (partition << 40) | row, orders rows as the frame
        // does without knowing the partitions' lengths; the least per value is where it first
        // appears, which breaks ties between equal counts, as pandas does.
        let position = column == "position" ? "position_" : "position"
        // Plan nodes all the way: the scan below converts only `column`.
        let frame = mapPartitions(kind: "value-counts-position", names: [column, position], types: { s in
            Schema([s[column]!, Field(position, .int64, nullable: false)])
        }, reads: [column], preservesRowCounts: true) { p, t in
            let at = Column(values: .int64((0..<t.rowCount).map { Int64(p) << 40 | Int64($0) }))
            return Table(unchecked: [column, position], [try t.column(column), at], rowCount: t.rowCount)
        }
        let grouped = try frame.groupby([column], dropna: dropna).build(
            [NamedAggregation(column, .size, name: "count"), NamedAggregation(position, .min, name: position)], splitOut: splitOut)
        let sorted = FrameNode.Operation.gather(kind: "value-counts-sort") { tables in
            let t = try Table.concatenate(tables)
            let order = sortPermutation([t.columns[1], t.columns[2]], ascending: [false, true])
            return try t.take(order).select([column, "count"])
        }
        return ChunkedFrame(node: FrameNode(sorted, [grouped.node], names: [column, "count"]) { s in
            Schema([column, "count"].map { s[0][$0]! })
        })
    }

    /// The number of distinct values of `column` (missing values not counted unless `dropna` is false).
    /// - Throws: `FrameError.unknownColumn`.
    public func nunique(_ column: String, dropna: Bool = true, splitOut: Int = 1) throws -> Delayed<Int> {
        let grouped = try groupby([column], dropna: dropna).build([], splitOut: splitOut)
        // Planned with the other items of a joint compute: reductions of one frame share its scan.
        let parts = grouped.partitions.indices.map { Delayed<Table>(output: $0, of: grouped) }
        return delayed(name: "nunique-total", parts) { tables in tables.reduce(0) { $0 + $1.rowCount } }
    }

    /// The frame without repeated rows: one row per distinct combination of `subset` (every
    /// column by default), the first in row order, in the order the rows first appear — pandas'
    /// `drop_duplicates()`; missing values count as equal, as in pandas. With `splitOut: n` the
    /// rows come in n partitions, still in order of first appearance.
    ///
    /// ```swift
    /// let routes = try df.dropDuplicates(subset: ["Origin", "Dest"]).compute()
    /// ```
    /// - Throws: `FrameError.unknownColumn`.
    /// - Complexity: O(rows) in parallel (a group-by keeping each group's first row and its
    ///   position), then a sort of the distinct rows by position.
    public func dropDuplicates(subset: [String]? = nil, splitOut: Int = 1) throws -> ChunkedFrame {
        try check(subset ?? [])
        return try adding(.dropDuplicates(subset: subset, splitOut: Swift.max(1, splitOut)))
    }

    /// How a drop-duplicates node lowers: each row's position in the frame, (partition << 40) |
    /// row, goes along as a column; a group-by on the subset keeps every group's first row and
    /// least position; a sort by position restores the order of first appearance.
    func firstOccurrences(subset: [String]?, splitOut: Int) throws -> ChunkedFrame {
        let keys = subset ?? columns
        let others = columns.filter { !keys.contains($0) }
        var position = "position"
        while columns.contains(position) { position += "_" }
        let name = position
        let positioned = mapPartitions(kind: "drop-duplicates-position", names: columns + [name], types: { s in
            Schema(s.fields + [Field(name, .int64, nullable: false)])
        }, reads: nil, preservesRowCounts: true) { p, t in
            var out = t
            try out.setColumn(name, Column(values: .int64((0..<t.rowCount).map { Int64(p) << 40 | Int64($0) })))
            return out
        }
        let grouped = try positioned.groupby(keys, dropna: false).build(
            others.map { NamedAggregation($0, Aggregation(.firstRow), name: $0) } + [NamedAggregation(name, .min, name: name)],
            splitOut: splitOut)
        return try grouped.adding(.sort(by: [name], ascending: [true], partitions: splitOut)).select(columns)
    }
}
