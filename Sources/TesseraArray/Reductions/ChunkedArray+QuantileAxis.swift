import Tessera

extension ChunkedArray {
    /// Exact quantiles `q` (0...1) along one axis of a 2-d array, linear interpolation (NumPy's
    /// `quantile(a, q, axis=axis)`): the array is rechunked so that each block holds whole
    /// vectors along `axis`, and each block's vectors are sorted on their own. A vector holding
    /// NaN gives NaN, as in NumPy.
    ///
    /// ```swift
    /// let medians = try x.quantile([0.5], axis: 0).compute()    // 1 × columns
    /// ```
    /// - Parameters:
    ///   - q: the quantiles, each in 0...1.
    ///   - axis: 0 (one result per column) or 1 (one per row); -1 is 1.
    /// - Returns: a lazy array of shape `[q.count, other axis]`, NumPy's layout.
    /// - Throws: `ArrayError.invalidArgument` for a q outside 0...1, an array that isn't 2-d or an
    ///   empty axis; `ArrayError.invalidAxis`.
    /// - Complexity: O(n log n) per vector, vectors in parallel blocks.
    public func quantile(_ q: [Double], axis: Int) throws -> ChunkedArray<Double> {
        guard q.allSatisfy({ $0 >= 0 && $0 <= 1 }), ndim == 2 else {
            throw ArrayError.invalidArgument(operation: "quantile", reason: "needs q in [0, 1] and a 2-d array, got q \(q) and shape \(shape)")
        }
        guard axis >= -2 && axis < 2 else { throw ArrayError.invalidAxis(axis: axis, ndim: ndim) }
        let ax = (axis + 2) % 2
        guard shape[ax] > 0 else { throw ArrayError.invalidArgument(operation: "quantile", reason: "axis \(ax) of shape \(shape) is empty") }
        let whole = try rechunk(.sizes(ax == 0 ? [[shape[0]], chunks[1]] : [chunks[0], [shape[1]]]))
        let other = 1 - ax, nq = q.count
        let layer = Layer(kind: "quantile-axis", count: whole.blockCount, grid: [1, whole.blockCount]) { i in
            TaskSpec(inputs: [whole.layer[i]]) { v in
                let block = v[0] as! NDArray<Scalar>
                let cols = block.shape[1]
                let vectors = block.shape[other], length = block.shape[ax]
                return block.withUnsafeBufferPointer { b in
                    NDArray<Double>(shape: [nq, vectors]) { out in
                        for k in 0..<vectors {
                            var values = (0..<length).map { j in (ax == 0 ? b[j * cols + k] : b[k * cols + j])._double }
                            let hasNaN = values.contains(where: \.isNaN)
                            values.sort()
                            for (p, qp) in q.enumerated() {
                                let pos = qp * Double(length - 1)
                                let lo = Int(pos.rounded(.down)), hi = Swift.min(lo + 1, length - 1)
                                out[p * vectors + k] = hasNaN ? .nan : numpyLerp(values[lo], values[hi], pos - Double(lo))
                            }
                        }
                    }
                }
            }
        }
        return try ChunkedArray<Double>(layer: layer, shape: [nq, shape[other]], chunks: [[nq], whole.chunks[other]])
    }

    /// Exact percentiles `q` (0...100) along one axis of a 2-d array: ``quantile(_:axis:)`` of `q / 100`.
    /// - Parameters:
    ///   - q: the percentiles, each in 0...100.
    ///   - axis: 0 (one result per column) or 1 (one per row).
    /// - Throws: as ``quantile(_:axis:)``.
    public func percentile(_ q: [Double], axis: Int) throws -> ChunkedArray<Double> {
        try quantile(q.map { $0 / 100 }, axis: axis)
    }
}
