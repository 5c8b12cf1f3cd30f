import Tessera

// Lazy per-partition operations: each adds a plan node (one task per partition once lowered) and
// returns a new frame. Column names are checked when the operation is built, so a typo fails at
// once, listing the columns there are. select, filter, assign and rename are plan nodes the
// optimizer moves and narrows; the others are closures it treats as opaque.

extension ChunkedFrame {
    /// The column expression for `name`, for `filter` and `assign`: `df["DepDelay"] > 15`.
    public subscript(name: String) -> Expr { .column(name) }

    /// Checks that every name in `names` is a column (names only: no type is resolved).
    /// - Throws: `FrameError.unknownColumn` listing the columns there are.
    package func check(_ names: [String]) throws {
        let known = columns
        if names.allSatisfy(known.contains) { return }
        let set = Set(known)
        for n in names where !set.contains(n) { throw FrameError.unknownColumn(n, available: known) }
    }

    /// The named columns, in the given order. - Throws: `FrameError.unknownColumn`.
    public func select(_ columns: [String]) throws -> ChunkedFrame {
        try check(columns)
        guard Set(columns).count == columns.count else {
            let input = node
            return ChunkedFrame(node: FrameNode(.map(MapParameters(kind: "select", reads: nil, preservesRowCounts: true) { _, t in
                try t.select(columns)
            }), [node], names: columns) { _ in Schema(columns.map { input.schema[$0]! }) })
        }
        return try adding(.select(columns))
    }

    /// The frame without the named columns. - Throws: `FrameError.unknownColumn`.
    public func drop(_ columns: [String]) throws -> ChunkedFrame {
        try check(columns)
        return try select(self.columns.filter { !columns.contains($0) })
    }

    /// The frame with columns renamed (`old: new`). - Throws: `FrameError.unknownColumn`,
    /// `.invalidArgument` when two columns would share a name.
    public func rename(_ mapping: [String: String]) throws -> ChunkedFrame {
        try check(Array(mapping.keys).sorted())
        let names = columns.map { mapping[$0] ?? $0 }
        guard Set(names).count == names.count else { throw FrameError.invalidArgument("renaming gives duplicate column names: \(names)") }
        return try adding(.rename(mapping))
    }

    /// The rows where `predicate` is true (missing counts as false).
    ///
    /// ```swift
    /// let late = try df.filter(df["DepDelay"] > 15 && df["Origin"] == "JFK")
    /// ```
    /// - Throws: `FrameError.unknownColumn` now, and `.typeMismatch` for a text column used as a
    ///   number (the schema knows); other type errors surface when computing.
    public func filter(_ predicate: Expr) throws -> ChunkedFrame {
        try check(predicate.columns)
        try typeCheck(predicate)
        return try adding(.filter(predicate))
    }

    /// The frame with a column computed from an expression (replaced when it exists, else appended).
    ///
    /// ```swift
    /// let gained = try df.assign("Gain", df["DepDelay"] - df["ArrDelay"])
    /// ```
    public func assign(_ name: String, _ expression: Expr) throws -> ChunkedFrame {
        try check(expression.columns)
        try typeCheck(expression)
        return try adding(.assign(name, expression))
    }

    /// The frame with columns converted (`astype`): see `Column.cast(to:)`.
    /// - Throws: `FrameError.unknownColumn` now; `.invalidConversion` when computing.
    public func astype(_ types: [String: DataType]) throws -> ChunkedFrame {
        try check(Array(types.keys).sorted())
        return mapPartitions(kind: "astype", names: columns, types: { s in
            Schema(s.fields.map { f in Field(f.name, types[f.name] ?? f.type, nullable: f.nullable) })
        }, reads: nil, preservesRowCounts: true) { _, t in
            var out = t
            for (name, type) in types { try out.setColumn(name, try t.column(name).cast(to: type, name: name)) }
            return out
        }
    }

    /// A frame of bool columns: true where a value is missing.
    public func isna() -> ChunkedFrame {
        missingMask(kind: "isna", missing: true)
    }

    /// A frame of bool columns: true where a value is present.
    public func notna() -> ChunkedFrame {
        missingMask(kind: "notna", missing: false)
    }

    private func missingMask(kind: String, missing: Bool) -> ChunkedFrame {
        let fields = Schema(columns.map { Field($0, .bool, nullable: false) })
        return mapPartitions(kind: kind, schema: fields, preservesRowCounts: true) { t in
            Table(unchecked: t.names, t.columns.map { c in
                Column(values: .bool((0..<c.count).map { c.isValid($0) != missing }))
            }, rowCount: t.rowCount)
        }
    }

    /// The frame with missing values replaced by `value` in every column it fits (numbers in
    /// numeric columns, anything in text columns, text anywhere: a column with missing values
    /// becomes text, as pandas' object column); other columns are left alone.
    public func fillna(_ value: Value) -> ChunkedFrame {
        mapPartitions(kind: "fillna", preservesRowCounts: true) { t in
            Table(unchecked: t.names, zip(t.names, t.columns).map { n, c in (try? c.fillna(value, name: n)) ?? c }, rowCount: t.rowCount)
        }
    }

    /// The frame with missing values replaced per column.
    /// - Throws: `FrameError.unknownColumn` now; `.invalidConversion` when a value doesn't fit.
    public func fillna(_ values: [String: Value]) throws -> ChunkedFrame {
        try check(Array(values.keys).sorted())
        return mapPartitions(kind: "fillna", preservesRowCounts: true) { t in
            var out = t
            for (name, v) in values { try out.setColumn(name, try t.column(name).fillna(v, name: name)) }
            return out
        }
    }

    /// The rows with no missing value (in `subset`, or in any column).
    /// - Parameters:
    ///   - subset: the columns to look at; every column when nil.
    ///   - how: `.any` drops a row with any missing value, `.all` only a row missing everywhere.
    public func dropna(subset: [String]? = nil, how: DropHow = .any) throws -> ChunkedFrame {
        let cols = subset ?? columns
        try check(cols)
        return mapPartitions(kind: "dropna") { t in
            let validities = try cols.map { try t.column($0).validity }
            var keep = Bitmap(count: t.rowCount, value: false)
            for i in 0..<t.rowCount {
                let present = validities.map { $0?[i] ?? true }
                keep[i] = how == .any ? present.allSatisfy { $0 } : present.contains(true)
            }
            return t.filter(keep)
        }
    }

    /// How `dropna` decides: `any` drops a row with any missing value in the columns looked at,
    /// `all` only a row missing in all of them.
    public enum DropHow: Sendable { case any, all }

    /// The first `n` rows, computing only the partitions needed, one after another; for a
    /// negative `n`, every row but the last `-n` (the row count is computed first).
    /// - Complexity: reads partitions from the first until `n` rows are collected.
    public func head(_ n: Int = 5, scheduler: Scheduler? = nil) throws -> Table {
        // As pandas: a negative n means every row but the last |n|.
        if n < 0 { return try head(Swift.max(0, try rowCount(scheduler: scheduler) + n), scheduler: scheduler) }
        var parts: [Table] = []
        var have = 0
        let limited = try headPlan(n)
        for ref in limited.partitions where have < n {
            let t = try TaskGraph([ref]).compute(scheduler: scheduler)[0] as! Table
            parts.append(t.slice(0..<Swift.min(t.rowCount, n - have)))
            have += parts.last!.rowCount
        }
        return parts.isEmpty ? Table(empty: schema) : try Table.concatenate(parts)
    }

    /// The frame `head(n)` computes partition by partition: a limit node on this one, which the
    /// optimizer moves down so each scanned partition stops after `n` rows.
    /// - Throws: `FrameError.invalidArgument` for a negative `n`.
    package func headPlan(_ n: Int) throws -> ChunkedFrame {
        guard n >= 0 else { throw FrameError.invalidArgument("head needs a row count of at least 0, got \(n)") }
        return try adding(.limit(n))
    }

    /// The last `n` rows, computing only the partitions needed, from the last backwards; for a
    /// negative `n`, every row but the first `-n` (the row count is computed first).
    public func tail(_ n: Int = 5, scheduler: Scheduler? = nil) throws -> Table {
        // As pandas: a negative n means every row but the first |n|.
        if n < 0 { return try tail(Swift.max(0, try rowCount(scheduler: scheduler) + n), scheduler: scheduler) }
        var parts: [Table] = []
        var have = 0
        for ref in partitions.reversed() where have < n {
            let t = try TaskGraph([ref]).compute(scheduler: scheduler)[0] as! Table
            let k = Swift.min(t.rowCount, n - have)
            parts.insert(t.slice((t.rowCount - k)..<t.rowCount), at: 0)
            have += k
        }
        return parts.isEmpty ? Table(empty: schema) : try Table.concatenate(parts)
    }

    /// The number of non-missing values per column, in column order (pandas' `df.count()`).
    public func count(scheduler: Scheduler? = nil) throws -> [(column: String, count: Int)] {
        let layer = partitionLayer(kind: "count") { t in t.columns.map { $0.count - $0.nullCount } }
        let per = try TaskGraph(layer.refs).compute(scheduler: scheduler).map { $0 as! [Int] }
        return columns.enumerated().map { j, n in (n, per.reduce(0) { $0 + $1[j] }) }
    }

    /// The exact schema: every partition's values are read (partitions computed and dropped one by
    /// one) and their types unified by promotion; a partition where a column is entirely missing
    /// doesn't decide its type. `nullable` is true where some value is missing.
    public func inferSchema(scheduler: Scheduler? = nil) throws -> Schema {
        let layer = partitionLayer(kind: "infer-schema") { t in
            t.columns.map { c in ColumnSummary(type: c.type.rawValue, hasValue: c.nullCount < c.count, hasNull: c.nullCount > 0) }
        }
        let per = try TaskGraph(layer.refs).compute(scheduler: scheduler).map { $0 as! [ColumnSummary] }
        func type(_ s: ColumnSummary) -> DataType { DataType(rawValue: s.type) ?? .string }
        return Schema(schema.fields.enumerated().map { j, f in
            var unified: DataType? = nil
            var nullable = false
            for p in per where j < p.count {
                if p[j].hasNull { nullable = true }
                if p[j].hasValue { unified = unified.map { $0.unified(with: type(p[j])) } ?? type(p[j]) }
            }
            return Field(f.name, unified ?? per.first.map { type($0[j]) } ?? f.type, nullable: nullable)
        })
    }
}

/// One partition's verdict on one column for `inferSchema`: a plain `Codable` value, so that it
/// crosses processes when the partitions are read on several MPI ranks.
struct ColumnSummary: Codable, Sendable {
    /// The column's type in this partition (`DataType`'s raw value).
    let type: String
    /// Whether some value is present.
    let hasValue: Bool
    /// Whether some value is missing.
    let hasNull: Bool
}
