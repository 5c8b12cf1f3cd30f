import Tessera

// Least squares through TSQR: A = Q·R and R = U_R·S·Vᵀ give A = U·S·Vᵀ with U = Q·U_R (recovered
// in TSQR's down pass), so the minimum-norm solution is x = V·S⁺·Uᵀ·b, where S⁺ inverts the
// singular values above rcond·s_max and zeroes the rest (NumPy's `lstsq`, LAPACK's gelsd). That
// handles rank-deficient A without a separate path; Uᵀ·b is one tensordot summed in a tree.

/// The result of `Linalg.lstsq`, all lazy: compute them together with `compute(…)`.
public struct LeastSquares<T: LinalgScalar> {
    /// The minimum-norm least-squares solution, (n) or (n × k) like `b`.
    public let solution: ChunkedArray<T>
    /// Squared 2-norms of the residuals `b − a·x`, per column of `b` (0-d for a 1-d `b`).
    public let residuals: ChunkedArray<T>
    /// The effective rank of `a` (singular values above `rcond·s_max`), 0-d.
    public let rank: ChunkedArray<Int64>
    /// The singular values of `a`, largest first.
    public let singularValues: ChunkedArray<T>
}

extension Linalg {
    /// The least-squares solution of `a·x ≈ b` for tall (or square) `a` (m × n, m ≥ n) and `b`
    /// of shape (m) or (m × k) (NumPy's and Dask's `lstsq`).
    ///
    /// `a` is factored by TSQR; when it is cut along columns it is first rechunked to one block
    /// of columns (it is tall, so a row of blocks is small). `b` is rechunked to `a`'s rows.
    /// - Parameters:
    ///   - a: the m × n matrix, m ≥ n.
    ///   - b: the right-hand side, m or m × k.
    ///   - rcond: singular values at or below `rcond·s_max` count as zero; `nil` means
    ///     machine epsilon × max(m, n), NumPy's default.
    /// - Returns: the solution, the residuals, the rank of `a` and its singular values.
    /// - Complexity: that of `qr` plus O(m·n·k) for Uᵀ·b and the residuals.
    /// - Throws: `LinalgError.wrongDimensions`, `.incompatibleDimensions` when the row counts
    ///   differ, `.notTallAndSkinny` when m < n.
    public static func lstsq<T: LinalgScalar>(_ a: ChunkedArray<T>, _ b: ChunkedArray<T>, rcond: Double? = nil) throws -> LeastSquares<T> {
        let op = "lstsq"
        guard a.ndim == 2 else { throw LinalgError.wrongDimensions(operation: op, shape: a.shape, expected: "a 2-d matrix") }
        guard b.ndim == 1 || b.ndim == 2 else { throw LinalgError.wrongDimensions(operation: op, shape: b.shape, expected: "a 1-d or 2-d right-hand side") }
        guard a.shape[0] == b.shape[0] else {
            throw LinalgError.incompatibleDimensions(operation: op, lhs: a.shape, rhs: b.shape,
                                                     reason: "the matrix has \(a.shape[0]) rows but the right-hand side has \(b.shape[0])")
        }
        let m = a.shape[0], n = a.shape[1]
        guard m >= n else {
            throw LinalgError.notTallAndSkinny(operation: op, shape: a.shape, chunks: a.chunks, suggestion: "lstsq needs at least as many rows as columns.")
        }
        let tall = a.chunks[1].count == 1 ? a : try a.rechunk(.sizes([a.chunks[0], [n]]))
        let (u, s, vt) = try svdFromTSQR(try TSQR(tall, operation: op))
        let bm = b.ndim == 2 && b.chunks[1].count > 1 ? try b.rechunk(.sizes([b.chunks[0], [b.shape[1]]])) : b
        let utb = try u.tensordot(bm, axes: ([0], [0]), operation: op)      // (K) or (K × k), one block
        let cutoff = T(_double: rcond ?? Double(T._epsilon._double) * Double(Swift.max(m, n)))
        let sRef = s.blockRef([0]), vtRef = vt.blockRef([0, 0])
        let utbRef = utb.blockRef([Int](repeating: 0, count: utb.ndim))
        let k = b.ndim == 2 ? b.shape[1] : 1
        let xLayer = Layer(kind: "lstsq-x", count: 1, grid: [Int](repeating: 1, count: b.ndim)) { _ in
            TaskSpec(inputs: [sRef, vtRef, utbRef]) { v in
                let sv = v[0] as! NDArray<T>, vtv = v[1] as! NDArray<T>, c = v[2] as! NDArray<T>
                let r = sv.count
                let smax = r > 0 ? sv.pointer[0] : 0
                // y = S⁺·(Uᵀb), then x = Vᵀᵀ·y
                let y = NDArray<T>(shape: [r, k]) { out in
                    guard let o = out.baseAddress else { return }
                    for i in 0..<r {
                        let si = sv.pointer[i]
                        let keep = si > cutoff * smax
                        for j in 0..<k { o[i * k + j] = keep ? c.pointer[i * k + j] / si : 0 }
                    }
                }
                let x = gemm(vtv, y, transA: true)
                return b.ndim == 2 ? x : try x.reshaped([n])
            }
        }
        let x = try ChunkedArray<T>(layer: xLayer, shape: b.ndim == 2 ? [n, k] : [n], chunks: b.ndim == 2 ? [[n], [k]] : [[n]])
        let residual: ChunkedArray<T> = try tall.matmul(x) - bm
        let squared: ChunkedArray<T> = try residual * residual
        let residuals = try squared.sum(axis: 0)
        let rankLayer = Layer(kind: "lstsq-rank", count: 1, grid: []) { _ in
            TaskSpec(inputs: [sRef]) { v in
                let sv = v[0] as! NDArray<T>
                let smax = sv.count > 0 ? sv.pointer[0] : 0
                return NDArray<Int64>(scalar: Int64((0..<sv.count).filter { sv.pointer[$0] > cutoff * smax }.count))
            }
        }
        return LeastSquares(solution: x, residuals: residuals as! ChunkedArray<T>,
                            rank: try ChunkedArray(layer: rankLayer, shape: [], chunks: []), singularValues: s)
    }
}
