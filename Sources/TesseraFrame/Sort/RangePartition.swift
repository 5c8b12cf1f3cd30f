import Tessera

// Range partitioning: the shuffle behind sortValues and setIndex. Boundaries come from a sample of
// every partition's keys; each partition splits its rows into buckets by binary search among the
// boundaries; bucket b of the result gathers its pieces from every partition, in partition order,
// so a stable sort within the bucket keeps the original order of equal keys (a stable sort overall).

/// Key rows that cut the key space into consecutive ranges: bucket `b` holds keys `k` with
/// `bounds[b-1] ≤ k < bounds[b]` in the given directions (missing keys last, so in the last bucket).
struct RangeSplitter: @unchecked Sendable {
    /// The boundary key rows, sorted, as columns.
    let bounds: [Column]
    let ascending: [Bool]

    var boundCount: Int { bounds.first?.count ?? 0 }

    /// Boundaries for `buckets` ranges of about equal size, from sample key columns.
    init(sample: [Column], ascending: [Bool], buckets: Int) {
        self.ascending = ascending
        let n = sample.first?.count ?? 0
        guard n > 0, buckets > 1 else { bounds = sample.map { $0.take([]) }; return }
        let order = sortPermutation(sample, ascending: ascending)
        let keys = zip(sample, ascending).map { SortKey($0, ascending: $1) }
        var picked: [Int] = []
        for b in 1..<buckets {
            let r = order[Swift.min(n - 1, b * n / buckets)]
            // Skip a boundary equal to the previous one: it would only make an empty bucket.
            if let last = picked.last, keys.allSatisfy({ $0.compare(last, r) == 0 }) { continue }
            picked.append(r)
        }
        bounds = sample.map { $0.take(picked) }
    }

    init(bounds: [Column], ascending: [Bool]) {
        self.bounds = bounds
        self.ascending = ascending
    }

    /// The bucket of every row of `keys`. - Complexity: O(rows × log bounds × keys).
    func buckets(_ keys: [Column]) -> [Int] {
        let nb = boundCount
        let rows = keys.first?.count ?? 0
        if nb == 0 { return [Int](repeating: 0, count: rows) }
        if let ranges = dictionaryKeyBuckets(keys) { return ranges }
        if let ranges = packedBuckets(keys) { return ranges }
        let (keys, bounds) = comparable(keys)
        return buckets(keys, bounds: bounds)
    }

    /// The bucket of every row of `keys` among the boundary rows `bounds` (columns of the same
    /// types as the keys'). - Complexity: O(rows × log bounds × keys).
    func buckets(_ keys: [Column], bounds: [Column]) -> [Int] {
        let nb = boundCount
        let rows = keys.first?.count ?? 0
        // One integer key with nothing missing (text keys placed among the boundaries end up so):
        // a plain binary search, without the typed comparison's dispatch per step.
        if keys.count == 1, keys[0].validity == nil, bounds[0].validity == nil,
           case .int64(let x) = keys[0].values, case .int64(let b) = bounds[0].values {
            let up = ascending[0]
            return x.map { v in
                var lo = 0, hi = nb
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if up ? b[mid] <= v : b[mid] >= v { lo = mid + 1 } else { hi = mid }
                }
                return lo
            }
        }
        // Boundaries and rows in one column each, so one typed comparison serves both.
        let combined = zip(bounds, keys).map { Column.concatenate([$0, $1]) }
        let sk = zip(combined, ascending).map { SortKey($0, ascending: $1) }
        func cmp(_ i: Int, _ j: Int) -> Int {
            for k in sk {
                let c = k.compare(i, j)
                if c != 0 { return c }
            }
            return 0
        }
        return (0..<rows).map { j in
            var lo = 0, hi = nb
            while lo < hi {
                let mid = (lo + hi) / 2
                if cmp(mid, nb + j) <= 0 { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
    }

    /// The rows of `table` split into `boundCount + 1` tables by key range, rows in order.
    func split(_ table: Table, by: [String]) throws -> [Table] {
        let b = buckets(try by.map { try table.column($0) })
        return table.pieces(Shuffle.rowsByOutput(count: b.count, outputs: boundCount + 1) { b[$0] })
    }
}

extension ChunkedFrame {
    /// The layer of sample key tables, one per partition: up to `perPartition` evenly spaced rows.
    func sampleLayer(_ by: [String], perPartition: Int) -> Layer {
        partitionLayer(kind: "sample-keys") { t in
            let step = Swift.max(1, t.rowCount / Swift.max(1, perPartition))
            return try t.select(by).take(Array(stride(from: 0, to: t.rowCount, by: step)))
        }
    }

    /// The frame range-partitioned by `by` into `splitter.boundCount + 1` partitions, each sorted
    /// stably. `splitter` is the value of task `splitterRef`.
    func rangeShuffle(by: [String], ascending: [Bool], splitterRef: TaskRef, buckets: Int) -> ChunkedFrame {
        let shuffle = Shuffle(kind: "range", inputs: partitions, shared: [splitterRef], outputs: buckets) { _, args in
            let s = args[1] as! RangeSplitter
            var pieces = try s.split(args[0] as! Table, by: by)
            while pieces.count < buckets { pieces.append((args[0] as! Table).take([])) }
            return pieces
        }
        let input = node
        let sorted = shuffle.combined(kind: "sort-partition") { _, pieces in
            let t = try Table.concatenate(pieces.map { $0 as! Table })
            if t.columnCount == 0 { return Table(empty: input.schema) }
            return t.take(sortPermutation(try by.map { try t.column($0) }, ascending: ascending))
        }
        return ChunkedFrame(typedLike: self, partitions: sorted.refs)
    }

    /// The rows sorted by `by` (lexicographically; each column ascending or not), with a parallel
    /// sample sort: boundaries from a sample of every partition, rows shuffled into key ranges,
    /// each range sorted on its own. Stable (equal keys keep their order); missing values last.
    ///
    /// ```swift
    /// let latest = try df.sortValues(by: ["DepDelay"], ascending: [false]).head(10)
    /// ```
    /// - Parameters:
    ///   - by: key columns.
    ///   - ascending: one flag per key column, or one for all (default ascending).
    ///   - partitions: output partitions (default: as many as the input).
    /// - Throws: `FrameError.unknownColumn`, `.invalidArgument` for a flag count that doesn't fit.
    /// - Complexity: O(n log n) work in parallel; every row moves once.
    public func sortValues(by: [String], ascending: [Bool] = [true], partitions: Int? = nil) throws -> ChunkedFrame {
        guard !by.isEmpty else { throw FrameError.invalidArgument("sortValues needs at least one column") }
        try check(by)
        let flags = ascending.count == 1 ? Array(repeating: ascending[0], count: by.count) : ascending
        guard flags.count == by.count else {
            throw FrameError.invalidArgument("\(ascending.count) ascending flags for \(by.count) sort columns")
        }
        return try adding(.sort(by: by, ascending: flags, partitions: partitions))
    }

    /// The layers of a sample sort of this frame's partitions (the sort node's lowering).
    func sortLayers(by: [String], ascending flags: [Bool], partitions: Int?) -> [TaskRef] {
        let buckets = Swift.max(1, partitions ?? partitionCount)
        if partitionCount == 0 { return self.partitions }
        let samples = sampleLayer(by, perPartition: Swift.max(32, 8 * buckets)).refs
        let splitter = Layer(kind: "sort-boundaries", count: 1) { _ in
            TaskSpec(inputs: samples) { args in
                let t = try Table.concatenate(args.map { $0 as! Table })
                return RangeSplitter(sample: t.columns, ascending: flags, buckets: buckets)
            }
        }
        return rangeShuffle(by: by, ascending: flags, splitterRef: splitter[0], buckets: buckets).partitions
    }

    /// Sorts by one column; see `sortValues(by:ascending:partitions:)`.
    public func sortValues(by column: String, ascending: Bool = true) throws -> ChunkedFrame {
        try sortValues(by: [column], ascending: [ascending])
    }
}
