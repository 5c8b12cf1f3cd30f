import Tessera

/// What `mapOverlap` reads beyond the array's edges.
public enum Boundary<Scalar: ArrayScalar>: Sendable {
    /// Nothing: blocks at the edges get a smaller halo on that side.
    case none
    /// A constant value.
    case constant(Scalar)
    /// The mirror image including the edge element (`c b a | a b c`, Dask's `reflect`).
    case reflect
    /// The edge element repeated.
    case nearest
    /// The other end of the axis (wrap-around).
    case periodic
}

extension ChunkedArray {
    /// Applies `body` to every block (Dask's `map_blocks`); `body` gets the block and its block index.
    ///
    /// - Parameters:
    ///   - name: the task kind, for keys and diagnostics.
    ///   - newChunks: the output's chunks when blocks change shape (same block grid); the input's by default.
    ///   - body: the per-block function; it runs on worker threads.
    /// - Returns: the array of `body`'s blocks, lazily.
    /// - Throws: `ArrayError.invalidChunks` when `chunks` has another block grid; at compute, a
    ///   block of the wrong shape fails its task with `ArrayError.invalidArgument`.
    public func mapBlocks<R: ArrayScalar>(name: String = "map-blocks", chunks newChunks: [[Int]]? = nil,
                                          _ body: @escaping @Sendable (NDArray<Scalar>, [Int]) throws -> NDArray<R>) throws -> ChunkedArray<R> {
        try ChunkedArray.blockwise([self], name: name, chunks: newChunks) { try body($0[0], $1) }
    }

    /// Applies `body` to matching blocks of several arrays of one shape (Dask's `blockwise` with
    /// aligned indices). Chunks are unified first, rechunking where they differ.
    /// - Throws: `ArrayError.incompatibleShapes`, `.invalidChunks`; a block of the wrong shape
    ///   fails its task.
    public static func blockwise<R: ArrayScalar>(_ arrays: [ChunkedArray], name: String = "blockwise", chunks newChunks: [[Int]]? = nil,
                                                 _ body: @escaping @Sendable ([NDArray<Scalar>], [Int]) throws -> NDArray<R>) throws -> ChunkedArray<R> {
        guard let first = arrays.first else { throw ArrayError.invalidArgument(operation: name, reason: "need at least one array") }
        guard arrays.allSatisfy({ $0.shape == first.shape }) else {
            throw ArrayError.incompatibleShapes(operation: name, shapes: arrays.map(\.shape))
        }
        var unified = first.chunks
        for a in arrays.dropFirst() { for k in 0..<unified.count { unified[k] = unifyChunks(unified[k], a.chunks[k]) } }
        let parts = try arrays.map { try $0.rechunk(.sizes(unified)).materialized() }
        let inGrid = BlockGrid(unified)
        let outChunks = newChunks ?? unified
        let outGrid = BlockGrid(outChunks)
        guard outGrid.counts == inGrid.counts else {
            throw ArrayError.invalidChunks(shape: outChunks.map { $0.reduce(0, +) }, chunks: "\(outChunks)",
                                           reason: "\(name) keeps the block grid \(inGrid.counts)")
        }
        let layer = Layer(kind: name, count: outGrid.blockCount, grid: outGrid.counts) { i in
            let b = outGrid.index(i)
            let expected = outGrid.shape(b)
            return TaskSpec(inputs: parts.map { $0.layer[i] }) { values in
                let r = try body(values.map { $0 as! NDArray<Scalar> }, b)
                guard r.shape == expected else {
                    throw ArrayError.invalidArgument(operation: name, reason: "block \(b) returned shape \(fmt(r.shape)), expected \(fmt(expected))")
                }
                return r
            }
        }
        return ChunkedArray<R>(shape: outChunks.map { $0.reduce(0, +) }, grid: outGrid, node: ArrayNode(layer: layer))
    }

    /// Applies `body` to every block extended by a halo of `depth` elements per axis taken from
    /// its neighbours (Dask's `map_overlap`), for stencils and filters.
    ///
    /// - Parameters:
    ///   - depth: halo width per axis (one value for all axes allowed).
    ///   - boundary: what lies beyond the array's edges.
    ///   - trim: when true `body` returns the extended block and the halo is cut off; when false
    ///     it returns a block of the original block's shape.
    ///   - name: the task kind, for keys and diagnostics.
    ///   - body: gets the extended block and its block index; it runs on worker threads.
    /// - Returns: the array of `body`'s blocks, lazily.
    /// - Throws: `ArrayError.invalidArgument` for a negative depth or one per axis mismatch; a
    ///   block of the wrong shape fails its task.
    public func mapOverlap(depth: [Int], boundary: Boundary<Scalar> = .reflect, trim: Bool = true, name: String = "map-overlap",
                           _ body: @escaping @Sendable (NDArray<Scalar>, [Int]) throws -> NDArray<Scalar>) throws -> ChunkedArray {
        let depth = depth.count == 1 ? [Int](repeating: depth[0], count: ndim) : depth
        guard depth.count == ndim, depth.allSatisfy({ $0 >= 0 }) else {
            throw ArrayError.invalidArgument(operation: name, reason: "depth \(depth) must be non-negative, one per axis of \(fmt(shape))")
        }
        let src = materialized()
        let grid = self.grid, shape = self.shape, nd = ndim
        let fill: Scalar
        if case .constant(let c) = boundary { fill = c } else { fill = .zero }
        let layer = Layer(kind: name, count: grid.blockCount, grid: grid.counts) { i in
            let b = grid.index(i)
            let origin = grid.origin(b), bshape = grid.shape(b)
            // Source position (or -1 for the fill value) of each extended position, per axis.
            var positions: [[Int]] = []
            var front: [Int] = []
            for k in 0..<nd {
                let n = shape[k]
                var lo = origin[k] - depth[k], hi = origin[k] + bshape[k] + depth[k]
                if case .none = boundary { lo = Swift.max(lo, 0); hi = Swift.min(hi, n) }
                if n == 0 { lo = 0; hi = 0 }
                front.append(origin[k] - lo)
                positions.append((lo..<hi).map { g in
                    if g >= 0 && g < n { return g }
                    switch boundary {
                    case .none: return g
                    case .constant: return -1
                    case .nearest: return Swift.min(Swift.max(g, 0), n - 1)
                    case .reflect:
                        var r = g
                        while r < 0 || r >= n { r = r < 0 ? -r - 1 : 2 * n - r - 1 }
                        return r
                    case .periodic: return ((g % n) + n) % n
                    }
                })
            }
            let ext = positions.map(\.count)
            let (refs, slotOf, located) = src.locate(positions)
            return TaskSpec(inputs: refs) { [front] values in
                let blocks = values.map { $0 as! NDArray<Scalar> }
                let extended = gatherBlock(blocks: blocks, slotOf: slotOf, located: located, grid: grid, shape: ext, fill: fill)
                let r = try body(extended, b)
                if !trim {
                    guard r.shape == bshape else {
                        throw ArrayError.invalidArgument(operation: name, reason: "block \(b) returned shape \(fmt(r.shape)), expected \(fmt(bshape))")
                    }
                    return r
                }
                guard r.shape == ext else {
                    throw ArrayError.invalidArgument(operation: name, reason: "block \(b) returned shape \(fmt(r.shape)), expected the extended \(fmt(ext))")
                }
                return NDArray<Scalar>(shape: bshape) { out in
                    guard !out.isEmpty else { return }
                    copyRegion(from: r, origin: front.map { -$0 }, into: out.baseAddress!, shape: bshape, strides: rowMajorStrides(bshape),
                               origin: [Int](repeating: 0, count: nd))
                }
            }
        }
        return ChunkedArray(shape: shape, grid: grid, node: ArrayNode(layer: layer))
    }

    /// For per-axis source positions (-1 = fill), the source block tasks needed, a map from
    /// flat block number to input slot, and each position's (block, offset in block).
    func locate(_ positions: [[Int]]) -> ([TaskRef], [Int: Int], [[(block: Int, local: Int)]]) {
        let located: [[(block: Int, local: Int)]] = (0..<ndim).map { k in
            let offs = grid.offsets[k]
            return positions[k].map { p in
                guard p >= 0 else { return (-1, 0) }
                var b = 0
                while offs[b + 1] <= p { b += 1 }
                return (b, p - offs[b])
            }
        }
        var ids: [[Int]] = located.map { l in
            var s: [Int] = []
            for e in l where e.block >= 0 && !s.contains(e.block) { s.append(e.block) }
            return s
        }
        if ids.contains(where: \.isEmpty) { ids = [] }
        var blocks: [[Int]] = ids.isEmpty ? [] : [[]]
        for list in ids { blocks = blocks.flatMap { p in list.map { p + [$0] } } }
        if ndim == 0 { blocks = [[]] }
        var slotOf: [Int: Int] = [:]
        for (s, b) in blocks.enumerated() { slotOf[grid.flat(b)] = s }
        return (blocks.map { blockRef($0) }, slotOf, located)
    }
}

/// Builds a block whose element at each multi-index comes from the located source positions.
func gatherBlock<T: ArrayScalar>(blocks: [NDArray<T>], slotOf: [Int: Int], located: [[(block: Int, local: Int)]],
                                 grid: BlockGrid, shape: [Int], fill: T) -> NDArray<T> {
    let nd = shape.count
    let n = shape.reduce(1, *)
    return NDArray<T>(shape: shape) { out in
        guard n > 0 else { return }
        var idx = [Int](repeating: 0, count: nd)
        for f in 0..<n {
            var rest = f
            for k in stride(from: nd - 1, through: 0, by: -1) { idx[k] = rest % shape[k]; rest /= shape[k] }
            var flatBlock = 0, local = 0, isFill = false
            for k in 0..<nd {
                let e = located[k][idx[k]]
                if e.block < 0 { isFill = true; break }
                flatBlock = flatBlock * grid.counts[k] + e.block
                local = local * grid.chunks[k][e.block] + e.local
            }
            out[f] = isFill ? fill : blocks[slotOf[flatBlock]!].pointer[local]
        }
    }
}
