import Tessera

// Matrix products: `matmul` (NumPy's `@`, spelled `•` or `matmul(a, b)`), `dot`, `tensordot`.
// All of them reduce to `contraction` (Contraction.swift): one gemm per block pair, partial
// products summed in place or in a tree. Integer arrays multiply exactly in wrapping Int64
// arithmetic: the result is the true product modulo 2⁶⁴ (NumPy wraps too), whatever the chunking.

infix operator •: MultiplicationPrecedence

extension ChunkedArray where Scalar: NumericScalar {
    /// The matrix product `a @ b` (NumPy's `matmul`).
    ///
    /// ```swift
    /// let c = try a • b            // or a.matmul(b), matmul(a, b)
    /// ```
    /// - Throws: `LinalgError.incompatibleDimensions` naming both shapes when the inner
    ///   dimensions differ.
    public static func • (a: ChunkedArray, b: ChunkedArray) throws -> ChunkedArray { try a.matmul(b) }

    /// The matrix product with NumPy's `matmul` rules: 2-d × 2-d is the matrix product; a 1-d
    /// operand is a vector (matrix–vector, vector–matrix, or the inner product); arrays of 3 or
    /// more dimensions are stacks of matrices multiplied pairwise over the leading (batch) axes,
    /// which broadcast against each other (`(2, 3, 4) • (1, 4, 5)` is `(2, 3, 5)`); a single
    /// matrix on one side is used for every batch element.
    ///
    /// Integer products are exact: they are computed in wrapping Int64 arithmetic, so a result
    /// that overflows wraps modulo 2⁶⁴ (Int32 results modulo 2³²), as in NumPy, and the wrapped
    /// value is the same for every chunking. They never go through Double.
    ///
    /// Output block `(…, i, j)` sums `A[…, i, k]·B[…, k, j]` over the blocks `k` of the inner
    /// axis, one `?gemm` per block pair; `b` is rechunked along the inner axis to match `a` when
    /// their chunks differ.
    /// - Complexity: one gemm per (output block, inner block) pair.
    /// - Throws: `LinalgError.incompatibleDimensions` naming both shapes (inner dimensions that
    ///   differ, batch dimensions that don't broadcast), or `.wrongDimensions` for a 0-d operand.
    public func matmul(_ other: ChunkedArray) throws -> ChunkedArray {
        let a = self, b = other
        guard a.ndim >= 1, b.ndim >= 1 else {
            throw LinalgError.wrongDimensions(operation: "matmul", shape: a.ndim == 0 ? a.shape : b.shape, expected: "at least 1 dimension")
        }
        let ka = a.ndim - 1, kb = b.ndim == 1 ? 0 : b.ndim - 2
        guard a.shape[ka] == b.shape[kb] else {
            throw LinalgError.incompatibleDimensions(operation: "matmul", lhs: a.shape, rhs: b.shape,
                                                     reason: "inner dimensions \(a.shape[ka]) (axis \(ka) of the first) and \(b.shape[kb]) (axis \(kb) of the second) differ")
        }
        // Up to 2-d on either side, and an n-d stack times a matrix or vector, are tensordots
        // whose output axes are already in matmul's order.
        if b.ndim <= 2 || a.ndim == 1 {
            return try a.tensordot(b, axes: ([ka], [kb]), operation: "matmul")
        }
        return try a.batchedMatmul(b)
    }

    /// NumPy's `dot`: the sum product over the last axis of `self` and the second-to-last of
    /// `other` (the last when it is 1-d). For 1-d and 2-d operands it equals `matmul`.
    /// - Throws: `LinalgError.incompatibleDimensions` naming both shapes.
    public func dot(_ other: ChunkedArray) throws -> ChunkedArray {
        guard ndim >= 1, other.ndim >= 1 else {
            throw LinalgError.wrongDimensions(operation: "dot", shape: ndim == 0 ? shape : other.shape, expected: "at least 1 dimension")
        }
        return try tensordot(other, axes: ([ndim - 1], [Swift.max(other.ndim - 2, 0)]), operation: "dot")
    }

    /// The sum of products over the last `axes` axes of `self` and the first `axes` of `other`
    /// (NumPy's `tensordot(a, b, axes=n)`).
    /// - Throws: `LinalgError.incompatibleDimensions`, `ArrayError.invalidAxis`.
    public func tensordot(_ other: ChunkedArray, axes: Int = 2) throws -> ChunkedArray {
        guard axes >= 0, axes <= ndim, axes <= other.ndim else {
            throw LinalgError.invalidArgument(operation: "tensordot", reason: "cannot contract \(axes) axes of arrays of shapes \(fmt(shape)) and \(fmt(other.shape))")
        }
        return try tensordot(other, axes: (Array((ndim - axes)..<ndim), Array(0..<axes)))
    }

    /// The sum of products over pairs of axes, `axes.0[i]` of `self` with `axes.1[i]` of `other`
    /// (NumPy's `tensordot`). The result's axes are `self`'s free axes then `other`'s, in order.
    ///
    /// Each block pair is one gemm: a block is read in place when its contracted axes are
    /// already its trailing (or leading) axes, and copied with permuted axes otherwise.
    /// - Throws: `LinalgError.incompatibleDimensions` naming both shapes when paired axes differ
    ///   in length, `ArrayError.invalidAxis` for an axis out of range or repeated.
    public func tensordot(_ other: ChunkedArray, axes: ([Int], [Int])) throws -> ChunkedArray {
        try tensordot(other, axes: axes, operation: "tensordot")
    }

    func tensordot(_ other: ChunkedArray, axes: ([Int], [Int]), operation: String) throws -> ChunkedArray {
        let ca = try contractionAxes(axes.0, ndim: ndim)
        let cb = try contractionAxes(axes.1, ndim: other.ndim)
        guard ca.count == cb.count else {
            throw LinalgError.incompatibleDimensions(operation: operation, lhs: shape, rhs: other.shape,
                                                     reason: "\(ca.count) axes of the first paired with \(cb.count) of the second")
        }
        for (x, y) in zip(ca, cb) where shape[x] != other.shape[y] {
            throw LinalgError.incompatibleDimensions(operation: operation, lhs: shape, rhs: other.shape,
                                                     reason: "axis \(x) of the first has length \(shape[x]) but axis \(y) of the second has length \(other.shape[y])")
        }
        // Align the second operand's contracted chunks with the first's.
        var bChunks = other.chunks
        for (x, y) in zip(ca, cb) { bChunks[y] = chunks[x] }
        let a = self
        let b = bChunks == other.chunks ? other : try other.rechunk(.sizes(bChunks))
        let fa = (0..<ndim).filter { !ca.contains($0) }
        let fb = (0..<b.ndim).filter { !cb.contains($0) }
        let outShape = fa.map { shape[$0] } + fb.map { b.shape[$0] }
        let outGrid = BlockGrid(fa.map { a.chunks[$0] } + fb.map { b.chunks[$0] })
        let kGrid = BlockGrid(ca.map { a.chunks[$0] })

        func view(_ rows: [Int], _ cols: [Int]) -> GemmView {
            let n = rows.count + cols.count
            if rows + cols == Array(0..<n) { return .plain }
            if cols + rows == Array(0..<n) { return .transposed }
            return .permuted(rows + cols)
        }
        let plan = GemmPlan(viewA: view(fa, ca), viewB: view(cb, fb), freeAxesA: fa, freeAxesB: fb,
                            contractedAxesA: ca, contractedAxesB: cb)
        let nfa = fa.count
        return contraction(kind: operation, outShape: outShape, outGrid: outGrid, kBlocks: kGrid.blockCount,
                           pair: { o, k in
                               let kidx = kGrid.index(k)
                               var ai = [Int](repeating: 0, count: a.ndim), bi = [Int](repeating: 0, count: b.ndim)
                               for (i, ax) in fa.enumerated() { ai[ax] = o[i] }
                               for (i, ax) in fb.enumerated() { bi[ax] = o[nfa + i] }
                               for (i, ax) in ca.enumerated() { ai[ax] = kidx[i] }
                               for (i, ax) in cb.enumerated() { bi[ax] = kidx[i] }
                               return (a.blockRef(ai), b.blockRef(bi))
                           },
                           product: { pairs, outShape in ChunkedArray.runPlan(plan, pairs, outShape) })
    }

    /// Stacks of matrices: `(…, n, k) @ (…, k, m)`, or `(n, k) @ (…, k, m)`.
    func batchedMatmul(_ other: ChunkedArray) throws -> ChunkedArray {
        let aBatch = Array(shape.dropLast(2)), bBatch = Array(other.shape.dropLast(2))
        let sharedA = ndim == 2
        if !sharedA && aBatch != bBatch {
            // NumPy broadcasts the batch axes: read both operands broadcast to the common batch
            // shape (lazily, inside the product's tasks) and multiply equal stacks.
            guard let batch = try? broadcastShapes(aBatch, bBatch) else {
                throw LinalgError.incompatibleDimensions(operation: "matmul", lhs: shape, rhs: other.shape,
                                                         reason: "batch dimensions \(fmt(aBatch)) and \(fmt(bBatch)) do not broadcast")
            }
            return try broadcast(to: batch + shape.suffix(2)).batchedMatmul(other.broadcast(to: batch + other.shape.suffix(2)))
        }
        let nbatch = bBatch.count
        var bChunks = other.chunks
        bChunks[nbatch] = chunks[ndim - 1]
        if !sharedA { for k in 0..<nbatch { bChunks[k] = chunks[k] } }
        let a = self
        let b = bChunks == other.chunks ? other : try other.rechunk(.sizes(bChunks))
        let outShape = bBatch + [shape[ndim - 2], b.shape[nbatch + 1]]
        let outGrid = BlockGrid(Array(b.chunks.prefix(nbatch)) + [a.chunks[ndim - 2], b.chunks[nbatch + 1]])
        let innerBlocks = a.chunks[ndim - 1].count
        let plan = GemmPlan(viewA: .plain, viewB: .plain,
                            freeAxesA: [a.ndim - 2], freeAxesB: [nbatch + 1],
                            contractedAxesA: [a.ndim - 1], contractedAxesB: [nbatch],
                            batch: nbatch, sharedA: sharedA, sharedB: false)
        return contraction(kind: "matmul", outShape: outShape, outGrid: outGrid, kBlocks: innerBlocks,
                           pair: { o, k in
                               let batchIdx = Array(o.prefix(nbatch))
                               let ai = (sharedA ? [] : batchIdx) + [o[nbatch], k]
                               let bi = batchIdx + [k, o[nbatch + 1]]
                               return (a.blockRef(ai), b.blockRef(bi))
                           },
                           product: { pairs, outShape in ChunkedArray.runPlan(plan, pairs, outShape) })
    }
}

extension ChunkedArray {
    /// This array read as `shape` under NumPy's broadcasting (no copy until a task reads it).
    /// - Throws: `ArrayError.broadcastMismatch`.
    func broadcast(to shape: [Int]) throws -> ChunkedArray {
        if shape == self.shape { return self }
        let chunks = ChunkedArray.broadcastChunks(shape, [(self.shape, self.chunks)])
        return ChunkedArray(expression: try expression(broadcastTo: shape, chunks: chunks), shape: shape, chunks: chunks)
    }
}

/// The matrix product `a @ b` (see `ChunkedArray.matmul(_:)`).
/// - Throws: `LinalgError.incompatibleDimensions` naming both shapes.
public func matmul<T: NumericScalar>(_ a: ChunkedArray<T>, _ b: ChunkedArray<T>) throws -> ChunkedArray<T> {
    try a.matmul(b)
}

/// Axes in `0..<ndim` (negative ones counted from the end), each once.
func contractionAxes(_ axes: [Int], ndim: Int) throws -> [Int] {
    var out: [Int] = []
    for ax in axes {
        let a = ax < 0 ? ax + ndim : ax
        guard a >= 0, a < ndim, !out.contains(a) else { throw ArrayError.invalidAxis(axis: ax, ndim: ndim) }
        out.append(a)
    }
    return out
}
