import Tessera

// eigh: the whole matrix meets in one task and LAPACK's divide-and-conquer `?syevd` decomposes
// it. An eigendecomposition has no block algorithm that beats this for a matrix that fits in
// memory (Dask has none at all); what the graph adds is that the matrix may come from any lazy
// computation — a covariance, a Gram matrix — without the caller assembling it.

extension Linalg {
    /// The eigenvalues and eigenvectors of a real symmetric matrix (NumPy's `eigh`): eigenvalues
    /// in ascending order, `v[:, i]` the unit eigenvector of `w[i]`, so `a·v = v·diag(w)` and
    /// `vᵀ·v = I`. Only the lower triangle is read (NumPy's default `UPLO='L'`); symmetry is not
    /// checked. The matrix must fit in one task's memory: its blocks are gathered into one.
    ///
    /// ```swift
    /// let (w, v) = try Linalg.eigh(x.cov(rowvar: false))
    /// ```
    /// - Parameter a: a square matrix, any chunking.
    /// - Returns: lazy `w` (n, one block) and `v` (n × n, one block).
    /// - Throws: `LinalgError.notSquare`, `.wrongDimensions` now; `LinalgError.lapack` from the
    ///   task if `?syevd` does not converge.
    /// - Complexity: O(n³) flops in one task, after one gather of the blocks.
    public static func eigh<T: LinalgScalar>(_ a: ChunkedArray<T>) throws -> (w: ChunkedArray<T>, v: ChunkedArray<T>) {
        guard a.ndim == 2 else { throw LinalgError.wrongDimensions(operation: "eigh", shape: a.shape, expected: "a 2-d matrix") }
        guard a.shape[0] == a.shape[1] else { throw LinalgError.notSquare(operation: "eigh", shape: a.shape) }
        _ = OpenBLASKernels.ensured
        let n = a.shape[0]
        let whole = a.numBlocks == [1, 1] ? a : try a.rechunk(.sizes([[n], [n]]))
        let decomposition = Layer(kind: "eigh", count: 1) { _ in
            TaskSpec(inputs: [whole.blockRef([0, 0])]) { v in
                let m = v[0] as! NDArray<T>
                let vectors = NDArray<T>(shape: [n, n]) { out in
                    if let o = out.baseAddress, !out.isEmpty { o.update(from: m.pointer, count: out.count) }
                }
                let values = NDArray<T>(shape: [n]) { out in
                    if let o = out.baseAddress, !out.isEmpty { o.initialize(repeating: 0, count: out.count) }
                }
                if n > 0 {
                    let info = T._syevd(n: n, a: vectors.mutablePointer, lda: n, w: values.mutablePointer)
                    guard info == 0 else { throw LinalgError.lapack(routine: "syevd", info: Int(info)) }
                }
                return [values, vectors]
            }
        }
        let w = try oneBlock("eigh-w", shape: [n], inputs: [decomposition[0]]) { ($0[0] as! [NDArray<T>])[0] }
        let v = try oneBlock("eigh-v", shape: [n, n], inputs: [decomposition[0]]) { ($0[0] as! [NDArray<T>])[1] }
        return (w, v)
    }
}
