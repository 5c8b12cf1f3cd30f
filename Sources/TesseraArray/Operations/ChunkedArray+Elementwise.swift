import Tessera

// Element-wise operations build fused expressions (see `ExprNode`): `x * 2 + 1` adds two nodes to
// one tree, and no task exists until something consumes the result. Array–array operators throw
// `ArrayError.broadcastMismatch` when shapes don't broadcast; array–scalar operators can't fail.

extension ChunkedArray {
    /// `op(self, other)` element-wise with NumPy broadcasting.
    /// Integer `.power` with a negative exponent fails the compute with
    /// `ArrayError.invalidArgument` (NumPy raises; the result is not an integer).
    /// - Throws: `ArrayError.broadcastMismatch` naming both shapes.
    public func binary(_ op: BinaryOp, _ other: ChunkedArray) throws -> ChunkedArray {
        let exponent = op == .power && Scalar.isInteger ? try other.checkedExponents() : other
        return try combine(self, exponent) { BinaryNode(op, $0, $1) }
    }

    /// `op(self, scalar)` element-wise. An integer `.power` with a negative exponent fails the
    /// compute with `ArrayError.invalidArgument` (`power(_:)` says so when it is called).
    public func binary(_ op: BinaryOp, _ scalar: Scalar) -> ChunkedArray {
        if op == .power && Scalar.isInteger && scalar._int64 < 0 { return failing(.negativeIntegerPower(scalar._int64)) }
        return mapExpression { BinaryNode(op, $0, ConstLeaf(scalar)) }
    }

    /// `op(scalar, self)` element-wise (integer `.power` checks `self` as the exponent).
    public func binary(_ op: BinaryOp, scalarFirst scalar: Scalar) -> ChunkedArray {
        let exponent = op == .power && Scalar.isInteger ? ((try? checkedExponents()) ?? self) : self
        return exponent.mapExpression { BinaryNode(op, ConstLeaf(scalar), $0) }
    }

    /// This array as an exponent of an integer power: each block is checked when it is computed
    /// and a negative value fails the task. Integer kernels cannot throw, so the check is its own
    /// step on the exponent's blocks (only integer `power` pays for it).
    func checkedExponents() throws -> ChunkedArray {
        try mapBlocks(name: "power-exponent") { block, _ in
            try block.withUnsafeBufferPointer { b in
                if let e = b.first(where: { $0._int64 < 0 }) { throw ArrayError.negativeIntegerPower(e._int64) }
            }
            return block
        }
    }

    /// An array of this shape and chunks whose every block fails with `error` when computed.
    func failing(_ error: ArrayError) -> ChunkedArray {
        let layer = Layer(kind: "error", count: grid.blockCount, grid: grid.counts) { _ in TaskSpec { _ in throw error } }
        return ChunkedArray(shape: shape, grid: grid, node: ArrayNode(layer: layer))
    }

    /// `op(self, other)` element-wise giving Bool, with broadcasting.
    /// - Throws: `ArrayError.broadcastMismatch`.
    public func compare(_ op: CompareOp, _ other: ChunkedArray) throws -> ChunkedArray<Bool> {
        try combine(self, other) { CompareNode(op, $0, $1) }
    }

    /// `op(self, scalar)` element-wise giving Bool.
    public func compare(_ op: CompareOp, _ scalar: Scalar) -> ChunkedArray<Bool> {
        mapExpression { CompareNode(op, $0, ConstLeaf(scalar)) }
    }

    /// The array converted to another element type (NumPy's `astype`; floats to integers
    /// truncate toward zero, NaN becomes 0).
    public func astype<U: ArrayScalar>(_ type: U.Type) -> ChunkedArray<U> {
        if let same = self as? ChunkedArray<U> { return same }
        return mapExpression { CastNode<Scalar, U>($0) }
    }

    /// Whether each element is NaN.
    public func isnan() -> ChunkedArray<Bool> { mapExpression { IsNaNNode($0) } }

    /// `cond ? a : b` element-wise, all three broadcast together (NumPy's `where`).
    /// - Throws: `ArrayError.broadcastMismatch`.
    public static func `where`(_ cond: ChunkedArray<Bool>, _ a: ChunkedArray, _ b: ChunkedArray) throws -> ChunkedArray {
        let shape = try broadcastShapes(try broadcastShapes(cond.shape, a.shape), b.shape)
        let chunks = broadcastChunks(shape, [(cond.shape, cond.chunks), (a.shape, a.chunks), (b.shape, b.chunks)])
        return ChunkedArray(expression: WhereNode(try cond.expression(broadcastTo: shape, chunks: chunks),
                                                  try a.expression(broadcastTo: shape, chunks: chunks),
                                                  try b.expression(broadcastTo: shape, chunks: chunks)),
                            shape: shape, chunks: chunks)
    }

    /// `cond ? a : b` with scalar alternatives.
    public static func `where`(_ cond: ChunkedArray<Bool>, _ a: Scalar, _ b: Scalar) -> ChunkedArray {
        cond.mapExpression { WhereNode($0, ConstLeaf(a), ConstLeaf(b)) }
    }

    func unary(_ op: UnaryOp) -> ChunkedArray { mapExpression { UnaryNode(op, $0) } }
}

extension ChunkedArray where Scalar: NumericScalar {
    /// Absolute value.
    public func abs() -> ChunkedArray { unary(.abs) }
    /// `self ** exponent` element-wise (integers: exact by squaring, wrapping on overflow).
    /// - Throws: `ArrayError.invalidArgument` for an integer array and a negative exponent
    ///   (NumPy: "Integers to negative integer powers are not allowed").
    public func power(_ exponent: Scalar) throws -> ChunkedArray {
        if Scalar.isInteger && exponent._int64 < 0 { throw ArrayError.negativeIntegerPower(exponent._int64) }
        return binary(.power, exponent)
    }
    /// `self ** exponent` element-wise with broadcasting. For integers, a negative exponent
    /// fails the compute with `ArrayError.invalidArgument`.
    /// - Throws: `ArrayError.broadcastMismatch`.
    public func power(_ exponent: ChunkedArray) throws -> ChunkedArray { try binary(.power, exponent) }
    /// Limits every element to `[lower, upper]` (NumPy's `clip`).
    public func clip(_ lower: Scalar, _ upper: Scalar) -> ChunkedArray { binary(.maximum, lower).binary(.minimum, upper) }
    /// The element-wise larger of two arrays (NaN propagates).
    public static func maximum(_ a: ChunkedArray, _ b: ChunkedArray) throws -> ChunkedArray { try a.binary(.maximum, b) }
    /// The element-wise smaller of two arrays (NaN propagates).
    public static func minimum(_ a: ChunkedArray, _ b: ChunkedArray) throws -> ChunkedArray { try a.binary(.minimum, b) }
}

extension ChunkedArray where Scalar: FloatingScalar {
    /// Square root.
    public func sqrt() -> ChunkedArray { unary(.sqrt) }
    /// e to the power of each element.
    public func exp() -> ChunkedArray { unary(.exp) }
    /// Natural logarithm.
    public func log() -> ChunkedArray { unary(.log) }
    /// Sine.
    public func sin() -> ChunkedArray { unary(.sin) }
    /// Cosine.
    public func cos() -> ChunkedArray { unary(.cos) }
    /// Hyperbolic tangent.
    public func tanh() -> ChunkedArray { unary(.tanh) }
    /// Largest integer not greater than each element.
    public func floor() -> ChunkedArray { unary(.floor) }
    /// Smallest integer not less than each element.
    public func ceil() -> ChunkedArray { unary(.ceil) }
}

// MARK: - operators

/// Element-wise sum with broadcasting. - Throws: `ArrayError.broadcastMismatch`.
public func + <T: NumericScalar>(l: ChunkedArray<T>, r: ChunkedArray<T>) throws -> ChunkedArray<T> { try l.binary(.add, r) }
/// Element-wise difference with broadcasting. - Throws: `ArrayError.broadcastMismatch`.
public func - <T: NumericScalar>(l: ChunkedArray<T>, r: ChunkedArray<T>) throws -> ChunkedArray<T> { try l.binary(.subtract, r) }
/// Element-wise product with broadcasting. - Throws: `ArrayError.broadcastMismatch`.
public func * <T: NumericScalar>(l: ChunkedArray<T>, r: ChunkedArray<T>) throws -> ChunkedArray<T> { try l.binary(.multiply, r) }
/// Element-wise quotient (integers: floor division, x/0 = 0). - Throws: `ArrayError.broadcastMismatch`.
public func / <T: NumericScalar>(l: ChunkedArray<T>, r: ChunkedArray<T>) throws -> ChunkedArray<T> { try l.binary(.divide, r) }
/// Element-wise remainder with the divisor's sign (NumPy's `%`). - Throws: `ArrayError.broadcastMismatch`.
public func % <T: NumericScalar>(l: ChunkedArray<T>, r: ChunkedArray<T>) throws -> ChunkedArray<T> { try l.binary(.remainder, r) }

/// Adds a scalar to every element.
public func + <T: NumericScalar>(l: ChunkedArray<T>, r: T) -> ChunkedArray<T> { l.binary(.add, r) }
/// Subtracts a scalar from every element.
public func - <T: NumericScalar>(l: ChunkedArray<T>, r: T) -> ChunkedArray<T> { l.binary(.subtract, r) }
/// Multiplies every element by a scalar.
public func * <T: NumericScalar>(l: ChunkedArray<T>, r: T) -> ChunkedArray<T> { l.binary(.multiply, r) }
/// Divides every element by a scalar.
public func / <T: NumericScalar>(l: ChunkedArray<T>, r: T) -> ChunkedArray<T> { l.binary(.divide, r) }
/// Remainder of every element by a scalar.
public func % <T: NumericScalar>(l: ChunkedArray<T>, r: T) -> ChunkedArray<T> { l.binary(.remainder, r) }
/// Adds every element to a scalar.
public func + <T: NumericScalar>(l: T, r: ChunkedArray<T>) -> ChunkedArray<T> { r.binary(.add, scalarFirst: l) }
/// Subtracts every element from a scalar.
public func - <T: NumericScalar>(l: T, r: ChunkedArray<T>) -> ChunkedArray<T> { r.binary(.subtract, scalarFirst: l) }
/// Multiplies a scalar by every element.
public func * <T: NumericScalar>(l: T, r: ChunkedArray<T>) -> ChunkedArray<T> { r.binary(.multiply, scalarFirst: l) }
/// Divides a scalar by every element.
public func / <T: NumericScalar>(l: T, r: ChunkedArray<T>) -> ChunkedArray<T> { r.binary(.divide, scalarFirst: l) }
/// Negates every element.
public prefix func - <T: NumericScalar>(x: ChunkedArray<T>) -> ChunkedArray<T> { x.unary(.negative) }

/// Element-wise `==`. - Throws: `ArrayError.broadcastMismatch`.
public func .== <T: ArrayScalar>(l: ChunkedArray<T>, r: ChunkedArray<T>) throws -> ChunkedArray<Bool> { try l.compare(.equal, r) }
/// Element-wise `!=`. - Throws: `ArrayError.broadcastMismatch`.
public func .!= <T: ArrayScalar>(l: ChunkedArray<T>, r: ChunkedArray<T>) throws -> ChunkedArray<Bool> { try l.compare(.notEqual, r) }
/// Element-wise `<`. - Throws: `ArrayError.broadcastMismatch`.
public func .< <T: ArrayScalar>(l: ChunkedArray<T>, r: ChunkedArray<T>) throws -> ChunkedArray<Bool> { try l.compare(.less, r) }
/// Element-wise `<=`. - Throws: `ArrayError.broadcastMismatch`.
public func .<= <T: ArrayScalar>(l: ChunkedArray<T>, r: ChunkedArray<T>) throws -> ChunkedArray<Bool> { try l.compare(.lessEqual, r) }
/// Element-wise `>`. - Throws: `ArrayError.broadcastMismatch`.
public func .> <T: ArrayScalar>(l: ChunkedArray<T>, r: ChunkedArray<T>) throws -> ChunkedArray<Bool> { try l.compare(.greater, r) }
/// Element-wise `>=`. - Throws: `ArrayError.broadcastMismatch`.
public func .>= <T: ArrayScalar>(l: ChunkedArray<T>, r: ChunkedArray<T>) throws -> ChunkedArray<Bool> { try l.compare(.greaterEqual, r) }
/// Element-wise `== scalar`.
public func .== <T: ArrayScalar>(l: ChunkedArray<T>, r: T) -> ChunkedArray<Bool> { l.compare(.equal, r) }
/// Element-wise `!= scalar`.
public func .!= <T: ArrayScalar>(l: ChunkedArray<T>, r: T) -> ChunkedArray<Bool> { l.compare(.notEqual, r) }
/// Element-wise `< scalar`.
public func .< <T: ArrayScalar>(l: ChunkedArray<T>, r: T) -> ChunkedArray<Bool> { l.compare(.less, r) }
/// Element-wise `<= scalar`.
public func .<= <T: ArrayScalar>(l: ChunkedArray<T>, r: T) -> ChunkedArray<Bool> { l.compare(.lessEqual, r) }
/// Element-wise `> scalar`.
public func .> <T: ArrayScalar>(l: ChunkedArray<T>, r: T) -> ChunkedArray<Bool> { l.compare(.greater, r) }
/// Element-wise `>= scalar`.
public func .>= <T: ArrayScalar>(l: ChunkedArray<T>, r: T) -> ChunkedArray<Bool> { l.compare(.greaterEqual, r) }

/// Element-wise logical and. - Throws: `ArrayError.broadcastMismatch`.
public func .& (l: ChunkedArray<Bool>, r: ChunkedArray<Bool>) throws -> ChunkedArray<Bool> { try l.binary(.logicalAnd, r) }
/// Element-wise logical or. - Throws: `ArrayError.broadcastMismatch`.
public func .| (l: ChunkedArray<Bool>, r: ChunkedArray<Bool>) throws -> ChunkedArray<Bool> { try l.binary(.logicalOr, r) }
/// Element-wise logical exclusive or. - Throws: `ArrayError.broadcastMismatch`.
public func .^ (l: ChunkedArray<Bool>, r: ChunkedArray<Bool>) throws -> ChunkedArray<Bool> { try l.binary(.logicalXor, r) }
/// Element-wise logical not.
public prefix func .! (x: ChunkedArray<Bool>) -> ChunkedArray<Bool> { x.unary(.logicalNot) }
