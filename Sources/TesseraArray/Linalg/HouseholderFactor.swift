// The local step of TSQR: the Householder QR of one row-major block, kept in LAPACK's compact
// form (reflectors + tau) so Q is never formed unless asked for, and then only as Q·[T; 0].
//
// LAPACK is called in column-major on the row-major memory: the block A (rows × n) *is* the
// column-major Aᵀ (n × rows), whose LQ factorisation Aᵀ = L·Qₗ (`?gelqf`) is A's QR with
// R = Lᵀ and Q = Qₗᵀ. R's rows are the first rows of the factored block; `Q·C` for a row-major
// C (rows × K) is `Cᵀ·Qₗ` in column-major, one `?ormlq` call (side R, no transpose). No
// transposing copies are made, which matters on blocks of 100,000 × 50.

/// A block's QR factorisation in compact form.
struct HouseholderFactor<T: LinalgScalar>: @unchecked Sendable {
    /// The factored block: R in its upper triangle, the reflectors below (LAPACK's layout, seen
    /// through the transpose).
    let factored: NDArray<T>
    /// The reflectors' scalar factors.
    let tau: [T]
    /// Rows of the factored block.
    var rows: Int { factored.shape[0] }
    /// Columns of the block.
    var columns: Int { factored.shape[1] }
    /// Rows of R: `min(rows, columns)`.
    var k: Int { Swift.min(rows, columns) }

    /// Factors a copy of `a` (2-d).
    /// - Throws: `LinalgError.lapack` if `?gelqf` reports an illegal argument.
    init(_ a: NDArray<T>) throws {
        let rows = a.shape[0], n = a.shape[1], k = Swift.min(rows, n)
        let f = NDArray<T>(shape: a.shape) { out in
            if let b = out.baseAddress, !out.isEmpty { b.update(from: a.pointer, count: out.count) }
        }
        var tau = [T](repeating: 0, count: Swift.max(k, 1))
        if k > 0 {
            let info = tau.withUnsafeMutableBufferPointer { T._gelqf(m: n, n: rows, a: f.mutablePointer, lda: n, tau: $0.baseAddress!) }
            guard info == 0 else { throw LinalgError.lapack(routine: "gelqf", info: Int(info)) }
        }
        self.factored = f
        self.tau = tau
    }

    /// The upper-triangular (trapezoidal) factor R, `k × columns`.
    var r: NDArray<T> {
        let n = columns, k = self.k, f = factored.pointer
        return NDArray<T>(shape: [k, n]) { out in
            guard let o = out.baseAddress else { return }
            for j in 0..<k {
                for i in 0..<n { o[j * n + i] = i >= j ? f[j * n + i] : 0 }
            }
        }
    }

    /// `Q·[t; 0]`: the block's full orthogonal factor applied to `t` (`k' × K`, `k' ≤ rows`)
    /// padded with zero rows, giving `rows × K`. With `t` the identity this is the thin Q.
    /// - Throws: `LinalgError.lapack` if `?ormlq` fails.
    func apply(_ t: NDArray<T>) throws -> NDArray<T> {
        let kk = t.shape[1], rows = self.rows
        let c = NDArray<T>(shape: [rows, kk]) { out in
            guard let o = out.baseAddress, !out.isEmpty else { return }
            o.initialize(repeating: 0, count: out.count)
            o.update(from: t.pointer, count: t.count)
        }
        if rows > 0 && kk > 0 && k > 0 {
            let info = tau.withUnsafeBufferPointer {
                T._ormlqRight(m: kk, n: rows, k: k, a: factored.pointer, lda: columns, tau: $0.baseAddress!,
                              c: c.mutablePointer, ldc: kk)
            }
            guard info == 0 else { throw LinalgError.lapack(routine: "ormlq", info: Int(info)) }
        }
        return c
    }
}
