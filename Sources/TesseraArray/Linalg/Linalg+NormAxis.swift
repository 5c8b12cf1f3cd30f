import Tessera

extension Linalg {
    /// Vector norms along one axis (NumPy's `norm(x, ord, axis=axis)`): for a 2-d array, the norm
    /// of every column (`axis: 0`) or every row (`axis: 1`), one fused reduction over the blocks.
    ///
    /// ```swift
    /// let rowNorms = try Linalg.norm(x, axis: 1).compute()     // one 2-norm per row
    /// ```
    /// - Parameters:
    ///   - x: the array.
    ///   - ord: `.two` (default), `.one` (Σ|xᵢ|) or `.inf` (max|xᵢ|); `.fro` is for matrices.
    ///   - axis: the axis the vectors lie along; negative counts from the end.
    /// - Returns: a lazy array with `axis` removed.
    /// - Throws: `ArrayError.invalidAxis`; `LinalgError.invalidArgument` for `.fro`.
    /// - Complexity: one pass over the blocks.
    public static func norm<T: LinalgScalar>(_ x: ChunkedArray<T>, ord: NormOrder? = nil, axis: Int) throws -> ChunkedArray<T> {
        func real(_ a: ChunkedArray<T.SumScalar>) -> ChunkedArray<T> { a as! ChunkedArray<T> }
        guard axis >= -x.ndim && axis < x.ndim else { throw ArrayError.invalidAxis(axis: axis, ndim: x.ndim) }
        switch ord ?? .two {
        case .fro, .nuc: throw LinalgError.invalidArgument(operation: "norm", reason: "the Frobenius and nuclear norms are for matrices; use .two along an axis")
        case .one: return real(try x.abs().sum(axis: axis))
        case .two: return real(try (x * x).sum(axis: axis)).sqrt()
        case .inf:
            // max over zero elements has no identity; NumPy's norm of empty vectors is 0.
            if x.shape[(axis + x.ndim) % x.ndim] == 0 { return real(try x.abs().sum(axis: axis)) }
            return try x.abs().max(axis: axis)
        }
    }
}
