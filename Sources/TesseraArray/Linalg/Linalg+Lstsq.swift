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
    /// The least-squares solution of `a·x ≈ b` for `a` (m × n) and `b` of shape (m) or (m × k)
    /// (NumPy's and Dask's `lstsq`); for a wide `a` (m < n) the minimum-norm solution.
    ///
    /// A tall (or square) `a` is factored by TSQR; when it is cut along columns it is first
    /// rechunked to one block of columns (it is tall, so a row of blocks is small). `b` is
    /// rechunked to `a`'s rows. A wide `a` is factored through its transpose (see `wideLstsq`);
    /// its `residuals` are empty, shape (0,), as NumPy's are when m < n.
    /// - Parameters:
    ///   - a: the m × n matrix.
    ///   - b: the right-hand side, m or m × k.
    ///   - rcond: singular values at or below `rcond·s_max` count as zero; `nil` means
    ///     machine epsilon × max(m, n), NumPy's default.
    /// - Returns: the solution, the residuals, the rank of `a` and its singular values.
    /// - Complexity: that of `qr` plus O(m·n·k) for Uᵀ·b and the residuals.
    /// - Throws: `LinalgError.wrongDimensions`, `.incompatibleDimensions` when the row counts
    ///   differ.
    public static func lstsq<T: LinalgScalar>(_ a: ChunkedArray<T>, _ b: ChunkedArray<T>, rcond: Double? = nil) throws -> LeastSquares<T> {
        let op = "lstsq"
        guard a.ndim == 2 else { throw LinalgError.wrongDimensions(operation: op, shape: a.shape, expected: "a 2-d matrix") }
        guard b.ndim == 1 || b.ndim == 2 else { throw LinalgError.wrongDimensions(operation: op, shape: b.shape, expected: "a 1-d or 2-d right-hand side") }
        guard a.shape[0] == b.shape[0] else {
            throw LinalgError.incompatibleDimensions(operation: op, lhs: a.shape, rhs: b.shape,
                                                     reason: "the matrix has \(a.shape[0]) rows but the right-hand side has \(b.shape[0])")
        }
        let m = a.shape[0], n = a.shape[1]
        if m < n { return try wideLstsq(a, b, rcond: rcond) }
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
                // y = S⁺·(Uᵀb), then x = Vᵀᵀ·y
                let x = gemm(vtv, pseudoInverseScaled(sv, c, columns: k, cutoff: cutoff), transA: true)
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

extension Linalg {
    /// `lstsq` for a wide `a` (m < n): TSQR of the tall Aᵀ = U′·S·V′ᵀ gives A = V′·S·U′ᵀ, so the
    /// minimum-norm solution is x = U′·S⁺·(V′ᵀ·b). V′ᵀ is small (K × m) and b has only m rows,
    /// so V′ᵀ·b is one small task; x comes out chunked like U′, i.e. like `a`'s columns.
    /// - Complexity: that of `qr` of Aᵀ plus O(n·K·k) for U′·y.
    static func wideLstsq<T: LinalgScalar>(_ a: ChunkedArray<T>, _ b: ChunkedArray<T>, rcond: Double?) throws -> LeastSquares<T> {
        let op = "lstsq"
        let m = a.shape[0], n = a.shape[1]
        let at = try a.transpose().rechunk(.sizes([a.chunks[1], [m]]))
        let (u, s, vt) = try svdFromTSQR(try TSQR(at, operation: op))
        let bm = try b.rechunk(.sizes(b.ndim == 2 ? [[m], [b.shape[1]]] : [[m]]))
        let c = try vt.tensordot(bm, axes: ([1], [0]), operation: op)        // (K) or (K × k), one block
        let cutoff = T(_double: rcond ?? Double(T._epsilon._double) * Double(Swift.max(m, n)))
        let k = b.ndim == 2 ? b.shape[1] : 1
        let kRoot = s.shape[0]
        let sRef = s.blockRef([0]), cRef = c.blockRef([Int](repeating: 0, count: c.ndim))
        let yLayer = Layer(kind: "lstsq-y", count: 1, grid: [1, 1]) { _ in
            TaskSpec(inputs: [sRef, cRef]) { v in pseudoInverseScaled(v[0] as! NDArray<T>, v[1] as! NDArray<T>, columns: k, cutoff: cutoff) }
        }
        let y = try ChunkedArray<T>(layer: yLayer, shape: [kRoot, k], chunks: [[kRoot], [k]])
        let x2 = try u.tensordot(y, axes: ([1], [0]), operation: op)        // (n × k), rows like u
        let x = b.ndim == 2 ? x2 : try x2.reshape([n], chunks: .sizes([x2.chunks[0]]))
        let rankLayer = Layer(kind: "lstsq-rank", count: 1, grid: []) { _ in
            TaskSpec(inputs: [sRef]) { v in NDArray<Int64>(scalar: Int64(effectiveRank(v[0] as! NDArray<T>, cutoff: cutoff))) }
        }
        return LeastSquares(solution: x, residuals: try ChunkedArray<T>.zeros(shape: [0]),
                            rank: try ChunkedArray(layer: rankLayer, shape: [], chunks: []), singularValues: s)
    }
}

/// The number of singular values (largest first) above `cutoff·s_max`.
func effectiveRank<T: LinalgScalar>(_ s: NDArray<T>, cutoff: T) -> Int {
    let smax = s.count > 0 ? s.pointer[0] : 0
    return (0..<s.count).filter { s.pointer[$0] > cutoff * smax }.count
}

/// S⁺·c as an (r × columns) block: rows of `c` divided by the singular values above
/// `cutoff·s_max`, zero for the rest (LAPACK's gelsd rule).
func pseudoInverseScaled<T: LinalgScalar>(_ sv: NDArray<T>, _ c: NDArray<T>, columns k: Int, cutoff: T) -> NDArray<T> {
    let r = sv.count
    let smax = r > 0 ? sv.pointer[0] : 0
    return NDArray<T>(shape: [r, k]) { out in
        guard let o = out.baseAddress else { return }
        for i in 0..<r {
            let si = sv.pointer[i]
            let keep = si > cutoff * smax
            for j in 0..<k { o[i * k + j] = keep ? c.pointer[i * k + j] / si : 0 }
        }
    }
}
