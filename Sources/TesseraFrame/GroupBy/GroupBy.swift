import Tessera

// `df.groupby(keys).agg(...)`: apply-concat-apply in a tree.
//
//   partition 0 ─ chunk ─┐
//   partition 1 ─ chunk ─┼─ combine (≤ 8 inputs) ─┐
//   …                    …                         ├─ … ─ finalize (≤ 8 inputs) → Table sorted by key
//   partition p ─ chunk ─┘                         ┘
//
// `chunk` turns a partition into partial states per group (count, sum, mean and M2, min, max,
// first, last, distinct set, …), `combine` merges up to eight partial results in row order, and
// `finalize` merges the last ones, numbering the groups in key order as it does
// (`PartialGroups.finalize(_:_:)`: one radix sort of packed key ranks rather than a hashed merge
// followed by a sort), and computes the answers.
//
// Many groups (split-out). A single combine over ten million groups is one task holding them
// all, on one core. So the partial results are range-partitioned by key into buckets, each
// bucket reduced by its own tree, in parallel:
//
//   first chunks ─ boundaries (counts their groups; samples their keys) ─┐
//   chunk i ─ split into B key ranges ─ piece (i, b) ─ tree of bucket b ─ finalize b ─┐
//                                                            output j = buckets of range j ┘
//
// The split into pieces is the engine's `Shuffle` (chunks in, buckets out).
//
// The boundaries task decides at run time how many ranges to use: the `splitOut` the caller asked
// for, or all B buckets when the chunks are estimated to hold more than `autoSplitGroups` groups
// together (the first chunks' partial groups scaled to all chunks, before any combine). It reads
// the first `decidingChunks` chunks only, so it streams: every chunk is cut into its pieces as
// soon as it exists and its partial states are freed, and each bucket's tree combines its pieces
// as they come. (Waiting for every chunk held every chunk's partial states at once: with about a
// group per row, as in db-benchmark's q10, as much memory as the data.) Buckets are consecutive
// key ranges and each is sorted, so output partition j (the concatenation of its buckets) is in
// key order, and the n output partitions together are sorted exactly like the one-partition
// answer: the result doesn't depend on the number of buckets, nor on how well the first chunks
// predicted the keys (that only decides how even the buckets are).
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
    /// Above this many partial groups (summed over the partitions' partial results), the combine
    /// is split into key ranges reduced in parallel (see the file's header).
    var autoSplitGroups = GroupBy.defaultAutoSplitGroups
    /// The fewest rows of a partition whose keys are sampled for looking distinct (see
    /// `PartialGroups.keysLookDistinct`); tests lower it.
    var distinctSampleRows = GroupPlan(keys: [], aggregations: [], dropna: true).distinctSampleRows

    /// A million partial groups: below it one combine task is faster than splitting.
    static let defaultAutoSplitGroups = 1 << 20

    /// How many chunks (the first ones) the split decision reads: enough to estimate the group
    /// count and to sample the keys, few enough that the other chunks' partial states wait for it
    /// only briefly (they can't be split before it exists).
    static let decidingChunks = 2

    /// The concatenation of buckets into an output of this many rows or more first returns freed
    /// memory to the system (`AllocatorTuning.releaseFreedMemory()`): the buckets' merges before
    /// it freed about as much as the answer holds.
    static let releasingGroups = 1 << 20

    /// A bucket's merge of this many groups or more first returns freed memory to the system.
    /// Higher than `releasingGroups`: trimming returns pages the next merges fault in again
    /// (system time on every run), and it pays only for buckets as large as several
    /// partitions (1e8 rows; at 1e7 rows a bucket holds about 1.2M groups and is left alone,
    /// the concatenation's trim keeping the peak).
    static let releasingBucketGroups = 1 << 22

    /// The frame's rows grouped by `keys`. - Throws: `FrameError.unknownColumn` for a key that
    /// isn't a column, `.invalidArgument` when there is no key.
    public init(_ frame: ChunkedFrame, keys: [String], dropna: Bool = true) throws {
        guard !keys.isEmpty else { throw FrameError.invalidArgument("groupby needs at least one key column") }
        try frame.check(keys)
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
    ///     Whatever the value, when the partitions' partial results hold more than a million
    ///     groups together the combine is split into key ranges reduced in parallel
    ///     (automatic split-out); the answer is the same table either way.
    /// - Returns: a frame with the key columns then one column per aggregation, rows sorted by key
    ///   (missing keys last when `dropna` is false); `compute()` gives the `Table`.
    /// - Throws: `FrameError.unknownColumn`, `.invalidArgument` for duplicate output names,
    ///   `splitOut < 1` or `largest(n)`/`smallest(n)` with `n < 1`. A function that doesn't apply to a column's type (mean of text) throws
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
        for a in aggregations {
            if let n = a.function.rowsPerGroup, n < 1 {
                throw FrameError.invalidArgument("\(a.function.name)(n) needs n ≥ 1, got \(n) for '\(a.column)'")
            }
        }
        let names = keys + aggregations.map(\.name)
        guard Set(names).count == names.count else {
            throw FrameError.invalidArgument("duplicate output columns in \(names); name them with NamedAggregation(_:_:name:)")
        }
        var plan = GroupPlan(keys: keys, aggregations: aggregations, dropna: dropna)
        plan.autoSplitGroups = autoSplitGroups
        plan.distinctSampleRows = distinctSampleRows
        let (keys, dropna) = (self.keys, self.dropna)
        return ChunkedFrame(node: FrameNode(.groupby(plan, splitOut: splitOut), [frame.node], names: names) { s in
            var fields = keys.map { s[0][$0]! }
            if dropna { for i in fields.indices { fields[i].nullable = false } }
            for a in aggregations {
                // A lazy frame's types are provisional (a CSV frame's come from a sample), so a
                // function that doesn't fit the type given here fails when computing, from the
                // partition's actual column, rather than now.
                let t = (try? a.function.outputType(for: s[0][a.column]!.type, column: a.column)) ?? .float64
                fields.append(Field(a.name, t, nullable: true))
            }
            return Schema(fields)
        })
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

    /// The layers of the reduction: chunk → (boundaries, split) → trees of combines → finalize
    /// (→ concatenation of consecutive buckets into the `splitOut` outputs).
    /// `schema` gives the result's columns for a frame without partitions (asked for only then).
    static func graph(_ partitions: [TaskRef], _ plan: GroupPlan, splitOut: Int, schema: @escaping @Sendable () -> Schema,
                      autoSplitGroups: Int = GroupBy.defaultAutoSplitGroups) -> [TaskRef] {
        if partitions.isEmpty {
            let empty = Layer(kind: "groupby-empty", count: 1) { _ in
                TaskSpec { _ in Table(empty: schema()) }
            }
            return [empty[0]]
        }
        var chunkPlan = plan
        chunkPlan.partialsAreMerged = partitions.count > 1
        let chunk = Layer(kind: "groupby-chunk", count: partitions.count) { [chunkPlan] i in
            TaskSpec(inputs: [partitions[i]]) { args in try PartialGroups.chunk(args[0] as! Table, chunkPlan) }
        }
        let chunks = chunk.refs
        // Buckets: what the caller asked for, or one per partition (up to 16) when many groups
        // may call for more; a single partition has nothing to combine in parallel.
        let buckets = partitions.count == 1 ? splitOut : Swift.max(splitOut, Swift.min(partitions.count, 16))
        // Per bucket, the partial results its last merge takes (at most a combine's fan-in):
        // that merge is the finalize task's, which numbers the groups in key order as it merges.
        var bucketTops: [[TaskRef]]
        if buckets == 1 {
            bucketTops = [reductionLevels(chunks, kind: "groupby-combine") { try PartialGroups.merge($0.map { $0 as! PartialGroups }, plan) }]
        } else {
            // The decision reads the first chunks only: a chunk is split (and its partial states
            // freed) as soon as it and the decision exist, so no task waits for every chunk.
            let deciding = Array(chunks.prefix(GroupBy.decidingChunks))
            let total = chunks.count
            let boundaries = Layer(kind: "groupby-boundaries", count: 1) { _ in
                TaskSpec(inputs: deciding) { args in
                    try BucketSplitter(args.map { $0 as! PartialGroups }, of: total, requested: splitOut, buckets: buckets,
                                       autoSplitGroups: autoSplitGroups)
                }
            }
            let shuffle = Shuffle(kind: "groupby", inputs: chunks, shared: [boundaries[0]], outputs: buckets) { _, args in
                (args[1] as! BucketSplitter).split(args[0] as! PartialGroups)
            }
            bucketTops = (0..<buckets).map { b in
                reductionLevels(shuffle.pieces(for: b), kind: "groupby-combine") {
                    let parts = $0.map { $0 as! PartialGroups }
                    GroupBy.releaseBeforeLargeMerge(parts)
                    return try PartialGroups.merge(parts, plan)
                }
            }
        }
        let tops = bucketTops
        // Buckets concatenated into fewer outputs hand their tables over (`TableHandoff`), so
        // that the concatenation frees each bucket's columns as it copies them.
        let concatenated = buckets != splitOut
        let finalize = Layer(kind: "groupby-finalize", count: tops.count) { i in
            TaskSpec(inputs: tops[i]) { args in
                let parts = args.map { $0 as! PartialGroups }
                if buckets > 1 { GroupBy.releaseBeforeLargeMerge(parts) }
                let table = try PartialGroups.finalize(parts, plan, plainWideText: concatenated)
                return concatenated ? TableHandoff(table.decodingWideDictionaries()) : table
            }
        }
        if !concatenated { return finalize.refs }
        let outputs = Layer(kind: "groupby-concat", count: splitOut) { j in
            let inputs = Array(finalize.refs[(j * buckets / splitOut)..<((j + 1) * buckets / splitOut)])
            return TaskSpec(inputs: inputs) { args in
                var tables = Table.plainTextWhereAnyIs(try args.map { try ($0 as! TableHandoff).take() })
                if tables.reduce(0, { $0 + $1.rowCount }) >= GroupBy.releasingGroups { AllocatorTuning.releaseFreedMemory() }
                if tables.allSatisfy({ $0.rowCount == 0 }) { return tables[0] }
                tables.removeAll { $0.rowCount == 0 }
                return try Table.concatenate(consuming: &tables)
            }
        }
        return outputs.refs
    }

    /// Levels of `combine` tasks with fan-in 8 over `refs` until at most `fanIn` remain (the
    /// inputs of the last combine, which the caller runs itself); `refs` when there are that few.
    static func reductionLevels(_ refs: [TaskRef], kind: String, fanIn: Int = 8,
                                _ combine: @escaping @Sendable ([Any]) throws -> Any) -> [TaskRef] {
        var level = refs
        while level.count > fanIn {
            let current = level
            let layer = Layer(kind: kind, count: (current.count + fanIn - 1) / fanIn) { i in
                TaskSpec(inputs: Array(current[(i * fanIn)..<Swift.min(current.count, (i + 1) * fanIn)]), run: combine)
            }
            level = layer.refs
        }
        return level
    }

    /// A bucket's merge of `releasingBucketGroups` groups or more follows merges that freed as many
    /// groups as they made (with a group per row, nothing shrinks): hand those pages back rather
    /// than hold them beside the larger result.
    static func releaseBeforeLargeMerge(_ parts: [PartialGroups]) {
        if parts.reduce(0, { $0 + $1.groupCount }) >= GroupBy.releasingBucketGroups { AllocatorTuning.releaseFreedMemory() }
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

/// How partial groups are cut into key-range buckets: `ranges` consecutive key ranges (decided
/// when the partial results are known), range r going to bucket `r × buckets / ranges`.
///
/// Text keys stay in each partition's own dictionary: a piece carries only the strings of its
/// groups (`Table.pieces`), so each bucket's combine merges the dictionaries of its share of the
/// keys, in parallel with the other buckets, and nothing ever merges every partition's
/// dictionary in one task.
struct BucketSplitter: Sendable {
    let splitter: RangeSplitter?
    let ranges: Int
    let buckets: Int

    /// A splitter from its parts (how one arrives from another process).
    init(splitter: RangeSplitter?, ranges: Int, buckets: Int) {
        self.splitter = splitter
        self.ranges = ranges
        self.buckets = buckets
    }

    /// Ranges decided from `parts`, the partial results of the first of `total` chunks:
    /// `requested`, or `buckets` when the chunks are estimated to hold more than
    /// `autoSplitGroups` groups together (the parts' groups scaled to `total` chunks);
    /// boundaries from evenly spaced keys of every part.
    ///
    /// The other chunks' keys are not seen: when the first chunks' keys are not like the rest's
    /// (a frame sorted by the keys, empty first partitions) the buckets are uneven, and one of
    /// them may get most groups; the answer is the same, only less parallel.
    init(_ parts: [PartialGroups], of total: Int, requested: Int, buckets: Int, autoSplitGroups: Int) throws {
        let groups = parts.reduce(0) { $0 + $1.groupCount }
        let estimate = parts.isEmpty ? 0 : Double(groups) * Double(Swift.max(total, parts.count)) / Double(parts.count)
        let ranges = estimate > Double(autoSplitGroups) ? buckets : requested
        self.buckets = buckets
        guard ranges > 1, !parts.isEmpty else { splitter = nil; self.ranges = 1; return }
        // About 64 keys per range in all, whatever the number of parts: even buckets (each range
        // within a few per cent of its share) for a sample of a few thousand rows.
        let perTable = Swift.max(16, 64 * ranges / parts.count)
        let samples = parts.map { p in
            p.keys.pieces([Array(stride(from: 0, to: p.groupCount, by: Swift.max(1, p.groupCount / perTable)))])[0]
        }
        let sample = try Table.concatenate(samples)
        let s = RangeSplitter(sample: sample.columns, ascending: Array(repeating: true, count: sample.columnCount), buckets: ranges)
        splitter = s
        // Equal boundaries are skipped, so there may be fewer ranges than asked.
        self.ranges = s.boundCount + 1
    }

    /// The groups of part `p` in `buckets` pieces by key range, groups in order within each.
    func split(_ p: PartialGroups) -> [PartialGroups] {
        guard let splitter else {
            return (0..<buckets).map { $0 == 0 ? p : PartialGroups(keys: p.keys.take([]), states: p.states.map { $0.take([]) }) }
        }
        let range = splitter.buckets(p.keys.columns)
        let rows = Shuffle.rowsByOutput(count: range.count, outputs: buckets) { range[$0] * buckets / ranges }
        return zip(p.keys.pieces(rows), rows).map { keys, r in PartialGroups(keys: keys, states: p.states.map { $0.take(r) }) }
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
