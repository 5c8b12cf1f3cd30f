import Tessera

/// A frame sorted by one column (its index) with known partition boundaries, as
/// `dask.dataframe.set_index` makes: lookups read only the partition that can hold a key, and
/// joins on the index of two frames with the same boundaries pair partitions one to one.
///
/// ```swift
/// let byOrigin = try df.setIndex("Origin")
/// let jfk = try byOrigin.loc(.string("JFK")).compute()     // reads one partition
/// ```
public struct IndexedFrame: Computable, Sendable {
    /// The rows, sorted by `index` (stable, missing last), in `divisions.count + 1` partitions.
    public let frame: ChunkedFrame
    /// The index column.
    public let index: String
    /// The partition boundaries: partition `p` holds the keys `k` with
    /// `divisions[p-1] ≤ k < divisions[p]`; missing keys are in the last partition.
    public let divisions: [Value]
    let splitter: RangeSplitter

    /// One task per partition, as the underlying frame's.
    public var outputs: [TaskRef] { frame.outputs }
    /// Concatenates the computed partitions, in index order.
    public func assemble(_ values: ArraySlice<Any>) throws -> Table { try frame.assemble(values) }

    /// The partition that holds `key`.
    public func partition(of key: Value) -> Int {
        var lo = 0, hi = divisions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if compareValues(divisions[mid], key) <= 0 { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The rows whose index equals `key`, reading only the partition that can hold it.
    public func loc(_ key: Value) -> ChunkedFrame {
        let column = index
        return frame.partitions([partition(of: key)]).mapPartitions(kind: "loc") { t in
            let c = try t.column(column)
            return t.take((0..<t.rowCount).filter { compareValues(c[$0], key) == 0 })
        }
    }

    /// Joins with another indexed frame on the index. When both have the same divisions,
    /// partition p joins partition p alone (no shuffle); otherwise a hash-partitioned merge.
    /// - Throws: see `ChunkedFrame.merge`.
    public func merge(_ other: IndexedFrame, how: JoinKind = .inner, suffixes: (String, String) = ("_x", "_y")) throws -> ChunkedFrame {
        guard divisions == other.divisions, frame.partitionCount == other.frame.partitionCount else {
            return try frame.merge(other.frame, leftOn: [index], rightOn: [other.index], how: how, suffixes: suffixes)
        }
        let spec = try JoinSpec(left: frame.schema, right: other.frame.schema, leftOn: [index], rightOn: [other.index], how: how, suffixes: suffixes)
        let l = frame.partitions, r = other.frame.partitions
        let layer = Layer(kind: "merge-aligned", count: l.count) { i in
            TaskSpec(inputs: [l[i], r[i]]) { args in try spec.join(args[0] as! Table, args[1] as! Table) }
        }
        return ChunkedFrame(schema: spec.schema, partitions: layer.refs)
    }
}

extension ChunkedFrame {
    /// The frame sorted by `column` into partitions of consecutive key ranges whose boundaries are
    /// known (`IndexedFrame.divisions`). Computes a sample of every partition now, to choose the
    /// boundaries (as Dask does); the shuffle itself stays lazy.
    /// - Parameters:
    ///   - column: the index column.
    ///   - partitions: output partitions (default: as many as the input).
    ///   - scheduler: where to compute the sample; `Scheduler.default` when nil.
    /// - Throws: `FrameError.unknownColumn`, or `TaskFailure` from computing the sample.
    public func setIndex(_ column: String, partitions: Int? = nil, scheduler: Scheduler? = nil) throws -> IndexedFrame {
        _ = try schema.field(column)
        let buckets = Swift.max(1, partitions ?? partitionCount)
        let samples = try TaskGraph(sampleLayer([column], perPartition: Swift.max(32, 8 * buckets)).refs)
            .compute(scheduler: scheduler).map { $0 as! Table }
        let sample = samples.isEmpty ? Table(empty: Schema([try schema.field(column)])) : try Table.concatenate(samples)
        let splitter = RangeSplitter(sample: sample.columns, ascending: [true], buckets: buckets)
        let ref = Layer(kind: "index-boundaries", values: [splitter])[0]
        let sorted = rangeShuffle(by: [column], ascending: [true], splitterRef: ref, buckets: splitter.boundCount + 1)
        let divisions = splitter.boundCount == 0 ? [] : (0..<splitter.boundCount).map { splitter.bounds[0][$0] }
        return IndexedFrame(frame: sorted, index: column, divisions: divisions, splitter: splitter)
    }
}
