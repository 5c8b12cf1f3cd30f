import Tessera

extension ChunkedArray {
    /// Cuts an in-memory array into blocks (Dask's `from_array`).
    ///
    /// Each block becomes one already-computed task holding a copy of its part.
    /// - Throws: `ArrayError.invalidChunks` when `chunks` doesn't fit the shape.
    /// - Complexity: O(n) copying.
    public init(_ array: NDArray<Scalar>, chunks: Chunks = .auto) throws {
        let resolved = try chunks.resolve(shape: array.shape, itemSize: Scalar.dtype.itemSize)
        let grid = BlockGrid(resolved)
        var blocks: [NDArray<Scalar>] = []
        blocks.reserveCapacity(grid.blockCount)
        for i in 0..<grid.blockCount {
            let b = grid.index(i)
            let origin = grid.origin(b), bshape = grid.shape(b)
            if grid.blockCount == 1 { blocks.append(array); break }
            blocks.append(NDArray<Scalar>(shape: bshape) { out in
                guard let base = out.baseAddress, !out.isEmpty else { return }
                copyRegion(from: array, origin: [Int](repeating: 0, count: array.ndim), into: base, shape: bshape,
                           strides: rowMajorStrides(bshape), origin: origin)
            })
        }
        self.init(shape: array.shape, grid: grid, node: ArrayNode(layer: Layer(kind: "array", values: blocks, grid: grid.counts)))
    }

    /// Cuts a Swift array of `shape` into blocks.
    /// - Throws: `ArrayError.shapeMismatch` or `.invalidChunks`.
    public init(_ scalars: [Scalar], shape: [Int]? = nil, chunks: Chunks = .auto) throws {
        try self.init(NDArray(shape: shape ?? [scalars.count], scalars: scalars), chunks: chunks)
    }

    /// An array of `shape` filled with `value`; no memory is touched until a consumer needs it.
    /// - Throws: `ArrayError.invalidChunks`, or `.invalidArgument` for a negative length or a
    ///   shape whose element or byte count overflows.
    public static func full(shape: [Int], value: Scalar, chunks: Chunks = .auto) throws -> ChunkedArray {
        try validate(shape)
        return ChunkedArray(expression: ConstLeaf(value), shape: shape, chunks: try chunks.resolve(shape: shape, itemSize: Scalar.dtype.itemSize))
    }

    /// An array of zeros (false).
    public static func zeros(shape: [Int], chunks: Chunks = .auto) throws -> ChunkedArray {
        try full(shape: shape, value: .zero, chunks: chunks)
    }

    /// An array of ones (true).
    public static func ones(shape: [Int], chunks: Chunks = .auto) throws -> ChunkedArray {
        try full(shape: shape, value: .one, chunks: chunks)
    }

    /// Checks a shape from the user: non-negative lengths whose element and byte counts fit.
    /// - Throws: `ArrayError.invalidArgument`.
    static func validate(_ shape: [Int]) throws {
        _ = try checkedElementCount(shape, itemSize: Scalar.dtype.itemSize, operation: "shape")
    }

    static func generated(_ g: IndexGenerator, shape: [Int], chunks: Chunks) throws -> ChunkedArray {
        try validate(shape)
        let c = try chunks.resolve(shape: shape, itemSize: Scalar.dtype.itemSize)
        return ChunkedArray(expression: IndexLeaf(g, map: .rowMajor(shape)), shape: shape, chunks: c)
    }

    /// Values `start, start+step, …` below `stop` (NumPy's `arange`), 1-d.
    /// - Throws: `ArrayError.invalidArgument` when `step` is 0 or not finite, or when the
    ///   element count does not fit (NumPy's "maximum allowed size exceeded").
    public static func arange(_ start: Double = 0, _ stop: Double, step: Double = 1, chunks: Chunks = .auto) throws -> ChunkedArray {
        guard step != 0, step.isFinite, start.isFinite, stop.isFinite else {
            throw ArrayError.invalidArgument(operation: "arange", reason: "step must be finite and non-zero, got \(step)")
        }
        // The length as a Double first: Int(1e300) would trap (or wrap under -Ounchecked).
        let length = ((stop - start) / step).rounded(.up)
        guard length.isFinite, length < Double(maximumElementCount(itemSize: Scalar.dtype.itemSize)) else {
            throw ArrayError.invalidArgument(operation: "arange", reason: "maximum allowed size exceeded: \(start) to \(stop) by \(step) has \(length) elements")
        }
        let n = Swift.max(0, Int(length))
        return try generated(.linear(start: start, step: step), shape: [n], chunks: chunks)
    }

    /// `num` evenly spaced values from `start` to `stop` (NumPy's `linspace`).
    /// - Throws: `ArrayError.invalidArgument` for a negative `num`.
    public static func linspace(_ start: Double, _ stop: Double, num: Int = 50, endpoint: Bool = true, chunks: Chunks = .auto) throws -> ChunkedArray {
        guard num >= 0 else { throw ArrayError.invalidArgument(operation: "linspace", reason: "num must be non-negative, got \(num)") }
        let div = endpoint ? num - 1 : num
        let step = div > 0 ? (stop - start) / Double(div) : 0
        return try generated(.linspace(start: start, step: step, lastIndex: endpoint && num > 1 ? num - 1 : -1, last: stop),
                             shape: [num], chunks: chunks)
    }

    /// The `n`×`m` identity-like matrix with ones on diagonal `k` (NumPy's `eye`).
    /// - Throws: `ArrayError.invalidArgument` for negative sizes.
    public static func eye(_ n: Int, _ m: Int? = nil, k: Int = 0, chunks: Chunks = .auto) throws -> ChunkedArray {
        let shape = [n, m ?? n]
        try validate(shape)
        let grid = BlockGrid(try chunks.resolve(shape: shape, itemSize: Scalar.dtype.itemSize))
        let layer = Layer(kind: "eye", count: grid.blockCount, grid: grid.counts) { i in
            let b = grid.index(i)
            let o = grid.origin(b), s = grid.shape(b)
            return TaskSpec { _ in
                var a = NDArray<Scalar>(shape: s, repeating: .zero)
                a.withUnsafeMutableBufferPointer { buf in
                    for r in 0..<s[0] {
                        let c = o[0] + r + k - o[1]
                        if c >= 0 && c < s[1] { buf[r * s[1] + c] = .one }
                    }
                }
                return a
            }
        }
        return ChunkedArray(shape: shape, grid: grid, node: ArrayNode(layer: layer))
    }
}

extension ChunkedArray where Scalar: FloatingScalar {
    /// Uniform random numbers in `[low, high)` from a counter-based generator: element `i`
    /// (row-major global index) depends only on `(seed, i)`, so any chunking, scheduler or
    /// worker count gives the same array. Generated inside the consuming task: `(x * 2).sum()`
    /// never stores `x`.
    /// - Throws: `ArrayError.invalidChunks`, `.invalidArgument` for a negative length.
    public static func randomUniform(shape: [Int], low: Double = 0, high: Double = 1, chunks: Chunks = .auto, seed: UInt64 = 0) throws -> ChunkedArray {
        try generated(.uniform(key: randomKey(seed: seed, stream: 1), low: low, high: high), shape: shape, chunks: chunks)
    }

    /// Normally distributed random numbers (same counter-based guarantees as `randomUniform`).
    public static func randomNormal(shape: [Int], mean: Double = 0, std: Double = 1, chunks: Chunks = .auto, seed: UInt64 = 0) throws -> ChunkedArray {
        try generated(.normal(key: randomKey(seed: seed, stream: 2), mean: mean, std: std), shape: shape, chunks: chunks)
    }
}

extension ChunkedArray where Scalar == Double {
    /// `randomUniform` in `[0, 1)`, Dask's `da.random.random`.
    public static func random(shape: [Int], chunks: Chunks = .auto, seed: UInt64 = 0) throws -> ChunkedArray {
        try randomUniform(shape: shape, chunks: chunks, seed: seed)
    }
}

extension ChunkedArray where Scalar: NumericScalar {
    /// Random integers uniform in `low..<high` (counter-based like `randomUniform`).
    /// - Throws: `ArrayError.invalidArgument` when `high <= low`.
    public static func randomIntegers(low: Int64, high: Int64, shape: [Int], chunks: Chunks = .auto, seed: UInt64 = 0) throws -> ChunkedArray {
        guard high > low else { throw ArrayError.invalidArgument(operation: "randomIntegers", reason: "high (\(high)) must exceed low (\(low))") }
        let span = UInt64(bitPattern: high &- low)
        return try generated(.integers(key: randomKey(seed: seed, stream: 3), low: low, span: span), shape: shape, chunks: chunks)
    }
}
