// The local step of TSQR: the Householder QR of one row-major block, kept in LAPACK's compact
// form (reflectors + tau) so Q is never formed unless asked for, and then only as Q·[T; 0].
//
// LAPACK works in column-major. We copy the block into column-major ourselves (one cache-blocked
// transpose, which we need anyway since `?geqrf` overwrites its input) and call `?geqrf` there.
// Measured on a 100,000 × 50 block: column-major dgeqrf ≈ 0.5–0.8 s; LAPACKE's row-major dgeqrf
// (it transposes in and out) ≈ 0.65–0.75 s; dgelqf on the row-major memory seen as Aᵀ (no copy)
// ≈ 1.2–1.4 s, because the LQ panel walks rows with a stride. R is read out of the upper triangle;
// `Q·C` for a row-major C (rows × K) is, in column-major terms, `Cᵀ·Qᵀ`: one `?ormqr` (side R,
// transpose) straight on C's memory.

/// A block's QR factorisation in compact form.
struct HouseholderFactor<T: LinalgScalar>: @unchecked Sendable {
    /// The factored block in column-major order (`rows` × `columns`, leading dimension `rows`):
    /// R in its upper triangle, the reflectors below.
    let factored: NDArray<T>
    /// The reflectors' scalar factors.
    let tau: [T]
    /// Rows of the block.
    let rows: Int
    /// Columns of the block.
    let columns: Int
    /// Rows of R: `min(rows, columns)`.
    var k: Int { Swift.min(rows, columns) }

    /// Factors a copy of `a` (2-d, row-major).
    /// - Throws: `LinalgError.lapack` if `?geqrf` reports an illegal argument.
    init(_ a: NDArray<T>) throws {
        let rows = a.shape[0], n = a.shape[1], k = Swift.min(rows, n)
        let f = NDArray<T>(shape: [n, rows]) { out in
            if let b = out.baseAddress, !out.isEmpty { transposeInto(b, from: a.pointer, rows: rows, columns: n) }
        }
        var tau = [T](repeating: 0, count: Swift.max(k, 1))
        if k > 0 {
            let info = tau.withUnsafeMutableBufferPointer { T._geqrf(m: rows, n: n, a: f.mutablePointer, lda: rows, tau: $0.baseAddress!) }
            guard info == 0 else { throw LinalgError.lapack(routine: "geqrf", info: Int(info)) }
        }
        self.factored = f
        self.tau = tau
        self.rows = rows
        self.columns = n
    }

    /// The upper-triangular (trapezoidal) factor R, `k × columns`, row-major.
    var r: NDArray<T> {
        let n = columns, k = self.k, rows = self.rows, f = factored.pointer
        return NDArray<T>(shape: [k, n]) { out in
            guard let o = out.baseAddress else { return }
            for i in 0..<k {
                for j in 0..<n { o[i * n + j] = j >= i ? f[i + j * rows] : 0 }
            }
        }
    }

    /// `Q·[t; 0]`: the block's full orthogonal factor applied to `t` (`k' × K`, `k' ≤ rows`)
    /// padded with zero rows, giving `rows × K` (row-major). With `t` the identity this is the
    /// thin Q.
    /// - Throws: `LinalgError.lapack` if `?ormqr` fails.
    func apply(_ t: NDArray<T>) throws -> NDArray<T> {
        let kk = t.shape[1], rows = self.rows
        let c = NDArray<T>(shape: [rows, kk]) { out in
            guard let o = out.baseAddress, !out.isEmpty else { return }
            o.initialize(repeating: 0, count: out.count)
            o.update(from: t.pointer, count: t.count)
        }
        if rows > 0 && kk > 0 && k > 0 {
            let info = tau.withUnsafeBufferPointer {
                T._ormqrRightTransposed(m: kk, n: rows, k: k, a: factored.pointer, lda: rows, tau: $0.baseAddress!,
                                        c: c.mutablePointer, ldc: kk)
            }
            guard info == 0 else { throw LinalgError.lapack(routine: "ormqr", info: Int(info)) }
        }
        return c
    }
}

/// `dst` (column-major rows × columns, i.e. row-major columns × rows) = `src` (row-major
/// rows × columns), in 64 × 64 tiles so both sides stay in cache.
func transposeInto<T>(_ dst: UnsafeMutablePointer<T>, from src: UnsafePointer<T>, rows: Int, columns: Int) {
    let tile = 64
    var i0 = 0
    while i0 < rows {
        let i1 = Swift.min(rows, i0 + tile)
        var j0 = 0
        while j0 < columns {
            let j1 = Swift.min(columns, j0 + tile)
            for i in i0..<i1 {
                for j in j0..<j1 { dst[j * rows + i] = src[i * columns + j] }
            }
            j0 = j1
        }
        i0 = i1
    }
}
