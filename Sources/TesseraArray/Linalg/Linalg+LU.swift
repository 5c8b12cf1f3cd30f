import Tessera

// lu(A) = (P, L, U) from the blocked LU's forward elimination (Linalg+Solve.swift), the same
// graph `solve` and `det` run: panel k holds L's column block k below U_kk (in the row order of
// step k), and row block k of U is the top of each trailing update of step k.
//
// Partial pivoting swaps rows of the *whole* matrix, but each step's L below its panel was
// written before the later steps chose their swaps; LAPACK's getrf fixes this by applying every
// later swap to the earlier columns (its `laswp`). Here one task per column block of L does the
// same to its own column, reading only the later panels' pivots: L is assembled without the
// trailing matrix ever moving again.

extension Linalg {
    /// The LU factorisation with partial pivoting of a square matrix, `a = p·l·u` (SciPy's and
    /// Dask's `lu`): `p` a permutation matrix, `l` unit lower triangular, `u` upper triangular.
    /// The pivots are the ones LAPACK's unblocked `getrf` of the whole matrix chooses (the
    /// largest magnitude in the remaining column), so `pᵀ·a = l·u` row for row.
    ///
    /// ```swift
    /// let (p, l, u) = try Linalg.lu(a)
    /// let (pv, lv, uv) = try compute(p, l, u)
    /// ```
    /// - Parameter a: a square matrix; its columns are rechunked like its rows when they differ.
    /// - Returns: lazy `p`, `l` and `u`, each of `a`'s shape with square tiles (`a`'s row chunks).
    /// - Throws: `LinalgError.notSquare`, `.wrongDimensions`. A singular matrix factors (a zero
    ///   on `u`'s diagonal), as in SciPy.
    /// - Complexity: O(n³) flops in O(N²) tasks for N row blocks, as `solve`.
    public static func lu<T: LinalgScalar>(_ a: ChunkedArray<T>) throws -> (p: ChunkedArray<T>, l: ChunkedArray<T>, u: ChunkedArray<T>) {
        let sq = try a.squareTiled("lu")
        let sizes = sq.chunks[0], nb = sizes.count, n = sq.shape[0]
        var offsets = [0]
        for s in sizes { offsets.append(offsets.last! + s) }
        let (panels, updated) = blockedLUForward(sq, nil, operation: "lu", singularIsError: false)
        let origin = offsets

        // Column k of L (rows offsets[k]… of the matrix, bk wide), with every later swap applied.
        let lColumns = Layer(kind: "lu-l-column", count: nb) { k in
            TaskSpec(inputs: Array(panels[k...])) { v in
                let pan = v[0] as! LUPanel<T>
                let bk = pan.width, rows = pan.lu.shape[0]
                let column = NDArray<T>(shape: [rows, bk]) { out in
                    guard let o = out.baseAddress, !out.isEmpty else { return }
                    for i in 0..<rows {
                        for j in 0..<bk { o[i * bk + j] = i == j ? 1 : (i > j ? pan.lu.pointer[i * bk + j] : 0) }
                    }
                }
                let c = column.mutablePointer
                for (step, value) in v.enumerated().dropFirst() {
                    let p = value as! LUPanel<T>
                    let base = origin[k + step] - origin[k]
                    for r in 0..<p.width {
                        let q = Int(p.ipiv[r]) - 1
                        if q != r { for x in 0..<bk { swap(&c[(base + r) * bk + x], &c[(base + q) * bk + x]) } }
                    }
                }
                return column
            }
        }
        let lLayer = Layer(kind: "lu-l", count: nb * nb, grid: [nb, nb]) { t in
            let i = t / nb, k = t % nb
            let shape = [sizes[i], sizes[k]]
            guard i >= k else { return TaskSpec(inputs: []) { _ in NDArray<T>(shape: shape, repeating: 0) } }
            return TaskSpec(inputs: [lColumns[k]]) { v in
                rowSlice(v[0] as! NDArray<T>, (origin[i] - origin[k])..<(origin[i + 1] - origin[k]))
            }
        }
        let uLayer = Layer(kind: "lu-u", count: nb * nb, grid: [nb, nb]) { t in
            let k = t / nb, j = t % nb
            let shape = [sizes[k], sizes[j]]
            if k > j { return TaskSpec(inputs: []) { _ in NDArray<T>(shape: shape, repeating: 0) } }
            if k == j {
                return TaskSpec(inputs: [panels[k]]) { v in
                    let pan = v[0] as! LUPanel<T>
                    let w = pan.width
                    return NDArray<T>(shape: [w, w]) { out in
                        guard let o = out.baseAddress, !out.isEmpty else { return }
                        for r in 0..<w { for c in 0..<w { o[r * w + c] = c >= r ? pan.lu.pointer[r * w + c] : 0 } }
                    }
                }
            }
            return TaskSpec(inputs: [updated[k][j]!]) { v in rowSlice(v[0] as! NDArray<T>, 0..<shape[0]) }
        }
        // The permutation: row i of pᵀ·a is row perm[i] of a, so p[perm[i], i] = 1.
        let perm = Layer(kind: "lu-permutation", count: 1) { _ in
            TaskSpec(inputs: panels) { v in
                var perm = Array(0..<n)
                for (k, value) in v.enumerated() {
                    let p = value as! LUPanel<T>
                    for r in 0..<p.width {
                        let q = Int(p.ipiv[r]) - 1
                        perm.swapAt(origin[k] + r, origin[k] + q)
                    }
                }
                return perm
            }
        }
        let pLayer = Layer(kind: "lu-p", count: nb * nb, grid: [nb, nb]) { t in
            let bi = t / nb, bj = t % nb
            return TaskSpec(inputs: [perm[0]]) { v in
                let perm = v[0] as! [Int]
                var block = NDArray<T>(shape: [sizes[bi], sizes[bj]], repeating: 0)
                block.withUnsafeMutableBufferPointer { b in
                    for col in origin[bj]..<origin[bj + 1] where perm[col] >= origin[bi] && perm[col] < origin[bi + 1] {
                        b[(perm[col] - origin[bi]) * sizes[bj] + (col - origin[bj])] = 1
                    }
                }
                return block
            }
        }
        let chunks = [sizes, sizes]
        return (try ChunkedArray(layer: pLayer, shape: sq.shape, chunks: chunks),
                try ChunkedArray(layer: lLayer, shape: sq.shape, chunks: chunks),
                try ChunkedArray(layer: uLayer, shape: sq.shape, chunks: chunks))
    }
}
