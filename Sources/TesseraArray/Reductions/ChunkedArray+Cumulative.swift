import Tessera

extension ChunkedArray {
    /// Cumulative sum along `axis` (NumPy's `cumsum`; integers and Bool accumulate in Int64).
    ///
    /// Three layers, as in Dask: each block scans itself; a chain along the axis carries the
    /// running total of the blocks before; each block adds its carry. A 0-d array counts as 1-d
    /// (axis 0 or -1) and gives shape (1,), as in NumPy.
    /// - Throws: `ArrayError.invalidAxis`.
    public func cumsum(axis: Int) throws -> ChunkedArray<Scalar.SumScalar> {
        try cumulative(axis: axis, op: .add, name: "cumsum")
    }

    /// Cumulative product along `axis`. - Throws: `ArrayError.invalidAxis`.
    public func cumprod(axis: Int) throws -> ChunkedArray<Scalar.SumScalar> {
        try cumulative(axis: axis, op: .multiply, name: "cumprod")
    }

    func cumulative(axis: Int, op: BinaryOp, name: String) throws -> ChunkedArray<Scalar.SumScalar> {
        typealias R = Scalar.SumScalar
        // NumPy treats a 0-d array as 1-d for axis 0 or -1: the result has shape (1,).
        if ndim == 0 && (axis == 0 || axis == -1) { return try reshape([1]).cumulative(axis: 0, op: op, name: name) }
        let k = try normalizedAxes([axis])[0]
        let src = astype(R.self).materialized()
        let grid = src.grid
        let counts = grid.counts
        // Scans a block along axis k in place: row i += row i-1, each row a contiguous run.
        @Sendable func scan(_ a: inout NDArray<R>) {
            let shape = a.shape
            let inner = shape[(k + 1)...].reduce(1, *), n = shape[k], outer = shape[..<k].reduce(1, *)
            guard n > 1, inner > 0 else { return }
            a.withUnsafeMutableBufferPointer { buf in
                let p = buf.baseAddress!
                for o in 0..<outer {
                    let base = p + o * n * inner
                    for i in 1..<n { R._binary(op, base + (i - 1) * inner, base + i * inner, base + i * inner, inner) }
                }
            }
        }
        // The last slice along k of a block (shape with axis k → 1).
        @Sendable func lastSlice(_ a: NDArray<R>) -> NDArray<R> {
            var s = a.shape
            let inner = s[(k + 1)...].reduce(1, *), n = s[k], outer = s[..<k].reduce(1, *)
            s[k] = 1
            return NDArray(shape: s) { out in
                for o in 0..<outer where n > 0 {
                    (out.baseAddress! + o * inner).update(from: a.pointer + (o * n + n - 1) * inner, count: inner)
                }
            }
        }
        let local = Layer(kind: "\(name)-block", count: grid.blockCount, grid: counts) { i in
            TaskSpec(inputs: [src.layer[i]]) { v in
                var a = v[0] as! NDArray<R>
                scan(&a)
                return a
            }
        }
        // carry[b] for b[k] >= 1: the combined totals of blocks 0..<b[k] along k.
        var carryRefs = [TaskRef?](repeating: nil, count: grid.blockCount)
        let carryLayer = Layer(kind: "\(name)-carry", count: grid.blockCount, grid: counts) { carryLayer, i in
            var b = grid.index(i)
            precondition(b[k] >= 1)
            b[k] -= 1
            let prev = grid.flat(b)
            let hasPrevCarry = b[k] >= 1
            let ins = hasPrevCarry ? [local[prev], carryLayer[prev]] : [local[prev]]
            return TaskSpec(inputs: ins) { v in
                var s = lastSlice(v[0] as! NDArray<R>)
                if hasPrevCarry {
                    let c = v[1] as! NDArray<R>
                    s.withUnsafeMutableBufferPointer { R._binary(op, c.pointer, $0.baseAddress!, $0.baseAddress!, $0.count) }
                }
                return s
            }
        }
        for i in 0..<grid.blockCount where grid.index(i)[k] >= 1 { carryRefs[i] = carryLayer[i] }
        let final = Layer(kind: name, count: grid.blockCount, grid: counts) { [carryRefs] i in
            guard let carry = carryRefs[i] else { return TaskSpec(inputs: [local[i]]) { $0[0] } }
            return TaskSpec(inputs: [local[i], carry]) { v in
                var a = v[0] as! NDArray<R>
                let c = v[1] as! NDArray<R>
                let shape = a.shape
                let inner = shape[(k + 1)...].reduce(1, *), n = shape[k], outer = shape[..<k].reduce(1, *)
                a.withUnsafeMutableBufferPointer { buf in
                    let p = buf.baseAddress!
                    for o in 0..<outer {
                        for r in 0..<n {
                            let row = p + (o * n + r) * inner
                            R._binary(op, c.pointer + o * inner, row, row, inner)
                        }
                    }
                }
                return a
            }
        }
        return ChunkedArray<R>(shape: shape, grid: grid, node: ArrayNode(layer: final))
    }
}
