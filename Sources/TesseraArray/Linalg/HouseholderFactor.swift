// The local step of TSQR: the Householder QR of one row-major block, kept in LAPACK's compact
// form (reflectors + tau) so Q is never formed unless asked for, and then only as Q·[T; 0].
//
// LAPACK works in column-major. We copy the block into column-major ourselves (one cache-blocked
// transpose, which we need anyway since the factorisation overwrites its input) and call `?geqr`,
// LAPACK's QR that picks a cache-blocked TSQR (`?latsqr`, row panels that fit in cache) for tall
// input. Measured on a 100,000 × 50 block, one core: dgeqr 0.11–0.15 s; column-major dgeqrf
// 0.27–0.33 s (its panel streams the whole block from memory once per reflector); dgelqf on the
// row-major memory seen as Aᵀ (no copy) 1.2–1.4 s. R is read out of the upper triangle; `Q·C` is one `?gemqr`
// (side L) on a column-major C, transposed back to row-major. (Side R on the row-major memory, which
// would save that transpose, is refused by this LAPACK's workspace checks.)

/// A block's QR factorisation in compact form.
struct HouseholderFactor<T: LinalgScalar>: @unchecked Sendable {
    /// The factored block in column-major order (`rows` × `columns`, leading dimension `rows`):
    /// R in its upper triangle, the reflectors below.
    let factored: NDArray<T>
    /// LAPACK's `T` array of `?geqr` (block reflector factors and the algorithm's parameters).
    let t: [T]
    /// Rows of the block.
    let rows: Int
    /// Columns of the block.
    let columns: Int
    /// Rows of R: `min(rows, columns)`.
    var k: Int { Swift.min(rows, columns) }

    /// Factors a copy of `a` (2-d, row-major).
    /// - Throws: `LinalgError.lapack` if `?geqr` reports an illegal argument.
    init(_ a: NDArray<T>) throws {
        let rows = a.shape[0], n = a.shape[1], k = Swift.min(rows, n)
        let f = NDArray<T>(shape: [n, rows]) { out in
            if let b = out.baseAddress, !out.isEmpty { transposeInto(b, from: a.pointer, rows: rows, columns: n) }
        }
        var t = [T](repeating: 0, count: 5)
        if k > 0 {
            var info = t.withUnsafeMutableBufferPointer { T._geqr(m: rows, n: n, a: f.mutablePointer, lda: rows, t: $0.baseAddress!, tsize: -1) }
            guard info == 0 else { throw LinalgError.lapack(routine: "geqr", info: Int(info)) }
            t = [T](repeating: 0, count: Swift.max(5, Int(t[0]._double)))
            let tsize = t.count
            info = t.withUnsafeMutableBufferPointer { T._geqr(m: rows, n: n, a: f.mutablePointer, lda: rows, t: $0.baseAddress!, tsize: tsize) }
            guard info == 0 else { throw LinalgError.lapack(routine: "geqr", info: Int(info)) }
        }
        self.factored = f
        self.t = t
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
    /// - Throws: `LinalgError.lapack` if `?gemqr` fails.
    func apply(_ t: NDArray<T>) throws -> NDArray<T> {
        let kk = t.shape[1], kt = t.shape[0], rows = self.rows
        guard rows > 0 && kk > 0 && k > 0 else {
            return NDArray<T>(shape: [rows, kk]) { out in
                guard let o = out.baseAddress, !out.isEmpty else { return }
                o.initialize(repeating: 0, count: out.count)
                o.update(from: t.pointer, count: t.count)
            }
        }
        // [t; 0] in column-major (rows × kk), then Q·C in place, then back to row-major.
        let c = NDArray<T>(shape: [kk, rows]) { out in
            let o = out.baseAddress!
            o.initialize(repeating: 0, count: out.count)
            for i in 0..<kt { for j in 0..<kk { o[j * rows + i] = t.pointer[i * kk + j] } }
        }
        let info = self.t.withUnsafeBufferPointer {
            T._gemqrLeft(m: rows, n: kk, k: k, a: factored.pointer, lda: rows, t: $0.baseAddress!, tsize: $0.count,
                         c: c.mutablePointer, ldc: rows)
        }
        guard info == 0 else { throw LinalgError.lapack(routine: "gemqr", info: Int(info)) }
        return NDArray<T>(shape: [rows, kk]) { out in transposeInto(out.baseAddress!, from: c.pointer, rows: kk, columns: rows) }
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
