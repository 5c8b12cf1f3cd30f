/// NumPy broadcasting of two shapes: align trailing axes; each pair must be equal or contain a 1.
/// - Throws: `ArrayError.broadcastMismatch` naming both shapes.
public func broadcastShapes(_ a: [Int], _ b: [Int]) throws -> [Int] {
    let n = Swift.max(a.count, b.count)
    var out = [Int](repeating: 1, count: n)
    for k in 0..<n {
        let x = k < n - a.count ? 1 : a[k - (n - a.count)]
        let y = k < n - b.count ? 1 : b[k - (n - b.count)]
        guard x == y || x == 1 || y == 1 else { throw ArrayError.broadcastMismatch(lhs: a, rhs: b) }
        out[k] = x == 1 ? y : x
    }
    return out
}

/// The common refinement of two chunkings of one axis (Dask's `unify_chunks`): every boundary of
/// either is a boundary of the result.
func unifyChunks(_ a: [Int], _ b: [Int]) -> [Int] {
    if a == b { return a }
    var bounds = Set<Int>()
    var s = 0
    for x in a { s += x; bounds.insert(s) }
    s = 0
    for x in b { s += x; bounds.insert(s) }
    var prev = 0
    return bounds.sorted().compactMap { e in
        defer { prev = e }
        return e > prev ? e - prev : nil
    }
}

extension ChunkedArray {
    /// This array's expression read in output shape `shape` (broadcast), aligned to `chunks`.
    func expression(broadcastTo shape: [Int], chunks: [[Int]]) throws -> ExprNode<Scalar> {
        var e = expression
        if shape != self.shape {
            guard let t = e.transformed(.broadcast(from: self.shape, to: shape)) else {
                throw ArrayError.broadcastMismatch(lhs: self.shape, rhs: shape)
            }
            e = t
        }
        return try e.realigned(to: chunks)
    }

    /// The output chunks of a broadcast between this array and the given ones.
    static func broadcastChunks(_ shape: [Int], _ operands: [(shape: [Int], chunks: [[Int]])]) -> [[Int]] {
        (0..<shape.count).map { k in
            var c: [Int]? = nil
            for op in operands {
                let j = k - (shape.count - op.shape.count)
                guard j >= 0, op.shape[j] == shape[k] else { continue }
                c = c.map { unifyChunks($0, op.chunks[j]) } ?? op.chunks[j]
            }
            return c ?? regularChunks(shape[k], Swift.max(shape[k], 1))
        }
    }
}

/// Combines two arrays element-wise into a fused expression, broadcasting and realigning chunks.
func combine<A: ArrayScalar, B: ArrayScalar, R: ArrayScalar>(
    _ a: ChunkedArray<A>, _ b: ChunkedArray<B>, _ build: (ExprNode<A>, ExprNode<B>) -> ExprNode<R>
) throws -> ChunkedArray<R> {
    let shape = try broadcastShapes(a.shape, b.shape)
    let chunks = ChunkedArray<R>.broadcastChunks(shape, [(a.shape, a.chunks), (b.shape, b.chunks)])
    let ea = try a.expression(broadcastTo: shape, chunks: chunks)
    let eb = try b.expression(broadcastTo: shape, chunks: chunks)
    return ChunkedArray(expression: build(ea, eb), shape: shape, chunks: chunks)
}

extension ChunkedArray {
    /// A new fused array whose expression is `build(self's expression)`.
    func mapExpression<R: ArrayScalar>(_ build: (ExprNode<Scalar>) -> ExprNode<R>) -> ChunkedArray<R> {
        ChunkedArray<R>(expression: build(expression), shape: shape, chunks: chunks)
    }
}
