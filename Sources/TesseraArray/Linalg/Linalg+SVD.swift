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
        func part(_ kind: String, _ shape: [Int], _ pick: @escaping @Sendable (SmallSVD<T>) -> NDArray<T>) throws -> ChunkedArray<T> {
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

// Randomised SVD (Halko, Martinsson, Tropp 2011, as Dask's `svd_compressed`): for any chunking.
//
//   Y = A·Ω              Ω (n × l) Gaussian, l = k + oversampling, chunked like A's columns
//   q power iterations   Y = A·orth(Aᵀ·orth(Y)) sharpen the spectrum (orth = TSQR's Q)
//   Q = orth(Y)          (m × l), rows chunked like A
//   Bᵀ = Aᵀ·Q            (n × l), a tensordot summed over A's row blocks
//   Bᵀ = U_b·S·V_bᵀ      by TSQR + gesdd, so A ≈ Q·B = (Q·V_b)·S·U_bᵀ
//
// Truncation to k happens on the small factors before anything tall is formed.

/// A one-block array whose only task computes `body` from `inputs`.
func oneBlock<T: ArrayScalar>(_ kind: String, shape: [Int], inputs: [TaskRef], _ body: @escaping @Sendable ([Any]) throws -> NDArray<T>) throws -> ChunkedArray<T> {
    let layer = Layer(kind: kind, count: 1, grid: shape.map { _ in 1 }) { _ in TaskSpec(inputs: inputs) { try body($0) } }
    return try ChunkedArray(layer: layer, shape: shape, chunks: shape.map { [$0] })
}

extension Linalg {
    /// An approximate rank-`k` SVD of a matrix of any chunking by randomised projection
    /// (Dask's `svd_compressed`): `a ≈ u·diag(s)·vt` with `u` (m × k, `a`'s row chunks),
    /// `s` (k) and `vt` (k × n, `a`'s column chunks). Exact (to rounding) when `a` has rank ≤ k.
    ///
    /// ```swift
    /// let (u, s, vt) = try Linalg.svdCompressed(a, k: 10, iterations: 2, seed: 42)
    /// ```
    /// - Parameters:
    ///   - a: the m × n matrix, any chunking.
    ///   - k: the number of singular triplets, `1...min(m, n)`.
    ///   - iterations: power iterations; 1–2 sharpen a slowly decaying spectrum.
    ///   - oversampling: extra random directions beyond `k` (Dask's default 10).
    ///   - seed: seed of the Gaussian test matrix (counter-based: any chunking, same result).
    /// - Complexity: (2 + 2·iterations) passes over `a`, each O(m·n·l) flops, l = k + oversampling.
    /// - Throws: `LinalgError.wrongDimensions` unless 2-d, `.invalidArgument` for `k` out of range.
    public static func svdCompressed<T: LinalgScalar>(_ a: ChunkedArray<T>, k: Int, iterations: Int = 0, oversampling: Int = 10,
                                                      seed: UInt64 = 0) throws -> (u: ChunkedArray<T>, s: ChunkedArray<T>, vt: ChunkedArray<T>) {
        let op = "svdCompressed"
        guard a.ndim == 2 else { throw LinalgError.wrongDimensions(operation: op, shape: a.shape, expected: "a 2-d matrix") }
        let m = a.shape[0], n = a.shape[1]
        guard k >= 1, k <= Swift.min(m, n), iterations >= 0, oversampling >= 0 else {
            throw LinalgError.invalidArgument(operation: op, reason: "k must be in 1...\(Swift.min(m, n)) for shape \(fmt(a.shape)), iterations and oversampling non-negative; got k \(k), iterations \(iterations), oversampling \(oversampling)")
        }
        let l = Swift.min(k + oversampling, Swift.min(m, n))
        let omega = try ChunkedArray<T>.randomNormal(shape: [n, l], chunks: .sizes([a.chunks[1], [l]]), seed: seed)
        func orth(_ y: ChunkedArray<T>) throws -> ChunkedArray<T> {
            let t = try TSQR(y, operation: op)
            return try t.q(transform: nil, columns: t.kRoot)
        }
        var y = try a.matmul(omega)
        for _ in 0..<iterations {
            let z = try a.tensordot(try orth(y), axes: ([0], [0]), operation: op)
            y = try a.matmul(try orth(z))
        }
        let q = try orth(y)
        let bt = try a.tensordot(q, axes: ([0], [0]), operation: op)      // (n × l)
        let t = try TSQR(bt, operation: op)
        let root = t.root
        let small = Layer(kind: "svd-r", count: 1) { _ in
            TaskSpec(inputs: [root]) { v in try SmallSVD((v[0] as! HouseholderFactor<T>).r) }
        }
        let lq = q.shape[1]
        let urk = try oneBlock("svd-ur", shape: [t.kRoot, k], inputs: [small[0]]) { v in columnSlice((v[0] as! SmallSVD<T>).u, 0..<k) }
        let ubk = try t.q(transform: urk.blockRef([0, 0]), columns: k)  // (n × k), rows chunked like a's columns
        let w = try oneBlock("svd-w", shape: [lq, k], inputs: [small[0]]) { v in
            transposed2D(rowSlice((v[0] as! SmallSVD<T>).vt, 0..<k))
        }
        let u = try q.matmul(w)
        let s = try oneBlock("svd-s", shape: [k], inputs: [small[0]]) { v in
            let sv = (v[0] as! SmallSVD<T>).s
            return try NDArray(shape: [k], scalars: Array(sv.scalars.prefix(k)))
        }
        let nb = ubk.numBlocks[0]
        let vtLayer = Layer(kind: "svd-vt", count: nb, grid: [1, nb]) { j in
            TaskSpec(inputs: [ubk.blockRef([j, 0])]) { v in transposed2D(v[0] as! NDArray<T>) }
        }
        let vt = try ChunkedArray<T>(layer: vtLayer, shape: [k, n], chunks: [[k], ubk.chunks[0]])
        return (u, s, vt)
    }
}
