import Tessera

// `df.groupby(keys).agg(...)`: apply-concat-apply in a tree.
//
//   partition 0 ─ chunk ─┐
//   partition 1 ─ chunk ─┼─ combine (≤ 8 inputs) ─┐
//   …                    …                         ├─ combine ─ … ─ finalize → Table sorted by key
//   partition p ─ chunk ─┘                         ┘
//
// `chunk` turns a partition into partial states per group (count, sum, mean and M2, min, max,
// first, last, distinct set, …), `combine` merges up to eight partial results in row order, and
// `finalize` computes the answers and sorts by key. With `splitOut: n`, the partial results are
// range-partitioned by key into n buckets (boundaries from a sample of every partition's keys),
// each bucket reduced by its own tree, so no task holds every group and the n output partitions
// come out in key order: their concatenation is sorted like the one-partition answer.

/// A lazy grouping of a frame's rows by key columns; `agg` says what to compute per group.
///
/// ```swift
/// let means = try readCSV("flights/").groupby("Origin").agg(["DepDelay": .mean]).compute()
/// // Origin  DepDelay_mean   (one row per airport, sorted by Origin)
/// ```
public struct GroupBy: Sendable {
    /// The frame being grouped.
    public let frame: ChunkedFrame
    /// The key columns.
    public let keys: [String]
    /// Whether rows with a missing key are left out (pandas' default) rather than forming a group.
    public let dropna: Bool

    /// The frame's rows grouped by `keys`. - Throws: `FrameError.unknownColumn` for a key that
    /// isn't a column, `.invalidArgument` when there is no key.
    public init(_ frame: ChunkedFrame, keys: [String], dropna: Bool = true) throws {
        guard !keys.isEmpty else { throw FrameError.invalidArgument("groupby needs at least one key column") }
        for k in keys { _ = try frame.schema.field(k) }
        guard Set(keys).count == keys.count else { throw FrameError.invalidArgument("duplicate key columns in \(keys)") }
        self.frame = frame
        self.keys = keys
        self.dropna = dropna
    }

    /// Computes `aggregations` per group, lazily.
    ///
    /// - Parameters:
    ///   - aggregations: what to compute; output columns are named as given (`COL_FUNC` by default).
    ///   - splitOut: the number of output partitions; the groups are range-partitioned by key,
    ///     so with many groups no single task holds them all. The partitions are in key order.
    /// - Returns: a frame with the key columns then one column per aggregation, rows sorted by key
    ///   (missing keys last when `dropna` is false); `compute()` gives the `Table`.
    /// - Throws: `FrameError.unknownColumn`, `.invalidArgument` for duplicate output names or
    ///   `splitOut < 1`. A function that doesn't apply to a column's type (mean of text) throws
    ///   `FrameError.typeMismatch` when computing, wrapped in a `TaskFailure`, as bad data does.
    /// - Complexity: O(partitions) tasks; compute is O(rows) plus O(groups log groups) to sort.
    public func agg(_ aggregations: [NamedAggregation], splitOut: Int = 1) throws -> ChunkedFrame {
        guard !aggregations.isEmpty else { throw FrameError.invalidArgument("agg needs at least one aggregation") }
        return try build(aggregations, splitOut: splitOut)
    }

    /// `agg` without the check that there is an aggregation: zero gives the distinct keys.
    func build(_ aggregations: [NamedAggregation], splitOut: Int) throws -> ChunkedFrame {
        guard splitOut >= 1 else { throw FrameError.invalidArgument("splitOut must be at least 1, got \(splitOut)") }
        try frame.checkAggregationTypes(aggregations)
        var fields = try keys.map { try frame.schema.field($0) }
        if dropna { for i in fields.indices { fields[i].nullable = false } }
        for a in aggregations {
            let input = try frame.schema.field(a.column)
            // A lazy frame's types are provisional (a CSV frame's come from a sample), so a
            // function that doesn't fit the type given here fails when computing, from the
            // partition's actual column, rather than now.
            let t = (try? a.function.outputType(for: input.type, column: a.column)) ?? .float64
            fields.append(Field(a.name, t, nullable: true))
        }
        let names = fields.map(\.name)
        guard Set(names).count == names.count else {
            throw FrameError.invalidArgument("duplicate output columns in \(names); name them with NamedAggregation(_:_:name:)")
        }
        let plan = GroupPlan(keys: keys, aggregations: aggregations, dropna: dropna)
        return ChunkedFrame(node: FrameNode(.groupby(plan, splitOut: splitOut), [frame.node], schema: Schema(fields)))
    }

    /// Computes the aggregations given as `column: function` pairs (a column may repeat), lazily:
    /// `agg(["DepDelay": .mean, "DepDelay": .max])` gives `DepDelay_mean`, `DepDelay_max`.
    /// - Throws: see `agg(_:splitOut:)`.
    public func agg(_ aggregations: KeyValuePairs<String, Aggregation>, splitOut: Int = 1) throws -> ChunkedFrame {
        try agg(aggregations.map { NamedAggregation($0.key, $0.value) }, splitOut: splitOut)
    }

    /// Applies one function to every non-key column.
    public func agg(_ function: Aggregation, splitOut: Int = 1) throws -> ChunkedFrame {
        try agg(frame.columns.filter { !keys.contains($0) }.map { NamedAggregation($0, function) }, splitOut: splitOut)
    }

    /// The number of rows per group, as a column named `size`.
    public func size(splitOut: Int = 1) throws -> ChunkedFrame {
        try agg([NamedAggregation(keys[0], .size, name: "size")], splitOut: splitOut)
    }

    /// The layers of the reduction: chunk → (split) → trees of combines → finalize.
    static func graph(_ partitions: [TaskRef], _ plan: GroupPlan, splitOut: Int, schema: Schema) -> [TaskRef] {
        let fanIn = 8
        if partitions.isEmpty {
            let empty = Layer(kind: "groupby-empty", count: 1) { _ in
                TaskSpec { _ in Table(empty: schema) }
            }
            return [empty[0]]
        }
        let chunk = Layer(kind: "groupby-chunk", count: partitions.count) { i in
            TaskSpec(inputs: [partitions[i]]) { args in try PartialGroups.chunk(args[0] as! Table, plan) }
        }
        func tree(_ refs: [TaskRef]) -> TaskRef {
            var level = refs
            while level.count > 1 {
                let current = level
                let combine = Layer(kind: "groupby-combine", count: (current.count + fanIn - 1) / fanIn) { i in
                    let inputs = Array(current[(i * fanIn)..<Swift.min(current.count, (i + 1) * fanIn)])
                    return TaskSpec(inputs: inputs) { args in try PartialGroups.merge(args.map { $0 as! PartialGroups }, plan) }
                }
                level = combine.refs
            }
            return level[0]
        }
        var roots: [TaskRef]
        if splitOut == 1 {
            roots = [tree(chunk.refs)]
        } else {
            let chunks = chunk.refs
            let boundaries = Layer(kind: "groupby-boundaries", count: 1) { _ in
                TaskSpec(inputs: chunks) { args in
                    try RangeSplitter(groupKeys: args.map { ($0 as! PartialGroups).keys }, buckets: splitOut)
                }
            }
            let split = Layer(kind: "groupby-split", count: chunks.count) { i in
                TaskSpec(inputs: [chunks[i], boundaries[0]]) { args in
                    (args[1] as! RangeSplitter).split(args[0] as! PartialGroups, buckets: splitOut)
                }
            }
            let pick = Layer(kind: "groupby-bucket", count: chunks.count * splitOut, grid: [chunks.count, splitOut]) { t in
                let (i, b) = (t / splitOut, t % splitOut)
                return TaskSpec(inputs: [split[i]]) { args in (args[0] as! [PartialGroups])[b] }
            }
            roots = (0..<splitOut).map { b in tree((0..<chunks.count).map { pick[$0 * splitOut + b] }) }
        }
        let finalRoots = roots
        let finalize = Layer(kind: "groupby-finalize", count: finalRoots.count) { i in
            TaskSpec(inputs: [finalRoots[i]]) { args in try (args[0] as! PartialGroups).finalize(plan) }
        }
        return finalize.refs
    }
}

extension ChunkedFrame {
    /// Groups rows by the values of `keys` (pandas' `df.groupby(keys, dropna=...)`).
    /// - Throws: `FrameError.unknownColumn` listing the columns there are.
    public func groupby(_ keys: String..., dropna: Bool = true) throws -> GroupBy {
        try GroupBy(self, keys: keys, dropna: dropna)
    }

    /// Groups rows by the values of `keys`.
    public func groupby(_ keys: [String], dropna: Bool = true) throws -> GroupBy {
        try GroupBy(self, keys: keys, dropna: dropna)
    }
}

extension RangeSplitter {
    /// Boundaries for `buckets` key ranges of about equal size, from evenly spaced rows of every
    /// partition's group keys.
    init(groupKeys tables: [Table], buckets: Int) throws {
        let perTable = Swift.max(16, 4 * buckets)
        let samples = tables.map { t in
            t.take(Array(stride(from: 0, to: t.rowCount, by: Swift.max(1, t.rowCount / perTable))))
        }
        let sample = try Table.concatenate(samples)
        self.init(sample: sample.columns, ascending: Array(repeating: true, count: sample.columnCount), buckets: buckets)
    }

    /// The groups of `p` split by key range into `boundCount + 1` parts (at least `buckets`).
    func split(_ p: PartialGroups, buckets: Int) -> [PartialGroups] {
        var rows = [[Int]](repeating: [], count: Swift.max(buckets, boundCount + 1))
        for (r, b) in self.buckets(p.keys.columns).enumerated() { rows[b].append(r) }
        return rows.map { r in PartialGroups(keys: p.keys.take(r), states: p.states.map { $0.take(r) }) }
    }
}

/// Lexicographic comparison of key rows with `compareValues`.
func compareRows(_ a: [Value], _ b: [Value]) -> Int {
    for (x, y) in zip(a, b) {
        let c = compareValues(x, y)
        if c != 0 { return c }
    }
    return 0
}
