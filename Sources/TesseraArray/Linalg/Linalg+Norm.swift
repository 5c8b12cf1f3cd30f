import Tessera

// Norms are reductions (fused with the element-wise abs/square that feeds them, one pass over the
// blocks), except the matrix 2-norm, the largest singular value: by TSQR and the SVD of R when
// the matrix is cut along rows only, otherwise from the small Gram matrix AᵀA (or AAᵀ, whichever
// is smaller), whose largest eigenvalue is σ_max² to working precision.

extension Linalg {
    /// Which norm `norm` computes (NumPy's `ord`).
    public enum NormOrder: Sendable, Equatable {
        /// Frobenius (matrices only): √Σ|aᵢⱼ|².
        case fro
        /// Vectors: Σ|xᵢ|. Matrices: the largest column sum of |aᵢⱼ|.
        case one
        /// Vectors: √Σ|xᵢ|². Matrices: the largest singular value.
        case two
        /// Vectors: max|xᵢ|. Matrices: the largest row sum of |aᵢⱼ|.
        case inf
        /// Nuclear (matrices only): the sum of the singular values.
        case nuc
    }

    /// The norm of a vector or matrix, as a lazy 0-d array (NumPy's `norm`). `ord` defaults to
    /// 2 for vectors and Frobenius for matrices; without `ord`, an array of any other number of
    /// dimensions is flattened and its 2-norm taken, as NumPy does. The norm of an empty array is
    /// 0 for every order (NumPy). Values whose squares overflow give inf, not NaN.
    ///
    /// ```swift
    /// let n = try Linalg.norm(x).compute().scalar!
    /// ```
    /// - Parameters:
    ///   - x: the array.
    ///   - ord: which norm; nil for NumPy's default.
    /// - Complexity: one pass over the blocks; the matrix 2-norm costs a TSQR or a Gram matrix,
    ///   the nuclear norm a TSQR of the matrix (or of its transpose, when wider than tall) with
    ///   its columns in one block.
    /// - Throws: `LinalgError.wrongDimensions` for an `ord` with other than 1-d or 2-d input;
    ///   `.invalidArgument` for Frobenius or nuclear norms of a vector (as NumPy).
    public static func norm<T: LinalgScalar>(_ x: ChunkedArray<T>, ord: NormOrder? = nil) throws -> ChunkedArray<T> {
        func real(_ a: ChunkedArray<T.SumScalar>) -> ChunkedArray<T> { a as! ChunkedArray<T> }
        if ord == nil && x.ndim != 1 && x.ndim != 2 { return real(try (x * x).sum()).sqrt() }
        guard x.ndim == 1 || x.ndim == 2 else {
            throw LinalgError.wrongDimensions(operation: "norm", shape: x.shape, expected: "a vector or a matrix (or no ord)")
        }
        if x.ndim == 1 && (ord == .fro || ord == .nuc) {
            throw LinalgError.invalidArgument(operation: "norm", reason: "the Frobenius and nuclear norms are for matrices; use .two for a vector")
        }
        // Maxima over zero elements have no identity, but NumPy's norm of an empty array is 0.
        if x.count == 0 { return try ChunkedArray<T>.zeros(shape: []) }
        let absx = x.abs()
        if x.ndim == 1 {
            switch ord ?? .two {
            case .fro, .nuc: throw LinalgError.invalidArgument(operation: "norm", reason: "the Frobenius and nuclear norms are for matrices; use .two for a vector")
            case .one: return real(try absx.sum())
            case .two: return real(try (x * x).sum()).sqrt()
            case .inf: return try absx.max()
            }
        }
        switch ord ?? .fro {
        case .fro: return real(try (x * x).sum()).sqrt()
        case .one: return try real(try absx.sum(axis: 0)).max()
        case .inf: return try real(try absx.sum(axis: 1)).max()
        case .two: return try largestSingularValue(x)
        case .nuc: return real(try singularValues(x).sum())
        }
    }

    /// All singular values of a matrix, through TSQR of the matrix or of its transpose (whichever
    /// is taller) with the columns gathered into one block. Unlike the Gram matrix, this keeps
    /// the small singular values to working precision.
    static func singularValues<T: LinalgScalar>(_ x: ChunkedArray<T>) throws -> ChunkedArray<T> {
        let tall = x.shape[0] >= x.shape[1] ? x : try x.transpose()
        let cols = tall.shape[1]
        let skinny = tall.numBlocks[1] == 1 ? tall : try tall.rechunk(.sizes([tall.chunks[0], [cols]]))
        return try svdFromTSQR(try TSQR(skinny, operation: "norm")).s
    }

    /// σ_max of a matrix, as a 0-d array.
    static func largestSingularValue<T: LinalgScalar>(_ x: ChunkedArray<T>) throws -> ChunkedArray<T> {
        let m = x.shape[0], n = x.shape[1]
        let pick: ChunkedArray<T>
        var isGram = false
        if x.chunks[1].count == 1 && m >= n {
            pick = try svdFromTSQR(try TSQR(x, operation: "norm")).s
        } else {
            // The Gram matrix of the smaller side, one block.
            let g = n <= m ? try x.tensordot(x, axes: ([0], [0]), operation: "norm")
                           : try x.tensordot(x, axes: ([1], [1]), operation: "norm")
            let d = g.shape[0]
            let one = try g.rechunk(.sizes([[d], [d]]))
            let gref = one.blockRef([0, 0])
            let layer = Layer(kind: "norm-gram-svd", count: 1, grid: [1]) { _ in
                TaskSpec(inputs: [gref]) { v in try SmallSVD(v[0] as! NDArray<T>).s }
            }
            pick = try ChunkedArray(layer: layer, shape: [Swift.min(d, d)], chunks: [[d]])
            isGram = true
        }
        let ref = pick.blockRef([0])
        let layer = Layer(kind: "norm-2", count: 1, grid: []) { [isGram] _ in
            TaskSpec(inputs: [ref]) { v in
                let s = v[0] as! NDArray<T>
                let top = s.count > 0 ? s.pointer[0] : 0
                return NDArray<T>(scalar: isGram ? top.squareRoot() : top)
            }
        }
        return try ChunkedArray(layer: layer, shape: [], chunks: [])
    }
}
