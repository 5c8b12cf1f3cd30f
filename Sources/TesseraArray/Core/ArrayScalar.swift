import Foundation

/// The element type of an array, named as NumPy names it (`float64`, `int32`, …).
///
/// The cases are `float64` (`Double`), `float32` (`Float`), `int64` (`Int64`), `int32` (`Int32`)
/// and `bool` (`Bool`); the raw value is the NumPy name.
public enum DType: String, Sendable, CaseIterable {
    case float64, float32, int64, int32, bool

    /// Bytes per element.
    public var itemSize: Int {
        switch self {
        case .float64, .int64: return 8
        case .float32, .int32: return 4
        case .bool: return 1
        }
    }

    /// The `.npy` header `descr` for this type (little-endian).
    public var npyDescr: String {
        switch self {
        case .float64: return "<f8"
        case .float32: return "<f4"
        case .int64: return "<i8"
        case .int32: return "<i4"
        case .bool: return "|b1"
        }
    }
}

/// Element-wise operations on two operands.
///
/// Arithmetic: `add`, `subtract`, `multiply`, `divide`, `remainder`, `power`, and the
/// element-wise `maximum` and `minimum`. Logic on Bool arrays: `logicalAnd`, `logicalOr`,
/// `logicalXor`.
public enum BinaryOp: String, Sendable {
    case add, subtract, multiply, divide, remainder, power, maximum, minimum
    case logicalAnd, logicalOr, logicalXor
}

/// Element-wise operations on one operand.
///
/// `negative`, `abs`, `sqrt`, `exp`, `log`, `sin`, `cos`, `tanh`, `floor`, `ceil`, and
/// `logicalNot` on Bool arrays.
public enum UnaryOp: String, Sendable {
    case negative, abs, sqrt, exp, log, sin, cos, tanh, floor, ceil, logicalNot
}

/// Element-wise comparisons, giving Bool arrays.
///
/// `equal`, `notEqual`, `less`, `lessEqual`, `greater` and `greaterEqual`: the operators `.==`,
/// `.!=`, `.<`, `.<=`, `.>` and `.>=`.
public enum CompareOp: String, Sendable {
    case equal, notEqual, less, lessEqual, greater, greaterEqual
}

/// An element type of `NDArray` and `ChunkedArray`: Double, Float, Int64, Int32 or Bool.
///
/// The underscored requirements are the kernels: each conforming type implements them with a
/// concrete (specialised) loop over a run of elements, so generic array code pays one dynamic
/// call per run of up to a few thousand elements, never one per element.
public protocol ArrayScalar: Equatable, CustomStringConvertible, Sendable {
    /// The NumPy dtype of this type.
    static var dtype: DType { get }
    /// The type `sum` and `prod` return: Double → Double, Float → Float, integers and Bool → Int64.
    associatedtype SumScalar: ArrayScalar
    /// The type `mean`, `var`, `std` return: Float → Float, everything else → Double.
    associatedtype RealScalar: FloatingScalar
    /// 0 (false).
    static var zero: Self { get }
    /// 1 (true).
    static var one: Self { get }
    /// The value as a Double.
    var _double: Double { get }
    /// The value as an Int64 (NaN → 0, out-of-range floats clamp).
    var _int64: Int64 { get }
    /// Converts from Double (integers: truncation toward zero, clamped; NaN → 0).
    init(_double: Double)
    /// Converts from Int64 (wrapping for narrower integers).
    init(_int64: Int64)
    /// Whether the value is NaN (always false for integers and Bool).
    var _isNaN: Bool { get }
    /// Whether the value is non-zero (true).
    var _isNonzero: Bool { get }
    /// A strict order (NaN is neither less nor greater than anything).
    static func _less(_ a: Self, _ b: Self) -> Bool
    /// `out[i] = op(a[i], b[i])` for `i < n`.
    static func _binary(_ op: BinaryOp, _ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ n: Int)
    /// `out[i] = op(a[i])` for `i < n`.
    static func _unary(_ op: UnaryOp, _ a: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Self>, _ n: Int)
    /// `out[i] = op(a[i], b[i])` for `i < n`.
    static func _compare(_ op: CompareOp, _ a: UnsafePointer<Self>, _ b: UnsafePointer<Self>, _ out: UnsafeMutablePointer<Bool>, _ n: Int)
    /// Sum of a run: floats in `double` (several independent SIMD accumulators), integers in
    /// `int` (exact: 128 bits cannot overflow for any run that fits in memory), and the number of
    /// values summed (`skipNaN` leaves NaNs out).
    static func _sumRun(_ a: UnsafePointer<Self>, _ n: Int, skipNaN: Bool) -> (double: Double, int: Int128, count: Int)
    /// Makes a `SumScalar` from an accumulated sum. An integer sum is returned modulo 2⁶⁴
    /// (wraps, as NumPy's int64 sum does); the wrapped value does not depend on chunking.
    static func _sumResult(double: Double, int: Int128) -> SumScalar
}

/// Element types with arithmetic: Double, Float, Int64, Int32.
public protocol NumericScalar: ArrayScalar, Comparable {}

/// Floating-point element types: Double, Float.
public protocol FloatingScalar: NumericScalar, BinaryFloatingPoint {}

