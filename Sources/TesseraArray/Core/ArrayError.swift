/// Everything that can go wrong building or computing an array, with the shapes, axes or file
/// involved named in the message.
public enum ArrayError: Error, Equatable, CustomStringConvertible {
    /// Two operands cannot broadcast together (NumPy rules: trailing axes equal or 1).
    case broadcastMismatch(lhs: [Int], rhs: [Int])
    /// Chunks that don't tile the shape.
    case invalidChunks(shape: [Int], chunks: String, reason: String)
    /// An axis outside `-ndim..<ndim`, or given twice.
    case invalidAxis(axis: Int, ndim: Int)
    /// An index outside its axis.
    case indexOutOfRange(index: Int, axis: Int, size: Int)
    /// A value count that doesn't match a shape.
    case shapeMismatch(shape: [Int], count: Int)
    /// Shapes that an operation needs to agree (concatenate, stack, reshape, mask length).
    case incompatibleShapes(operation: String, shapes: [[Int]])
    /// A reduction with no identity over zero elements (min, max, argmin, argmax).
    case emptyReduction(operation: String, shape: [Int])
    /// An argument outside what the operation accepts.
    case invalidArgument(operation: String, reason: String)
    /// A `.npy` file or stack we cannot read or write.
    case npy(path: String, reason: String)
    /// An operation that needs block lengths on an array whose lengths are not known yet
    /// (`unique`, `bincount`); `chunks` has nil for each unknown length.
    case unknownChunkLengths(operation: String, chunks: [Int?])

    public var description: String {
        switch self {
        case let .broadcastMismatch(l, r):
            return "operands could not be broadcast together with shapes \(fmt(l)) and \(fmt(r))"
        case let .invalidChunks(s, c, why):
            return "chunks \(c) do not fit shape \(fmt(s)): \(why)"
        case let .invalidAxis(a, n):
            return "axis \(a) is out of bounds (or repeated) for an array of dimension \(n)"
        case let .indexOutOfRange(i, a, s):
            return "index \(i) is out of bounds for axis \(a) with size \(s)"
        case let .shapeMismatch(s, c):
            return "cannot shape \(c) values as \(fmt(s)) (needs \(checkedProduct(s).map(String.init) ?? "more than \(Int.max)"))"
        case let .incompatibleShapes(op, shapes):
            return "\(op): incompatible shapes " + shapes.map(fmt).joined(separator: " and ")
        case let .emptyReduction(op, s):
            return "zero-size array of shape \(fmt(s)) to reduction operation \(op) which has no identity"
        case let .invalidArgument(op, why):
            return "\(op): \(why)"
        case let .npy(p, why):
            return "\(p): \(why)"
        case let .unknownChunkLengths(op, c):
            let shown = c.map { $0.map(String.init) ?? "nan" }.joined(separator: ", ")
            return "\(op): the array's chunk sizes are unknown ((\(shown))); call computeChunkSizes() first to compute them, as in Dask"
        }
    }
}

extension ArrayError {
    /// NumPy's error for an integer raised to a negative integer power.
    static func negativeIntegerPower(_ exponent: Int64) -> ArrayError {
        .invalidArgument(operation: "power", reason: "Integers to negative integer powers are not allowed (exponent \(exponent))")
    }
}

extension ArrayScalar {
    /// Whether this is an integer type (Int64, Int32), the types whose power is checked.
    static var isInteger: Bool { dtype == .int64 || dtype == .int32 }
}

/// `(3, 4)` the way NumPy prints a shape.
func fmt(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
}
