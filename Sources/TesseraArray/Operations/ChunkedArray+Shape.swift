import Tessera

extension ChunkedArray {
    /// Reads the array through an index transform; fused when the expression can follow it,
    /// otherwise through block tasks of the materialised array (whose source leaves always can
    /// follow a permutation or a new/removed length-1 axis).
    func transformed(_ t: IndexTransform, chunks newChunks: [[Int]]) throws -> ChunkedArray {
        if let e = expression.transformed(t) {
            return ChunkedArray(expression: try e.realigned(to: newChunks), shape: t.newShape, chunks: newChunks)
        }
        let e = SourceLeaf(materialized()).transformed(t)!
        return ChunkedArray(expression: try e.realigned(to: newChunks), shape: t.newShape, chunks: newChunks)
    }

    /// The axes reordered: axis `j` of the result is axis `axes[j]` of this array
    /// (NumPy's `transpose`). Reversed axes when `axes` is nil.
    ///
    /// Lazy and fused: blocks are read transposed by the consumer's task, no copy task is made.
    /// - Throws: `ArrayError.invalidArgument` when `axes` is not a permutation.
    public func transpose(_ axes: [Int]? = nil) throws -> ChunkedArray {
        let perm = try (axes ?? Array((0..<ndim).reversed())).map { a -> Int in
            let k = a < 0 ? a + ndim : a
            guard k >= 0 && k < ndim else { throw ArrayError.invalidAxis(axis: a, ndim: ndim) }
            return k
        }
        guard perm.count == ndim, Set(perm).count == ndim else {
            throw ArrayError.invalidArgument(operation: "transpose", reason: "axes \(axes ?? []) are not a permutation of \(ndim) axes")
        }
        if perm == Array(0..<ndim) { return self }
        return try transformed(.permute(perm, shape: shape), chunks: perm.map { chunks[$0] })
    }

    /// The transpose (all axes reversed), NumPy's `.T`.
    public var T: ChunkedArray { try! transpose() }

    /// Swaps two axes. - Throws: `ArrayError.invalidAxis`.
    public func swapaxes(_ a: Int, _ b: Int) throws -> ChunkedArray {
        let ka = a < 0 ? a + ndim : a, kb = b < 0 ? b + ndim : b
        guard ka >= 0 && ka < ndim else { throw ArrayError.invalidAxis(axis: a, ndim: ndim) }
        guard kb >= 0 && kb < ndim else { throw ArrayError.invalidAxis(axis: b, ndim: ndim) }
        var p = Array(0..<ndim)
        p.swapAt(ka, kb)
        return try transpose(p)
    }

    /// Inserts a length-1 axis at position `axis` of the result.
    /// - Throws: `ArrayError.invalidAxis` outside `-(ndim+1)...ndim`.
    public func expandDims(axis: Int) throws -> ChunkedArray {
        let k = axis < 0 ? axis + ndim + 1 : axis
        guard k >= 0 && k <= ndim else { throw ArrayError.invalidAxis(axis: axis, ndim: ndim + 1) }
        var newShape = shape
        newShape.insert(1, at: k)
        var newChunks = chunks
        newChunks.insert([1], at: k)
        let t = IndexTransform(newShape: newShape, offset: [Int](repeating: 0, count: ndim),
                               factor: [Int](repeating: 1, count: ndim), axis: (0..<ndim).map { $0 < k ? $0 : $0 + 1 })
        return try transformed(t, chunks: newChunks)
    }

    /// Removes length-1 axes (all of them when `axes` is nil).
    /// - Throws: `ArrayError.invalidArgument` when a named axis is not of length 1.
    public func squeeze(axes: [Int]? = nil) throws -> ChunkedArray {
        let drop = try axes.map { try normalizedAxes($0) } ?? (0..<ndim).filter { shape[$0] == 1 }
        for k in drop where shape[k] != 1 {
            throw ArrayError.invalidArgument(operation: "squeeze", reason: "cannot select an axis to squeeze out which has size \(shape[k]) (axis \(k) of \(fmt(shape)))")
        }
        if drop.isEmpty { return self }
        var axisMap = [Int](repeating: -1, count: ndim)
        var j = 0
        for k in 0..<ndim where !drop.contains(k) { axisMap[k] = j; j += 1 }
        let keep = (0..<ndim).filter { !drop.contains($0) }
        let t = IndexTransform(newShape: keep.map { shape[$0] }, offset: [Int](repeating: 0, count: ndim),
                               factor: (0..<ndim).map { drop.contains($0) ? 0 : 1 }, axis: axisMap)
        return try transformed(t, chunks: keep.map { chunks[$0] })
    }

    /// The same elements in row-major order under another shape; one `-1` entry is inferred.
    ///
    /// Rechunks to row blocks (each a contiguous range of the flat order) when the array has
    /// several blocks, copies the flat ranges, then cuts the result with `chunks`.
    /// - Throws: `ArrayError.shapeMismatch` when the counts differ, `.invalidArgument` for
    ///   several `-1`s.
    public func reshape(_ newShape: [Int], chunks newChunkSpec: Chunks = .auto) throws -> ChunkedArray {
        var target = newShape
        if let u = target.firstIndex(of: -1) {
            guard target.filter({ $0 == -1 }).count == 1 else {
                throw ArrayError.invalidArgument(operation: "reshape", reason: "can only specify one unknown dimension in \(newShape)")
            }
            // Checked: the known lengths come from the caller and their product may overflow.
            guard let known = checkedProduct(target.filter { $0 != -1 }), known > 0, count % known == 0 else {
                throw ArrayError.shapeMismatch(shape: newShape, count: count)
            }
            target[u] = count / known
        }
        guard target.allSatisfy({ $0 >= 0 }), checkedProduct(target) == count else {
            throw ArrayError.shapeMismatch(shape: newShape, count: count)
        }
        if target == shape { return self }
        let finalChunks = try newChunkSpec.resolve(shape: target, itemSize: Scalar.dtype.itemSize)
        if blockCount == 1 {
            let src = materialized()
            let layer = Layer(kind: "reshape", count: 1, grid: target.map { _ in 1 }) { [target] _ in
                TaskSpec(inputs: [src.blockRef([Int](repeating: 0, count: src.ndim))]) { v in try (v[0] as! NDArray<Scalar>).reshaped(target) }
            }
            return try ChunkedArray(layer: layer, shape: target, chunks: target.map { [$0] }).rechunk(.sizes(finalChunks))
        }
        // Row blocks of the old array: chunked along axis 0 only.
        let rows = try rechunk(.sizes((0..<ndim).map { $0 == 0 ? chunks[0] : [shape[$0]] })).materialized()
        let rowLen = shape.dropFirst().reduce(1, *)
        let oldStarts = rows.grid.offsets[0].map { $0 * rowLen }
        // New row blocks along the new axis 0, about as many elements as the final blocks.
        let newRowLen = target.dropFirst().reduce(1, *)
        let targetRows = Swift.max(1, (finalChunks.first?.first ?? 1))
        let newRowChunks = target.isEmpty ? [] : regularChunks(target[0], targetRows)
        let newRowGrid = BlockGrid([newRowChunks] + target.dropFirst().map { [$0] })
        let layer = Layer(kind: "reshape", count: newRowGrid.blockCount, grid: newRowGrid.counts) { i in
            let lo = newRowGrid.offsets[0][i] * newRowLen
            let hi = newRowGrid.offsets[0][i + 1] * newRowLen
            let bshape = newRowGrid.shape(newRowGrid.index(i))
            let ins = (0..<rows.blockCount).filter { oldStarts[$0] < hi && oldStarts[$0 + 1] > lo }
            let refs = ins.map { rows.layer[$0] }
            return TaskSpec(inputs: refs) { values in
                NDArray<Scalar>(shape: bshape) { out in
                    for (v, b) in zip(values, ins) {
                        let block = v as! NDArray<Scalar>
                        let a = Swift.max(lo, oldStarts[b]), e = Swift.min(hi, oldStarts[b + 1])
                        if e > a { (out.baseAddress! + (a - lo)).update(from: block.pointer + (a - oldStarts[b]), count: e - a) }
                    }
                }
            }
        }
        return try ChunkedArray(shape: target, grid: newRowGrid, node: ArrayNode(layer: layer)).rechunk(.sizes(finalChunks))
    }
}

extension ChunkedArray {
    /// Joins arrays along an existing axis; other axes must match (chunks are unified).
    ///
    /// No data moves at graph level: the result's blocks are the operands' blocks.
    /// - Throws: `ArrayError.incompatibleShapes`, `.invalidAxis`, `.invalidArgument` for no arrays.
    public static func concatenate(_ arrays: [ChunkedArray], axis: Int = 0) throws -> ChunkedArray {
        guard let first = arrays.first else { throw ArrayError.invalidArgument(operation: "concatenate", reason: "need at least one array") }
        let nd = first.ndim
        let k = axis < 0 ? axis + nd : axis
        guard k >= 0 && k < nd else { throw ArrayError.invalidAxis(axis: axis, ndim: nd) }
        for a in arrays where a.ndim != nd || (0..<nd).contains(where: { $0 != k && a.shape[$0] != first.shape[$0] }) {
            throw ArrayError.incompatibleShapes(operation: "concatenate", shapes: arrays.map(\.shape))
        }
        let nonEmpty = arrays.filter { $0.shape[k] > 0 }
        if nonEmpty.count <= 1 { return nonEmpty.first ?? first }
        var other = first.chunks
        for a in nonEmpty { for j in 0..<nd where j != k { other[j] = unifyChunks(other[j], a.chunks[j]) } }
        let parts = try nonEmpty.map { a -> ChunkedArray in
            var c = other
            c[k] = a.chunks[k]
            return try a.rechunk(.sizes(c)).materialized()
        }
        var newChunks = other
        newChunks[k] = parts.flatMap { $0.chunks[k] }
        var shape = first.shape
        shape[k] = parts.map { $0.shape[k] }.reduce(0, +)
        let grid = BlockGrid(newChunks)
        var partOfBlock: [(part: Int, offset: Int)] = []
        for (p, a) in parts.enumerated() { for j in 0..<a.numBlocks[k] { partOfBlock.append((p, j)) } }
        let layer = Layer(kind: "concatenate", count: grid.blockCount, grid: grid.counts) { [partOfBlock] i in
            var b = grid.index(i)
            let (p, j) = partOfBlock[b[k]]
            b[k] = j
            return TaskSpec(inputs: [parts[p].blockRef(b)]) { $0[0] }
        }
        return ChunkedArray(shape: shape, grid: grid, node: ArrayNode(layer: layer))
    }

    /// Joins arrays of one shape along a new axis. - Throws: `ArrayError.incompatibleShapes`.
    public static func stack(_ arrays: [ChunkedArray], axis: Int = 0) throws -> ChunkedArray {
        guard let first = arrays.first else { throw ArrayError.invalidArgument(operation: "stack", reason: "need at least one array") }
        guard arrays.allSatisfy({ $0.shape == first.shape }) else {
            throw ArrayError.incompatibleShapes(operation: "stack", shapes: arrays.map(\.shape))
        }
        return try concatenate(arrays.map { try $0.expandDims(axis: axis) }, axis: axis)
    }
}
