import Tessera

// NDArray as a small eager array: every operation runs the ChunkedArray version on a single
// block with the synchronous scheduler, so both types share one implementation and one set of
// semantics (broadcasting, NaN handling, integer division).

extension NDArray {
    /// This array as a one-block `ChunkedArray` (no copy).
    public var chunked: ChunkedArray<Scalar> {
        ChunkedArray(shape: shape, grid: BlockGrid(shape.map { [$0] }),
                     node: ArrayNode(layer: Layer(kind: "array", values: [self], grid: shape.map { _ in 1 })))
    }

    /// Cuts this array into blocks. - Throws: `ArrayError.invalidChunks`.
    public func chunked(_ chunks: Chunks) throws -> ChunkedArray<Scalar> { try ChunkedArray(self, chunks: chunks) }

    /// Runs a ChunkedArray operation eagerly on this array.
    public func eager<R>(_ op: (ChunkedArray<Scalar>) throws -> ChunkedArray<R>) throws -> NDArray<R> {
        do { return try op(chunked).compute(scheduler: .synchronous) } catch let f as TaskFailure { throw f.underlying }
    }

    /// Sum (see `ChunkedArray.sum`). - Throws: `ArrayError.invalidAxis`.
    public func sum(axis: Int? = nil, keepdims: Bool = false) throws -> NDArray<Scalar.SumScalar> { try eager { try $0.sum(axis: axis, keepdims: keepdims) } }
    /// Mean. - Throws: `ArrayError.invalidAxis`.
    public func mean(axis: Int? = nil, keepdims: Bool = false) throws -> NDArray<Scalar.RealScalar> { try eager { try $0.mean(axis: axis, keepdims: keepdims) } }
    /// Variance with `ddof`. - Throws: `ArrayError.invalidAxis`.
    public func `var`(axis: Int? = nil, ddof: Int = 0) throws -> NDArray<Scalar.RealScalar> { try eager { try $0.var(axis: axis, ddof: ddof) } }
    /// Standard deviation with `ddof`. - Throws: `ArrayError.invalidAxis`.
    public func std(axis: Int? = nil, ddof: Int = 0) throws -> NDArray<Scalar.RealScalar> { try eager { try $0.std(axis: axis, ddof: ddof) } }
    /// Minimum. - Throws: `ArrayError.emptyReduction`, `.invalidAxis`.
    public func min(axis: Int? = nil) throws -> NDArray<Scalar> { try eager { try $0.min(axis: axis) } }
    /// Maximum. - Throws: `ArrayError.emptyReduction`, `.invalidAxis`.
    public func max(axis: Int? = nil) throws -> NDArray<Scalar> { try eager { try $0.max(axis: axis) } }
    /// Position of the minimum. - Throws: `ArrayError.emptyReduction`, `.invalidAxis`.
    public func argmin(axis: Int? = nil) throws -> NDArray<Int64> { try eager { try $0.argmin(axis: axis) } }
    /// Position of the maximum. - Throws: `ArrayError.emptyReduction`, `.invalidAxis`.
    public func argmax(axis: Int? = nil) throws -> NDArray<Int64> { try eager { try $0.argmax(axis: axis) } }
    /// Cumulative sum. - Throws: `ArrayError.invalidAxis`.
    public func cumsum(axis: Int) throws -> NDArray<Scalar.SumScalar> { try eager { try $0.cumsum(axis: axis) } }
    /// Axes permuted (reversed when nil). - Throws: `ArrayError.invalidArgument`.
    public func transpose(_ axes: [Int]? = nil) throws -> NDArray { try eager { try $0.transpose(axes) } }
    /// A selection (see `ChunkedArray.slice`). - Throws: `ArrayError.indexOutOfRange`, `.invalidArgument`.
    public func slice(_ indices: [SliceIndex]) throws -> NDArray { try eager { try $0.slice(indices) } }
    /// `op(self, other)` with broadcasting. - Throws: `ArrayError.broadcastMismatch`.
    public func binary(_ op: BinaryOp, _ other: NDArray) throws -> NDArray { try eager { try $0.binary(op, other.chunked) } }
    /// Converted element type.
    public func astype<U: ArrayScalar>(_ type: U.Type) -> NDArray<U> { try! eager { $0.astype(U.self) } }
}

/// Element-wise sum with broadcasting. - Throws: `ArrayError.broadcastMismatch`.
public func + <T: NumericScalar>(l: NDArray<T>, r: NDArray<T>) throws -> NDArray<T> { try l.binary(.add, r) }
/// Element-wise difference with broadcasting. - Throws: `ArrayError.broadcastMismatch`.
public func - <T: NumericScalar>(l: NDArray<T>, r: NDArray<T>) throws -> NDArray<T> { try l.binary(.subtract, r) }
/// Element-wise product with broadcasting. - Throws: `ArrayError.broadcastMismatch`.
public func * <T: NumericScalar>(l: NDArray<T>, r: NDArray<T>) throws -> NDArray<T> { try l.binary(.multiply, r) }
/// Element-wise quotient with broadcasting. - Throws: `ArrayError.broadcastMismatch`.
public func / <T: NumericScalar>(l: NDArray<T>, r: NDArray<T>) throws -> NDArray<T> { try l.binary(.divide, r) }
/// Adds a scalar to every element.
public func + <T: NumericScalar>(l: NDArray<T>, r: T) -> NDArray<T> { try! l.eager { $0 + r } }
/// Subtracts a scalar from every element.
public func - <T: NumericScalar>(l: NDArray<T>, r: T) -> NDArray<T> { try! l.eager { $0 - r } }
/// Multiplies every element by a scalar.
public func * <T: NumericScalar>(l: NDArray<T>, r: T) -> NDArray<T> { try! l.eager { $0 * r } }
/// Divides every element by a scalar.
public func / <T: NumericScalar>(l: NDArray<T>, r: T) -> NDArray<T> { try! l.eager { $0 / r } }
