import Tessera

// The products on a single in-memory block: the same code path as ChunkedArray (one block, one
// gemm), computed on the calling thread.

extension NDArray where Scalar: NumericScalar {
    /// This array as a one-block lazy array.
    func asOneBlock() throws -> ChunkedArray<Scalar> {
        try ChunkedArray(self, chunks: .sizes(shape.map { [$0] }))
    }

    /// The matrix product with NumPy's `matmul` rules (see `ChunkedArray.matmul(_:)`), eagerly.
    /// - Throws: `LinalgError.incompatibleDimensions` naming both shapes.
    public func matmul(_ other: NDArray) throws -> NDArray {
        try asOneBlock().matmul(try other.asOneBlock()).compute(scheduler: .synchronous)
    }

    /// `a • b`: the matrix product, eagerly.
    public static func • (a: NDArray, b: NDArray) throws -> NDArray { try a.matmul(b) }

    /// NumPy's `dot`, eagerly.
    public func dot(_ other: NDArray) throws -> NDArray {
        try asOneBlock().dot(try other.asOneBlock()).compute(scheduler: .synchronous)
    }

    /// NumPy's `tensordot` over paired axes, eagerly.
    public func tensordot(_ other: NDArray, axes: ([Int], [Int])) throws -> NDArray {
        try asOneBlock().tensordot(try other.asOneBlock(), axes: axes).compute(scheduler: .synchronous)
    }
}
