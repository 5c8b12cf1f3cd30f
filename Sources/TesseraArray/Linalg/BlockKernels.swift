// Small eager kernels on single blocks (`NDArray`) that the chunked algorithms run inside their
// tasks: type conversion to the BLAS type, axis permutation, transposition, sums of blocks.

extension NDArray {
    /// Mutable pointer to the elements of a freshly made array this code owns alone.
    var mutablePointer: UnsafeMutablePointer<Scalar> { storage.pointer }
}

/// The array as `G` (the same storage when the types agree, a converted copy otherwise).
func converted<T: ArrayScalar, G: ArrayScalar>(_ a: NDArray<T>, to _: G.Type) -> NDArray<G> {
    if let same = a as? NDArray<G> { return same }
    return NDArray<G>(shape: a.shape) { out in
        if let base = out.baseAddress { convertRun(a.pointer, base, a.count) }
    }
}

/// A copy of `a` with its axes reordered: result axis `i` is `a`'s axis `axes[i]`.
/// - Complexity: O(count); rows of the last source axis are copied in runs when it stays last.
func permuted<T>(_ a: NDArray<T>, _ axes: [Int]) -> NDArray<T> {
    if axes == Array(0..<a.ndim) { return a }
    let newShape = axes.map { a.shape[$0] }
    let srcStrides = rowMajorStrides(a.shape)
    let strides = axes.map { srcStrides[$0] }
    return NDArray<T>(shape: newShape) { out in
        guard let dst = out.baseAddress, !out.isEmpty else { return }
        let src = a.pointer
        let nd = newShape.count
        var idx = [Int](repeating: 0, count: nd)
        let last = newShape[nd - 1], lastStride = strides[nd - 1]
        var o = 0
        while o < out.count {
            var s = 0
            for k in 0..<(nd - 1) { s += idx[k] * strides[k] }
            for t in 0..<last { dst[o + t] = src[s + t * lastStride] }
            o += last
            var k = nd - 2
            while k >= 0 {
                idx[k] += 1
                if idx[k] < newShape[k] { break }
                idx[k] = 0
                k -= 1
            }
        }
    }
}

/// The transpose of a 2-d block.
func transposed2D<T>(_ a: NDArray<T>) -> NDArray<T> { permuted(a, [1, 0]) }

/// Element-wise sum of blocks of one shape.
func sumBlocks<T: ArrayScalar>(_ blocks: [NDArray<T>]) -> NDArray<T> {
    if blocks.count == 1 { return blocks[0] }
    return NDArray<T>(shape: blocks[0].shape) { out in
        guard let p = out.baseAddress, !out.isEmpty else { return }
        p.update(from: blocks[0].pointer, count: out.count)
        for b in blocks.dropFirst() { T._binary(.add, p, b.pointer, p, out.count) }
    }
}

/// A 2-d block from rows `rows` of a row-major matrix with `cols` columns.
func rowSlice<T>(_ a: NDArray<T>, _ rows: Range<Int>) -> NDArray<T> {
    let cols = a.shape.count == 2 ? a.shape[1] : 1
    if rows.lowerBound == 0 && rows.count == a.shape[0] { return a }
    return NDArray<T>(shape: [rows.count, cols]) { out in
        if let b = out.baseAddress, !out.isEmpty { b.update(from: a.pointer + rows.lowerBound * cols, count: out.count) }
    }
}

/// A 2-d block from columns `cols` of a 2-d block.
func columnSlice<T>(_ a: NDArray<T>, _ cols: Range<Int>) -> NDArray<T> {
    let r = a.shape[0], c = a.shape[1]
    if cols.lowerBound == 0 && cols.count == c { return a }
    return NDArray<T>(shape: [r, cols.count]) { out in
        guard let b = out.baseAddress, !out.isEmpty else { return }
        for i in 0..<r { (b + i * cols.count).update(from: a.pointer + i * c + cols.lowerBound, count: cols.count) }
    }
}

/// Rows stacked on top of each other (all blocks 2-d with the same number of columns).
func vstack<T>(_ blocks: [NDArray<T>], columns: Int) -> NDArray<T> {
    let rows = blocks.reduce(0) { $0 + $1.shape[0] }
    return NDArray<T>(shape: [rows, columns]) { out in
        guard let base = out.baseAddress else { return }
        var o = 0
        for b in blocks where b.count > 0 {
            (base + o).update(from: b.pointer, count: b.count)
            o += b.count
        }
    }
}

/// A 2-d block assembled from a grid of 2-d tiles (row-major over the tile grid).
func assembleTiles<T>(_ tiles: [NDArray<T>], rows: [Int], cols: [Int]) -> NDArray<T> {
    let m = rows.reduce(0, +), n = cols.reduce(0, +)
    return NDArray<T>(shape: [m, n]) { out in
        guard let base = out.baseAddress, !out.isEmpty else { return }
        var r0 = 0
        for (bi, r) in rows.enumerated() {
            var c0 = 0
            for (bj, c) in cols.enumerated() {
                let t = tiles[bi * cols.count + bj]
                for i in 0..<r { (base + (r0 + i) * n + c0).update(from: t.pointer + i * c, count: c) }
                c0 += c
            }
            r0 += r
        }
    }
}

/// The tile of a 2-d block at rows `r` and columns `c`.
func tile<T>(_ a: NDArray<T>, rows r: Range<Int>, cols c: Range<Int>) -> NDArray<T> {
    columnSlice(rowSlice(a, r), c)
}

/// `C = op(A)·op(B)` for 2-d blocks in the BLAS type `G` (a new block).
func gemm<G: LinalgScalar>(_ a: NDArray<G>, _ b: NDArray<G>, transA: Bool = false, transB: Bool = false) -> NDArray<G> {
    let m = transA ? a.shape[1] : a.shape[0], k = transA ? a.shape[0] : a.shape[1]
    let n = transB ? b.shape[0] : b.shape[1]
    return NDArray<G>(shape: [m, n]) { out in
        guard let c = out.baseAddress, !out.isEmpty else { return }
        if k == 0 { c.initialize(repeating: 0, count: m * n); return }
        G._gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: a.pointer, lda: Swift.max(a.shape[1], 1),
                b: b.pointer, ldb: Swift.max(b.shape[1], 1), beta: 0, c: c, ldc: Swift.max(n, 1))
    }
}

/// `C -= A·op(B)` in place on a uniquely owned block.
func gemmSubtract<G: LinalgScalar>(_ c: inout NDArray<G>, _ a: NDArray<G>, _ b: NDArray<G>, transB: Bool = false) {
    let m = a.shape[0], k = a.shape[1], n = transB ? b.shape[0] : b.shape[1]
    guard m > 0, n > 0, k > 0 else { return }
    c.withUnsafeMutableBufferPointer { cb in
        G._gemm(transA: false, transB: transB, m: m, n: n, k: k, alpha: -1, a: a.pointer, lda: k,
                b: b.pointer, ldb: Swift.max(b.shape[1], 1), beta: 1, c: cb.baseAddress!, ldc: n)
    }
}

/// The `n`×`n` identity block.
func identity<G: LinalgScalar>(_ n: Int) -> NDArray<G> {
    var a = NDArray<G>(shape: [n, n], repeating: 0)
    a.withUnsafeMutableBufferPointer { for i in 0..<n { $0[i * n + i] = 1 } }
    return a
}
