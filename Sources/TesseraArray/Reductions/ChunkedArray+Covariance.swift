import Tessera

// cov and corrcoef as NumPy computes them, in one pass over the blocks: each block of
// observations becomes a `PairwiseMoments` (its own means, then the centred block's cross
// products with one BLAS call), and the states merge in a tree.

extension ChunkedArray where Scalar: NumericScalar {
    /// The covariance matrix of the variables: NumPy's `cov`. A NaN anywhere in a variable makes
    /// its row and column NaN, as in NumPy.
    ///
    /// ```swift
    /// let x = try df.toArray(["DepDelay", "ArrDelay"])          // observations × variables
    /// let c = try x.cov(rowvar: false).compute()                 // 2 × 2
    /// ```
    /// - Parameters:
    ///   - rowvar: true when each row is a variable (NumPy's default), false when each column is.
    ///   - ddof: delta degrees of freedom (1, NumPy's default; 0 is `bias=True`).
    /// - Returns: a lazy `k × k` array for `k` variables (`1 × 1` for a 1-d array).
    /// - Throws: `ArrayError.invalidArgument` for an array of more than two axes.
    /// - Complexity: O(observations × k²) work in parallel blocks; O(k²) per merge.
    public func cov(rowvar: Bool = true, ddof: Int = 1) throws -> ChunkedArray<Double> {
        try covarianceArray(rowvar: rowvar, name: "cov") { $0.covariance(ddof: ddof) }
    }

    /// The Pearson correlation coefficients: NumPy's `corrcoef` (the covariance over the product
    /// of standard deviations, clipped to [-1, 1]).
    /// - Parameter rowvar: true when each row is a variable, false when each column is.
    /// - Returns: a lazy `k × k` array.
    /// - Throws: `ArrayError.invalidArgument` for an array of more than two axes.
    /// - Complexity: as ``cov(rowvar:ddof:)``.
    public func corrcoef(rowvar: Bool = true) throws -> ChunkedArray<Double> {
        try covarianceArray(rowvar: rowvar, name: "corrcoef") { m in
            let c = m.covariance(ddof: 1), k = m.variables
            let sd = (0..<k).map { c[$0 * k + $0].squareRoot() }
            return c.indices.map { p in clippedToUnit(c[p] / sd[p / k] / sd[p % k]) }
        }
    }

    /// The observations as rows (variables as columns, in one column block), each block's
    /// moments merged in a tree, then `finish` on the merged state.
    private func covarianceArray(rowvar: Bool, name: String,
                                 _ finish: @escaping @Sendable (PairwiseMoments) -> [Double]) throws -> ChunkedArray<Double> {
        guard ndim == 1 || ndim == 2 else {
            throw ArrayError.invalidArgument(operation: name, reason: "needs a 1-d or 2-d array, got shape \(shape)")
        }
        var x = self
        if ndim == 1 { x = try x.reshape([shape[0], 1], chunks: .sizes([chunks[0], [1]])) }
        else if rowvar { x = try x.transpose() }
        let k = x.shape[1]
        x = try x.rechunk(.sizes([x.chunks[0], [k]]))
        let parts = x.blockPartials("\(name)-chunk") { values -> PairwiseMoments in
            let r = values.count / Swift.max(k, 1)
            var means = [Double](repeating: 0, count: k)
            for i in 0..<r { for j in 0..<k { means[j] += values[i * k + j]._double } }
            for j in 0..<k { means[j] /= Double(Swift.max(r, 1)) }
            let centred = NDArray<Double>(shape: [r, k]) { out in
                for i in 0..<r { for j in 0..<k { out[i * k + j] = values[i * k + j]._double - means[j] } }
            }
            return PairwiseMoments(count: r, means: means, crossDeviations: gemm(centred, centred, transA: true).scalars)
        }
        let root = treeReduce(parts, name: "\(name)-combine", fanIn: defaultFanIn) { states in
            PairwiseMoments.merged(states.map { $0 as! PairwiseMoments })
        }
        let layer = Layer(kind: name, count: 1, grid: [1, 1]) { _ in
            TaskSpec(inputs: [root]) { try NDArray<Double>(shape: [k, k], scalars: finish($0[0] as! PairwiseMoments)) }
        }
        return try ChunkedArray<Double>(layer: layer, shape: [k, k], chunks: [[k], [k]])
    }
}
