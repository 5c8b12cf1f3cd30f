import Tessera

// topk and argtopk are one selection (Dask's `topk`/`argtopk` share `chunk.topk` the same way):
// every block picks, for each vector ("lane") along the axis, its best |k| entries as
// (value, position) pairs; blocks that lie along the same lanes merge their picks in a tree of
// `fanIn` inputs; the last merge writes either the values (topk) or the positions (argtopk).
// Without an axis, the whole array is one lane and positions are flat row-major indices.
//
// Lanes of a block with shape s, axis a: outer = s[..<a], length = s[a], inner = s[(a+1)...];
// element (o, j, i) sits at o·length·inner + j·inner + i and lane o·inner + i. The output block
// keeps that layout with |k| in place of `length`.

/// Per-lane picks of one block or of a merged group of blocks.
struct TopKPicks<Scalar: ArrayScalar>: @unchecked Sendable {
    /// One list per lane, best first: (value, position along the axis or in the flat array).
    var lanes: [[(value: Scalar, position: Int64)]]
}

extension ChunkedArray {
    /// The order of the selection: `descending` puts the largest (NaN as largest, as NumPy's sort)
    /// first; equal values come in order of position.
    static func topkBefore(_ descending: Bool) -> @Sendable ((value: Scalar, position: Int64), (value: Scalar, position: Int64)) -> Bool {
        { a, b in
            let before = descending ? lessNaNLast(b.value, a.value) : lessNaNLast(a.value, b.value)
            let after = descending ? lessNaNLast(a.value, b.value) : lessNaNLast(b.value, a.value)
            return before || (!after && a.position < b.position)
        }
    }

    /// The graph shared by `topk` and `argtopk`: one output block per group of blocks along the
    /// lanes, its value made by `write` from the merged picks.
    func topkSelection<R: ArrayScalar>(_ k: Int, axis: Int?, fanIn: Int, operation: String,
                                       write: @escaping @Sendable ((value: Scalar, position: Int64)) -> R) throws -> ChunkedArray<R> {
        let m = Swift.abs(k)
        let ax: Int? = try axis.map { a in
            guard a >= -ndim && a < ndim else { throw ArrayError.invalidAxis(axis: a, ndim: ndim) }
            return (a + ndim) % ndim
        }
        let length = ax.map { self.shape[$0] } ?? count
        guard m > 0, m <= length, fanIn >= 2 else {
            throw ArrayError.invalidArgument(operation: operation,
                                             reason: "k must be 1...\(length) in magnitude along \(ax.map { "axis \($0)" } ?? "the flattened array") of shape \(fmt(shape)) (got \(k)), fanIn ≥ 2 (got \(fanIn))")
        }
        let before = Self.topkBefore(k > 0)
        @Sendable func best(_ v: [(value: Scalar, position: Int64)]) -> [(value: Scalar, position: Int64)] {
            Array(v.sorted(by: before).prefix(m))
        }
        let src = materialized()
        let grid = src.grid, nd = ndim
        let strides = rowMajorStrides(self.shape)
        let parts = Layer(kind: "\(operation)-chunk", count: src.blockCount, grid: grid.counts) { i in
            let b = grid.index(i), origin = grid.origin(b), bshape = grid.shape(b)
            return TaskSpec(inputs: [src.layer[i]]) { v in
                (v[0] as! NDArray<Scalar>).withUnsafeBufferPointer { buf in
                    guard let a = ax else {
                        // One lane; positions are flat indices of the whole array.
                        var entries: [(value: Scalar, position: Int64)] = []
                        entries.reserveCapacity(buf.count)
                        var idx = [Int](repeating: 0, count: nd)
                        for e in 0..<buf.count {
                            var flat = 0
                            for d in 0..<nd { flat += (origin[d] + idx[d]) * strides[d] }
                            entries.append((buf[e], Int64(flat)))
                            var d = nd - 1
                            while d >= 0 { idx[d] += 1; if idx[d] < bshape[d] { break }; idx[d] = 0; d -= 1 }
                        }
                        return TopKPicks(lanes: [best(entries)])
                    }
                    let outer = bshape[..<a].reduce(1, *), len = bshape[a], inner = bshape[(a + 1)...].reduce(1, *)
                    var lanes: [[(value: Scalar, position: Int64)]] = []
                    lanes.reserveCapacity(outer * inner)
                    for o in 0..<outer {
                        for c in 0..<inner {
                            lanes.append(best((0..<len).map { j in (buf[o * len * inner + j * inner + c], Int64(origin[a] + j)) }))
                        }
                    }
                    return TopKPicks(lanes: lanes)
                }
            }
        }
        // Groups: blocks with the same coordinates off the axis (all blocks without one).
        var outCounts = grid.counts
        if let a = ax { outCounts[a] = 1 } else { outCounts = [1] }
        var groups = [[TaskRef]](repeating: [], count: outCounts.reduce(1, *))
        for i in 0..<src.blockCount {
            var b = grid.index(i)
            if let a = ax { b[a] = 0 } else { b = [0] }
            groups[zip(b, outCounts).reduce(0) { $0 * $1.1 + $1.0 }].append(parts[i])
        }
        let roots = groups.map { refs in
            treeReduce(refs, name: "\(operation)-combine", fanIn: fanIn) { values in
                let picks = values.map { $0 as! TopKPicks<Scalar> }
                return TopKPicks(lanes: picks[0].lanes.indices.map { l in best(picks.flatMap { $0.lanes[l] }) })
            }
        }
        var outChunks = ax == nil ? [[m]] : chunks
        if let a = ax { outChunks[a] = [m] }
        let outShape = outChunks.map { $0.reduce(0, +) }
        let outGrid = BlockGrid(outChunks)
        let layer = Layer(kind: operation, count: roots.count, grid: outCounts) { g in
            let bshape = outGrid.shape(outGrid.index(g))
            return TaskSpec(inputs: [roots[g]]) { v in
                let lanes = (v[0] as! TopKPicks<Scalar>).lanes
                guard let a = ax else { return NDArray<R>(lanes[0].map(write)) }
                let outer = bshape[..<a].reduce(1, *), inner = bshape[(a + 1)...].reduce(1, *)
                return NDArray<R>(shape: bshape) { out in
                    for o in 0..<outer {
                        for c in 0..<inner {
                            for (r, e) in lanes[o * inner + c].enumerated() { out[o * m * inner + r * inner + c] = write(e) }
                        }
                    }
                }
            }
        }
        return try ChunkedArray<R>(layer: layer, shape: outShape, chunks: outChunks)
    }

    /// The `k` largest elements, largest first, or for negative `k` the `|k|` smallest, smallest
    /// first (Dask's `topk`): along `axis`, or over all elements when `axis` is nil. NaN counts as
    /// largest, as in NumPy's sort.
    ///
    /// ```swift
    /// let worst = try delays.topk(5).compute()              // five largest of all
    /// let perRow = try x.topk(-3, axis: 1).compute()        // three smallest of each row
    /// ```
    /// - Parameters:
    ///   - k: how many; the sign chooses largest (positive) or smallest (negative).
    ///   - axis: the axis to select along (negative counts from the end); nil flattens.
    ///   - fanIn: how many partial results one merge task takes.
    /// - Returns: a lazy array with `|k|` in place of `axis` (keeping the other axes' chunks), or
    ///   a 1-d array of `|k|` without an axis.
    /// - Throws: `ArrayError.invalidAxis`; `ArrayError.invalidArgument` when `|k|` is 0 or
    ///   exceeds the length selected along.
    /// - Complexity: O(n log n / blocks) per block in parallel, then O(|k| × blocks) per lane in merges.
    public func topk(_ k: Int, axis: Int? = nil, fanIn: Int = defaultFanIn) throws -> ChunkedArray {
        try topkSelection(k, axis: axis, fanIn: fanIn, operation: "topk") { $0.value }
    }

    /// The positions of the `k` largest elements, largest first, or for negative `k` of the `|k|`
    /// smallest, smallest first (Dask's `argtopk`): indices along `axis`, or flat row-major indices
    /// when `axis` is nil. Equal elements come in order of position; NaN counts as largest.
    ///
    /// ```swift
    /// let worst = try delays.argtopk(5).compute()          // positions of the five largest
    /// ```
    /// - Parameters:
    ///   - k: how many positions; the sign chooses largest (positive) or smallest (negative).
    ///   - axis: the axis to select along (negative counts from the end); nil flattens.
    ///   - fanIn: how many partial results one merge task takes.
    /// - Returns: a lazy array of positions shaped as ``topk(_:axis:fanIn:)``'s values.
    /// - Throws: as ``topk(_:axis:fanIn:)``.
    /// - Complexity: as ``topk(_:axis:fanIn:)``.
    public func argtopk(_ k: Int, axis: Int? = nil, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Int64> {
        try topkSelection(k, axis: axis, fanIn: fanIn, operation: "argtopk") { $0.position }
    }
}
