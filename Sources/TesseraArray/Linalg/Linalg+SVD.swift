import Tessera

// SVD of a tall-and-skinny matrix: TSQR gives A = Q·R; the small R (K × n) is decomposed by
// `?gesdd` as R = U_R·S·Vᵀ, and U = Q·U_R is recovered in TSQR's down pass with U_R as the root
// transform, so U costs no more than Q.

/// The SVD of one small block: `a = u·diag(s)·vt`, thin.
struct SmallSVD<T: LinalgScalar>: @unchecked Sendable {
    let u: NDArray<T>
    let s: NDArray<T>
    let vt: NDArray<T>

    /// - Throws: `LinalgError.lapack` when `?gesdd` fails to converge.
    init(_ a: NDArray<T>) throws {
        let m = a.shape[0], n = a.shape[1], k = Swift.min(m, n)
        let work = NDArray<T>(shape: [m, n]) { out in
            if let b = out.baseAddress, !out.isEmpty { b.update(from: a.pointer, count: out.count) }
        }
        let u = NDArray<T>(shape: [m, k]) { _ in }, s = NDArray<T>(shape: [k]) { _ in }, vt = NDArray<T>(shape: [k, n]) { _ in }
        if k > 0 {
            let info = T._gesdd(m: m, n: n, a: work.mutablePointer, lda: n, s: s.mutablePointer,
                                u: u.mutablePointer, ldu: k, vt: vt.mutablePointer, ldvt: n)
            guard info == 0 else { throw LinalgError.lapack(routine: "gesdd", info: Int(info)) }
        }
        self.u = u
        self.s = s
        self.vt = vt
    }
}

extension Linalg {
    /// The singular value decomposition of a tall-and-skinny matrix, `a = u·diag(s)·vt`
    /// (thin: K = min(m, n) singular values, largest first), by TSQR and `?gesdd` on R.
    /// `u` has `a`'s row chunks; `s` and `vt` are one block each.
    ///
    /// ```swift
    /// let (u, s, vt) = try Linalg.svd(a)
    /// ```
    /// - Complexity: that of `qr`, plus O(n³) for the SVD of R.
    /// - Throws: what `qr` throws (`LinalgError.notTallAndSkinny` names the rechunk); a
    ///   `LinalgError.lapack` from a task if `?gesdd` does not converge.
    public static func svd<T: LinalgScalar>(_ a: ChunkedArray<T>) throws -> (u: ChunkedArray<T>, s: ChunkedArray<T>, vt: ChunkedArray<T>) {
        let t = try TSQR(a, operation: "svd")
        return try svdFromTSQR(t)
    }

    static func svdFromTSQR<T: LinalgScalar>(_ t: TSQR<T>) throws -> (u: ChunkedArray<T>, s: ChunkedArray<T>, vt: ChunkedArray<T>) {
        let k = t.kRoot, n = t.n
        let root = t.root
        let small = Layer(kind: "svd-r", count: 1) { _ in
            TaskSpec(inputs: [root]) { v in try SmallSVD((v[0] as! HouseholderFactor<T>).r) }
        }
        func part(_ kind: String, _ shape: [Int], _ pick: @escaping (SmallSVD<T>) -> NDArray<T>) throws -> ChunkedArray<T> {
            let layer = Layer(kind: kind, count: 1, grid: shape.map { _ in 1 }) { _ in
                TaskSpec(inputs: [small[0]]) { v in pick(v[0] as! SmallSVD<T>) }
            }
            return try ChunkedArray(layer: layer, shape: shape, chunks: shape.map { [$0] })
        }
        let ur = try part("svd-ur", [k, k]) { $0.u }
        let u = try t.q(transform: ur.blockRef([0, 0]), columns: k)
        return (u, try part("svd-s", [k]) { $0.s }, try part("svd-vt", [k, n]) { $0.vt })
    }
}
