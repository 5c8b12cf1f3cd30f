import Tessera

extension ChunkedArray {
    /// Exact quantiles `q` (0...1) along one axis, linear interpolation (NumPy's
    /// `quantile(a, q, axis=axis)`): the array is rechunked so that each block holds whole
    /// vectors along `axis`, and each block's vectors are sorted on their own. A vector holding
    /// NaN gives NaN, as in NumPy.
    ///
    /// ```swift
    /// let medians = try x.quantile([0.5], axis: 0).compute()    // 1 × columns
    /// ```
    /// - Parameters:
    ///   - q: the quantiles, each in 0...1.
    ///   - axis: the axis to reduce; negative counts from the end.
    /// - Returns: a lazy array of shape `[q.count]` followed by the shape without `axis`, NumPy's
    ///   layout.
    /// - Throws: `ArrayError.invalidArgument` for a q outside 0...1, a 0-d array or an empty
    ///   axis; `ArrayError.invalidAxis`.
    /// - Complexity: O(n log n) per vector, vectors in parallel blocks.
    public func quantile(_ q: [Double], axis: Int) throws -> ChunkedArray<Double> {
        guard q.allSatisfy({ $0 >= 0 && $0 <= 1 }), ndim >= 1 else {
            throw ArrayError.invalidArgument(operation: "quantile", reason: "needs q in [0, 1] and at least one axis, got q \(q) and shape \(shape)")
        }
        guard axis >= -ndim && axis < ndim else { throw ArrayError.invalidAxis(axis: axis, ndim: ndim) }
        let ax = (axis + ndim) % ndim
        guard shape[ax] > 0 else { throw ArrayError.invalidArgument(operation: "quantile", reason: "axis \(ax) of shape \(shape) is empty") }
        var wholeChunks = chunks
        wholeChunks[ax] = [shape[ax]]
        let whole = try rechunk(.sizes(wholeChunks))
        let nq = q.count
        var otherChunks = whole.chunks, otherShape = shape, otherGrid = whole.chunks.map(\.count)
        otherChunks.remove(at: ax)
        otherShape.remove(at: ax)
        otherGrid.remove(at: ax)
        // Removing the axis (one block along it) and putting the q axis (one block) in front
        // keeps every block's row-major position.
        let layer = Layer(kind: "quantile-axis", count: whole.blockCount, grid: [1] + otherGrid) { i in
            TaskSpec(inputs: [whole.layer[i]]) { v in
                let block = v[0] as! NDArray<Scalar>
                let length = block.shape[ax]
                let outer = block.shape[..<ax].reduce(1, *), inner = block.shape[(ax + 1)...].reduce(1, *)
                let vectors = outer * inner
                var outShape = block.shape
                outShape.remove(at: ax)
                return block.withUnsafeBufferPointer { b in
                    NDArray<Double>(shape: [nq] + outShape) { out in
                        var values = [Double](repeating: 0, count: length)
                        for o in 0..<outer {
                            for i in 0..<inner {
                                for j in 0..<length { values[j] = b[(o * length + j) * inner + i]._double }
                                let hasNaN = values.contains(where: \.isNaN)
                                values.sort()
                                for (p, qp) in q.enumerated() {
                                    let pos = qp * Double(length - 1)
                                    let lo = Int(pos.rounded(.down)), hi = Swift.min(lo + 1, length - 1)
                                    out[p * vectors + o * inner + i] = hasNaN ? .nan : numpyLerp(values[lo], values[hi], pos - Double(lo))
                                }
                            }
                        }
                    }
                }
            }
        }
        return try ChunkedArray<Double>(layer: layer, shape: [nq] + otherShape, chunks: [[nq]] + otherChunks)
    }

    /// Exact percentiles `q` (0...100) along one axis: ``quantile(_:axis:)`` of `q / 100`.
    /// - Parameters:
    ///   - q: the percentiles, each in 0...100.
    ///   - axis: the axis to reduce; negative counts from the end.
    /// - Throws: as ``quantile(_:axis:)``.
    public func percentile(_ q: [Double], axis: Int) throws -> ChunkedArray<Double> {
        try quantile(q.map { $0 / 100 }, axis: axis)
    }
}
