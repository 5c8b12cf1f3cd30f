import Tessera

// `solve(A, B)` by right-looking blocked LU with partial pivoting over whole block columns, the
// right-hand sides riding along as extra columns, then blocked back substitution.
//
// The matrix is cut into square tiles (its columns rechunked to its row chunks). Each column of
// tiles below the current step lives in one task as a stacked block ("column state"). Step k:
//
//   panel   P_k   = getrf of column k (rows k… of the matrix): L below, U_kk, pivots — partial
//                   pivoting over *all* remaining rows, as LAPACK's unblocked LU would choose;
//   update  S_k,j = for every later column j (and every right-hand-side column): apply P_k's row
//                   swaps, U_kj = L_kk⁻¹·top (trsm), lower part −= L_lower·U_kj (one gemm);
//                   S_k,j's rows below the first tile are column j's state for step k+1.
//
// A panel only waits for its own column's update, so step k+1 starts while step k's other
// columns are still being updated (look-ahead for free from the scheduler). Back substitution:
// x_k = U_kk⁻¹·(b'_k − Σ_{j>k} U_kj·x_j), one task per tile of x. Each tile computation is one
// LAPACK/BLAS call on whole blocks; the pivoted L is never assembled.

/// The factored panel of one LU step.
struct LUPanel<T: LinalgScalar>: @unchecked Sendable {
    /// `getrf` output for the stacked column: unit-lower L below, U_kk on top.
    let lu: NDArray<T>
    /// 1-based pivot rows within the panel, one per column of the tile.
    let ipiv: [Int32]
    var width: Int { lu.shape[1] }
}

/// A copy of rows `from…` of a 2-d block (always a copy: callers mutate it).
func rowsCopy<T>(_ a: NDArray<T>, from: Int) -> NDArray<T> {
    let cols = a.shape[1], rows = a.shape[0] - from
    return NDArray<T>(shape: [rows, cols]) { out in
        if let b = out.baseAddress, !out.isEmpty { b.update(from: a.pointer + from * cols, count: out.count) }
    }
}

extension ChunkedArray {
    /// The array as 2-d: a 1-d array becomes one column (`n × 1`), block by block.
    func asColumn() throws -> ChunkedArray {
        guard ndim == 1 else { return self }
        let src = self
        let layer = Layer(kind: "as-column", count: blockCount, grid: [blockCount, 1]) { i in
            TaskSpec(inputs: [src.blockRef([i])]) { v in
                let b = v[0] as! NDArray<Scalar>
                return try b.reshaped([b.count, 1])
            }
        }
        return try ChunkedArray(layer: layer, shape: [shape[0], 1], chunks: [chunks[0], [1]])
    }

    /// A one-column 2-d array as 1-d, block by block.
    func columnAsVector() throws -> ChunkedArray {
        let src = self
        let layer = Layer(kind: "as-vector", count: numBlocks[0], grid: [numBlocks[0]]) { i in
            TaskSpec(inputs: [src.blockRef([i, 0])]) { v in
                let b = v[0] as! NDArray<Scalar>
                return try b.reshaped([b.count])
            }
        }
        return try ChunkedArray(layer: layer, shape: [shape[0]], chunks: [chunks[0]])
    }

    /// A 2-d array with square tiles: columns cut like rows.
    func squareTiled(_ operation: String) throws -> ChunkedArray {
        guard ndim == 2 else { throw LinalgError.wrongDimensions(operation: operation, shape: shape, expected: "a 2-d matrix") }
        guard shape[0] == shape[1] else { throw LinalgError.notSquare(operation: operation, shape: shape) }
        return chunks[1] == chunks[0] ? self : try rechunk(.sizes([chunks[0], chunks[0]]))
    }
}

extension Linalg {
    /// Solves `a·x = b` for square `a` (n × n) and `b` of shape (n) or (n × k), by blocked LU
    /// with partial pivoting (NumPy's `solve`). `a`'s columns are rechunked like its rows and
    /// `b`'s rows like `a`'s when they differ; `x` has `b`'s shape, `a`'s row chunks and `b`'s
    /// column chunks.
    ///
    /// ```swift
    /// let x = try Linalg.solve(a, b).compute()
    /// ```
    /// - Complexity: O(n³) flops in O(N²) tasks for N row blocks (each column of tiles is one
    ///   task per step).
    /// - Throws: `LinalgError.notSquare`, `.wrongDimensions`, `.incompatibleDimensions` now;
    ///   `LinalgError.singular` (inside a `TaskFailure`) at compute time for an exactly
    ///   singular matrix.
    public static func solve<T: LinalgScalar>(_ a: ChunkedArray<T>, _ b: ChunkedArray<T>) throws -> ChunkedArray<T> {
        let sq = try a.squareTiled("solve")
        let x = try blockedLUSolve(sq, try rightHandSide(b, for: sq, "solve"))
        return b.ndim == 1 ? try x.columnAsVector() : x
    }

    /// `b` checked against the square-tiled matrix `sq` and made 2-d with `sq`'s row chunks.
    /// - Throws: `LinalgError.wrongDimensions`, `.incompatibleDimensions` naming `operation`.
    static func rightHandSide<T>(_ b: ChunkedArray<T>, for sq: ChunkedArray<T>, _ operation: String) throws -> ChunkedArray<T> {
        guard b.ndim == 1 || b.ndim == 2 else {
            throw LinalgError.wrongDimensions(operation: operation, shape: b.shape, expected: "a 1-d or 2-d right-hand side")
        }
        guard b.shape[0] == sq.shape[0] else {
            throw LinalgError.incompatibleDimensions(operation: operation, lhs: sq.shape, rhs: b.shape,
                                                     reason: "the matrix has \(sq.shape[0]) rows but the right-hand side has \(b.shape[0])")
        }
        let column = try b.asColumn()
        return column.chunks[0] == sq.chunks[0] ? column : try column.rechunk(.sizes([sq.chunks[0], column.chunks[1]]))
    }

    /// The inverse of a square matrix: `solve(a, I)`.
    /// - Throws: as `solve`; `LinalgError.singular` at compute time when `a` has no inverse.
    public static func inv<T: LinalgScalar>(_ a: ChunkedArray<T>) throws -> ChunkedArray<T> {
        let sq = try a.squareTiled("inv")
        return try blockedLUSolve(sq, try ChunkedArray<T>.eye(a.shape[0], chunks: .sizes(sq.chunks)))
    }

    /// The LU forward elimination and back substitution described in the file header.
    static func blockedLUSolve<T: LinalgScalar>(_ a: ChunkedArray<T>, _ b: ChunkedArray<T>) throws -> ChunkedArray<T> {
        let sizes = a.chunks[0], nb = sizes.count
        let bCols = b.chunks[1], nc = bCols.count
        let (panels, updated) = blockedLUForward(a, b, operation: "solve", singularIsError: true)
        // Back substitution, one task per tile of x, last block row first.
        var xs = [[TaskRef]](repeating: [], count: nb)
        for k in stride(from: nb - 1, through: 0, by: -1) {
            let later = Array((k + 1)..<nb)
            let uRefs = later.map { updated[k][$0]! }
            let xsNow = xs, panel = panels[k], rowK = updated[k]
            let layer = Layer(kind: "lu-backsub", count: nc) { c in
                let xRefs = later.map { xsNow[$0][c] }
                return TaskSpec(inputs: [panel, rowK[nb + c]!] + uRefs + xRefs) { v in
                    let pan = v[0] as! LUPanel<T>
                    let bk = pan.width
                    let full = v[1] as! NDArray<T>
                    let w = full.shape[1]
                    let rhs = NDArray<T>(shape: [bk, w]) { out in
                        if let o = out.baseAddress, !out.isEmpty { o.update(from: full.pointer, count: out.count) }
                    }
                    guard bk > 0, w > 0 else { return rhs }
                    for (i, j) in later.enumerated() {
                        let u = v[2 + i] as! NDArray<T>, x = v[2 + later.count + i] as! NDArray<T>
                        let sj = sizes[j]
                        T._gemm(transA: false, transB: false, m: bk, n: w, k: sj, alpha: -1, a: u.pointer, lda: sj,
                                b: x.pointer, ldb: w, beta: 1, c: rhs.mutablePointer, ldc: w)
                    }
                    T._trsm(left: true, lower: false, transA: false, unitDiagonal: false, m: bk, n: w, alpha: 1,
                            a: pan.lu.pointer, lda: bk, b: rhs.mutablePointer, ldb: w)
                    return rhs
                }
            }
            xs[k] = layer.refs
        }
        let xsFinal = xs
        let out = Layer(kind: "solve", count: nb * nc, grid: [nb, nc]) { t in
            TaskSpec(inputs: [xsFinal[t / nc][t % nc]]) { v in v[0] }
        }
        return try ChunkedArray(layer: out, shape: [a.shape[0], b.shape[1]], chunks: [sizes, bCols])
    }
}

extension Linalg {
    /// The forward elimination of the file header: the panels (L, U_kk and pivots of each step)
    /// and, for step k, the updated trailing column states (`updated[k][j]`: rows of U, or of
    /// b' for the right-hand-side columns `nb…`).
    /// - Parameters:
    ///   - a: the square-tiled matrix.
    ///   - b: right-hand-side columns riding along (nil: none).
    ///   - operation: the name a singularity error gives.
    ///   - singularIsError: whether an exactly singular panel fails (`solve`), or factors on
    ///     with a zero on U's diagonal (`det`).
    static func blockedLUForward<T: LinalgScalar>(_ a: ChunkedArray<T>, _ b: ChunkedArray<T>?, operation: String,
                                                  singularIsError: Bool) -> (panels: [TaskRef], updated: [[Int: TaskRef]]) {
        _ = OpenBLASKernels.ensured
        let sizes = a.chunks[0], nb = sizes.count
        var offsets = [0]
        for s in sizes { offsets.append(offsets.last! + s) }
        let bCols = b?.chunks[1] ?? [], nc = bCols.count
        let shape = a.shape
        // Column states: A's columns 0..<nb then b's columns nb..<nb+nc; each a stacked block of
        // the rows from the current step on, starting `skip` rows into the task's value.
        var state: [(ref: TaskRef, skip: Int)] = []
        let gather = Layer(kind: "lu-columns", count: nb + nc) { j in
            let refs = (0..<nb).map { j < nb ? a.blockRef([$0, j]) : b!.blockRef([$0, j - nb]) }
            let w = j < nb ? sizes[j] : bCols[j - nb]
            return TaskSpec(inputs: refs) { v in vstack(v.map { $0 as! NDArray<T> }, columns: w) }
        }
        for j in 0..<(nb + nc) { state.append((gather[j], 0)) }
        var panels: [TaskRef] = []
        // updated[k][j]: S_k,j, whose first sizes[k] rows are row k of U (or of b').
        var updated: [[Int: TaskRef]] = []
        for k in 0..<nb {
            let col = state[k], rowOffset = offsets[k]
            let panel = Layer(kind: "lu-panel", count: 1) { _ in
                TaskSpec(inputs: [col.ref]) { v in
                    let p = rowsCopy(v[0] as! NDArray<T>, from: col.skip)
                    let rows = p.shape[0], w = p.shape[1]
                    var ipiv = [Int32](repeating: 0, count: Swift.max(w, 1))
                    if rows > 0 && w > 0 {
                        let info = ipiv.withUnsafeMutableBufferPointer { T._getrf(m: rows, n: w, a: p.mutablePointer, lda: w, ipiv: $0.baseAddress!) }
                        if info > 0 && singularIsError { throw LinalgError.singular(operation: operation, shape: shape, pivot: rowOffset + Int(info) - 1) }
                        guard info >= 0 else { throw LinalgError.lapack(routine: "getrf", info: Int(info)) }
                    }
                    return LUPanel(lu: p, ipiv: ipiv)
                }
            }
            panels.append(panel[0])
            let trailing = Array((k + 1)..<nb) + Array(nb..<(nb + nc))
            let states = state   // a snapshot: the layer makes its tasks later, at compute time
            let step = Layer(kind: "lu-update", count: trailing.count) { t in
                let st = states[trailing[t]]
                return TaskSpec(inputs: [panel[0], st.ref]) { v in
                    let pan = v[0] as! LUPanel<T>
                    let c = rowsCopy(v[1] as! NDArray<T>, from: st.skip)
                    let rows = c.shape[0], w = c.shape[1], bk = pan.width
                    guard rows > 0, w > 0, bk > 0 else { return c }
                    let cp = c.mutablePointer
                    for p in 0..<bk {
                        let q = Int(pan.ipiv[p]) - 1
                        if q != p { for x in 0..<w { swap(&cp[p * w + x], &cp[q * w + x]) } }
                    }
                    T._trsm(left: true, lower: true, transA: false, unitDiagonal: true, m: bk, n: w, alpha: 1,
                            a: pan.lu.pointer, lda: bk, b: cp, ldb: w)
                    if rows > bk {
                        T._gemm(transA: false, transB: false, m: rows - bk, n: w, k: bk, alpha: -1,
                                a: pan.lu.pointer + bk * bk, lda: bk, b: cp, ldb: w, beta: 1, c: cp + bk * w, ldc: w)
                    }
                    return c
                }
            }
            var row: [Int: TaskRef] = [:]
            for (t, j) in trailing.enumerated() {
                row[j] = step[t]
                state[j] = (step[t], sizes[k])
            }
            updated.append(row)
        }
        return (panels, updated)
    }
}
