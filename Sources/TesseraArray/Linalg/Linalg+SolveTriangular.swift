import Tessera

// `solveTriangular(a, b)` by blocked substitution: with `a` cut into square tiles, block row i of
// the solution is x_i = A_ii⁻¹ · (b_i − Σ_j A_ij · x_j) over the blocks j already solved (j < i
// for a lower triangle, j > i for an upper one) — one task per tile of x, one gemm per term and
// one trsm. Tiles of the other triangle are never read.

extension Linalg {
    /// Solves `a·x = b` for a triangular `a` (n × n) and `b` of shape (n) or (n × k): SciPy's
    /// `solve_triangular`. Only the triangle named by `lower` is read.
    ///
    /// ```swift
    /// let x = try Linalg.solveTriangular(l, b, lower: true).compute()
    /// ```
    /// - Parameters:
    ///   - a: the triangular matrix; its columns are rechunked like its rows when they differ.
    ///   - b: the right-hand side; its rows are rechunked like `a`'s.
    ///   - lower: whether `a` is lower triangular (SciPy's default is upper: false).
    ///   - unitDiagonal: whether to take `a`'s diagonal as ones without reading it.
    /// - Returns: `x`, lazily, with `b`'s shape.
    /// - Throws: `LinalgError.notSquare`, `.wrongDimensions`, `.incompatibleDimensions` now;
    ///   `LinalgError.singular` (inside a `TaskFailure`) at compute time for a zero on the diagonal.
    /// - Complexity: O(n² k) flops in O(N² × column blocks) tasks for N row blocks.
    public static func solveTriangular<T: LinalgScalar>(_ a: ChunkedArray<T>, _ b: ChunkedArray<T>, lower: Bool = false,
                                                        unitDiagonal: Bool = false) throws -> ChunkedArray<T> {
        let op = "solveTriangular"
        let sq = try a.squareTiled(op)
        let rhs = try rightHandSide(b, for: sq, op)
        _ = OpenBLASKernels.ensured
        let sizes = sq.chunks[0], nb = sizes.count, nc = rhs.chunks[1].count, shape = a.shape
        var offsets = [0]
        for s in sizes { offsets.append(offsets.last! + s) }
        var xs = [[TaskRef]](repeating: [], count: nb)
        for i in (lower ? Array(0..<nb) : Array((0..<nb).reversed())) {
            let solved = lower ? Array(0..<i) : Array((i + 1)..<nb)
            let aRefs = ([i] + solved).map { sq.blockRef([i, $0]) }
            let xsNow = xs, offset = offsets[i]
            let layer = Layer(kind: "solve-triangular", count: nc) { c in
                TaskSpec(inputs: aRefs + [rhs.blockRef([i, c])] + solved.map { xsNow[$0][c] }) { v in
                    let aii = v[0] as! NDArray<T>, bi = v[1 + solved.count] as! NDArray<T>
                    let bk = aii.shape[0], w = bi.shape[1]
                    let x = rowsCopy(bi, from: 0)
                    guard bk > 0, w > 0 else { return x }
                    for (t, j) in solved.enumerated() {
                        let aij = v[1 + t] as! NDArray<T>, xj = v[2 + solved.count + t] as! NDArray<T>
                        T._gemm(transA: false, transB: false, m: bk, n: w, k: sizes[j], alpha: -1, a: aij.pointer, lda: sizes[j],
                                b: xj.pointer, ldb: w, beta: 1, c: x.mutablePointer, ldc: w)
                    }
                    if !unitDiagonal, let d = (0..<bk).first(where: { aii.pointer[$0 * bk + $0] == 0 }) {
                        throw LinalgError.singular(operation: op, shape: shape, pivot: offset + d)
                    }
                    T._trsm(left: true, lower: lower, transA: false, unitDiagonal: unitDiagonal, m: bk, n: w, alpha: 1,
                            a: aii.pointer, lda: bk, b: x.mutablePointer, ldb: w)
                    return x
                }
            }
            xs[i] = layer.refs
        }
        let tiles = xs
        let grid = Layer(kind: "solve-triangular-x", count: nb * nc, grid: [nb, nc]) { t in
            TaskSpec(inputs: [tiles[t / nc][t % nc]]) { $0[0] }
        }
        let x = try ChunkedArray<T>(layer: grid, shape: rhs.shape, chunks: rhs.chunks)
        return b.ndim == 1 ? try x.columnAsVector() : x
    }
}
