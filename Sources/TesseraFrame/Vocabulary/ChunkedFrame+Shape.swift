import Tessera

/// A frame's shape as dask gives it: the number of columns is known, the number of rows is lazy.
///
/// ```swift
/// let rows: Int = try df.shape.rows.compute()
/// let cols: Int = df.shape.columns
/// ```
public struct FrameShape: Sendable {
    /// The number of rows, computed on demand (a constant when the partitions' lengths are known).
    public let rows: Delayed<Int>
    /// The number of columns.
    public let columns: Int
}

extension ChunkedFrame {
    /// The shape: `columns` now, `rows` lazily (pandas' `df.shape`, dask's `(delayed rows, cols)`).
    /// - Complexity: O(partitions) to build; computing `rows` reads every partition once, unless
    ///   the partitions' lengths are known.
    public var shape: FrameShape {
        FrameShape(rows: lazyRowCount(), columns: schema.count)
    }

    /// The number of rows as a lazy value: each partition's count, then their sum.
    func lazyRowCount() -> Delayed<Int> {
        if let known = knownRowCounts { return Delayed(known.reduce(0, +)) }
        let counts = partitionLayer(kind: "len") { $0.rowCount }.refs.map { Delayed<Int>(ref: $0) }
        return delayed(name: "len-sum", counts) { $0.reduce(0, +) }
    }
}
