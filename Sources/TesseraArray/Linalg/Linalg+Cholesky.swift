import Tessera

// Tiled right-looking Cholesky (as in PLASMA and Dask's blocked version): for each step k,
//
//   L_kk = potrf(A_kk)                     one task
//   L_ik = A_ik·L_kk⁻ᵀ            (i > k)   one trsm task per tile below
//   A_ij −= L_ik·L_jkᵀ       (i ≥ j > k)   one gemm task per trailing tile of the lower triangle
//
// Only the lower triangle of tiles is read (the matrix is taken to be symmetric, as LAPACK does).

extension Linalg {
    /// The Cholesky factor of a symmetric positive-definite matrix: lower-triangular `L` with
    /// `L·Lᵀ = a` (NumPy's default), or upper `U = Lᵀ` with `uᵀ·u = a` when `lower` is false
    /// (Dask's default). Only `a`'s lower triangle is read. The result has `a`'s row chunks on
    /// both axes.
    ///
    /// - Complexity: n³/3 flops in O(N³) tile tasks for N row blocks.
    /// - Throws: `LinalgError.notSquare` / `.wrongDimensions` now; `LinalgError.notPositiveDefinite`
    ///   (inside a `TaskFailure`) at compute time, naming the order of the failing leading minor.
    public static func cholesky<T: LinalgScalar>(_ a: ChunkedArray<T>, lower: Bool = true) throws -> ChunkedArray<T> {
        _ = OpenBLASKernels.ensured
        let sq = try a.squareTiled("cholesky")
        let sizes = sq.chunks[0], nb = sizes.count
        var offsets = [0]
        for s in sizes { offsets.append(offsets.last! + s) }
        let shape = a.shape
        // cur[i][j], i ≥ j: the current value of tile (i, j).
        var cur = (0..<nb).map { i in (0...i).map { j in sq.blockRef([i, j]) } }
        for k in 0..<nb {
            let diagRef = cur[k][k], minorOffset = offsets[k]
            let diag = Layer(kind: "cholesky-potrf", count: 1) { _ in
                TaskSpec(inputs: [diagRef]) { v in
                    let t = rowsCopy(v[0] as! NDArray<T>, from: 0)
                    let n = t.shape[0], p = t.mutablePointer
                    if n > 0 {
                        let info = T._potrf(n: n, a: p, lda: n)
                        if info > 0 { throw LinalgError.notPositiveDefinite(operation: "cholesky", shape: shape, minor: minorOffset + Int(info)) }
                        guard info == 0 else { throw LinalgError.lapack(routine: "potrf", info: Int(info)) }
                        for i in 0..<n { for j in (i + 1)..<n { p[i * n + j] = 0 } }
                    }
                    return t
                }
            }
            cur[k][k] = diag[0]
            let below = Array((k + 1)..<nb)
            let panelRefs = below.map { cur[$0][k] }
            let panel = Layer(kind: "cholesky-trsm", count: below.count) { t in
                TaskSpec(inputs: [diag[0], panelRefs[t]]) { v in
                    let l = v[0] as! NDArray<T>
                    let x = rowsCopy(v[1] as! NDArray<T>, from: 0)
                    let m = x.shape[0], n = x.shape[1]
                    if m > 0 && n > 0 {
                        T._trsm(left: false, lower: true, transA: true, unitDiagonal: false, m: m, n: n, alpha: 1,
                                a: l.pointer, lda: n, b: x.mutablePointer, ldb: n)
                    }
                    return x
                }
            }
            for (t, i) in below.enumerated() { cur[i][k] = panel[t] }
            // Trailing update of the lower triangle.
            var pairs: [(Int, Int)] = []
            for i in below { for j in (k + 1)...i { pairs.append((i, j)) } }
            let snapshot = cur
            let update = Layer(kind: "cholesky-update", count: pairs.count) { [pairs] t in
                let (i, j) = pairs[t]
                return TaskSpec(inputs: [snapshot[i][j], snapshot[i][k], snapshot[j][k]]) { v in
                    var c = rowsCopy(v[0] as! NDArray<T>, from: 0)
                    gemmSubtract(&c, v[1] as! NDArray<T>, v[2] as! NDArray<T>, transB: true)
                    return c
                }
            }
            for (t, (i, j)) in pairs.enumerated() { cur[i][j] = update[t] }
        }
        let final = cur
        let out = Layer(kind: "cholesky", count: nb * nb, grid: [nb, nb]) { t in
            let i = t / nb, j = t % nb
            let (r, c) = lower ? (i, j) : (j, i)
            if r < c {
                let shape = [sizes[i], sizes[j]]
                return TaskSpec { _ in NDArray<T>(shape: shape, repeating: 0) }
            }
            return TaskSpec(inputs: [final[r][c]]) { v in lower ? v[0] : transposed2D(v[0] as! NDArray<T>) }
        }
        return try ChunkedArray(layer: out, shape: a.shape, chunks: [sizes, sizes])
    }
}
