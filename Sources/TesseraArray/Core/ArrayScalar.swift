import Foundation

/// The element type of an array, named as NumPy names it (`float64`, `int32`, …).
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
public enum BinaryOp: String, Sendable {
    case add, subtract, multiply, divide, remainder, power, maximum, minimum
    case logicalAnd, logicalOr, logicalXor
}

/// Element-wise operations on one operand.
public enum UnaryOp: String, Sendable {
    case negative, abs, sqrt, exp, log, sin, cos, tanh, floor, ceil, logicalNot
}

/// Element-wise comparisons, giving Bool arrays.
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
    /// `int` (wrapping), and the number of values summed (`skipNaN` leaves NaNs out).
    static func _sumRun(_ a: UnsafePointer<Self>, _ n: Int, skipNaN: Bool) -> (double: Double, int: Int64, count: Int)
    /// Makes a `SumScalar` from an accumulated sum.
    static func _sumResult(double: Double, int: Int64) -> SumScalar
}

/// Element types with arithmetic: Double, Float, Int64, Int32.
public protocol NumericScalar: ArrayScalar, Comparable {}

/// Floating-point element types: Double, Float.
public protocol FloatingScalar: NumericScalar, BinaryFloatingPoint {}

extension ArrayScalar {
    /// Converts a run of elements to another element type (NumPy's `astype`).
    static func _cast<U: ArrayScalar>(_ a: UnsafePointer<Self>, _ out: UnsafeMutablePointer<U>, _ n: Int) {
        if U.self == Self.self {
            UnsafeMutableRawPointer(out).copyMemory(from: a, byteCount: n * MemoryLayout<Self>.stride)
            return
        }
        switch U.dtype {
        case .float64, .float32: for i in 0..<n { out[i] = U(_double: a[i]._double) }
        case .int64, .int32: for i in 0..<n { out[i] = U(_int64: a[i]._int64) }
        case .bool: for i in 0..<n { out[i] = a[i]._isNonzero ? U.one : U.zero }
        }
    }

    /// Converts one value to another element type.
    @inline(__always) func _converted<U: ArrayScalar>() -> U {
        switch U.dtype {
        case .float64, .float32: return U(_double: _double)
        case .int64, .int32: return U(_int64: _int64)
        case .bool: return _isNonzero ? U.one : U.zero
        }
    }
}

// MARK: - shared kernel bodies (inlined into each concrete conformance, hence specialised)

@inline(__always)
func floatBinary<T: BinaryFloatingPoint>(_ op: BinaryOp, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>, _ n: Int, pow: (T, T) -> T) {
    switch op {
    case .add: for i in 0..<n { out[i] = a[i] + b[i] }
    case .subtract: for i in 0..<n { out[i] = a[i] - b[i] }
    case .multiply: for i in 0..<n { out[i] = a[i] * b[i] }
    case .divide: for i in 0..<n { out[i] = a[i] / b[i] }
    case .remainder:
        // Python/NumPy semantics: the result has the sign of the divisor.
        for i in 0..<n {
            var r = a[i].truncatingRemainder(dividingBy: b[i])
            if r != 0 && ((r < 0) != (b[i] < 0)) { r += b[i] }
            out[i] = r
        }
    case .power: for i in 0..<n { out[i] = pow(a[i], b[i]) }
    case .maximum: for i in 0..<n { out[i] = (a[i] > b[i] || a[i].isNaN) ? a[i] : b[i] }
    case .minimum: for i in 0..<n { out[i] = (a[i] < b[i] || a[i].isNaN) ? a[i] : b[i] }
    case .logicalAnd: for i in 0..<n { out[i] = (a[i] != 0 && b[i] != 0) ? 1 : 0 }
    case .logicalOr: for i in 0..<n { out[i] = (a[i] != 0 || b[i] != 0) ? 1 : 0 }
    case .logicalXor: for i in 0..<n { out[i] = ((a[i] != 0) != (b[i] != 0)) ? 1 : 0 }
    }
}

@inline(__always)
func intBinary<T: FixedWidthInteger & SignedInteger>(_ op: BinaryOp, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>, _ n: Int) {
    switch op {
    case .add: for i in 0..<n { out[i] = a[i] &+ b[i] }
    case .subtract: for i in 0..<n { out[i] = a[i] &- b[i] }
    case .multiply: for i in 0..<n { out[i] = a[i] &* b[i] }
    case .divide:
        // Floor division like NumPy's `//`; division by zero gives 0 (NumPy warns and gives 0).
        for i in 0..<n {
            let x = a[i], y = b[i]
            if y == 0 { out[i] = 0; continue }
            let (q, overflow) = x.dividedReportingOverflow(by: y)
            if overflow { out[i] = x; continue }
            out[i] = (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q
        }
    case .remainder:
        for i in 0..<n {
            let x = a[i], y = b[i]
            if y == 0 || y == -1 { out[i] = 0; continue }
            var r = x % y
            if r != 0 && ((r < 0) != (y < 0)) { r += y }
            out[i] = r
        }
    case .power:
        for i in 0..<n {
            var base = a[i], e = b[i], r: T = 1
            if e < 0 { out[i] = base == 1 ? 1 : (base == -1 ? (e & 1 == 0 ? 1 : -1) : 0); continue }
            while e > 0 {
                if e & 1 == 1 { r = r &* base }
                base = base &* base
                e >>= 1
            }
            out[i] = r
        }
    case .maximum: for i in 0..<n { out[i] = Swift.max(a[i], b[i]) }
    case .minimum: for i in 0..<n { out[i] = Swift.min(a[i], b[i]) }
    case .logicalAnd: for i in 0..<n { out[i] = (a[i] != 0 && b[i] != 0) ? 1 : 0 }
    case .logicalOr: for i in 0..<n { out[i] = (a[i] != 0 || b[i] != 0) ? 1 : 0 }
    case .logicalXor: for i in 0..<n { out[i] = ((a[i] != 0) != (b[i] != 0)) ? 1 : 0 }
    }
}

@inline(__always)
func comparableCompare<T: Comparable>(_ op: CompareOp, _ a: UnsafePointer<T>, _ b: UnsafePointer<T>, _ out: UnsafeMutablePointer<Bool>, _ n: Int) {
    switch op {
    case .equal: for i in 0..<n { out[i] = a[i] == b[i] }
    case .notEqual: for i in 0..<n { out[i] = a[i] != b[i] }
    case .less: for i in 0..<n { out[i] = a[i] < b[i] }
    case .lessEqual: for i in 0..<n { out[i] = a[i] <= b[i] }
    case .greater: for i in 0..<n { out[i] = a[i] > b[i] }
    case .greaterEqual: for i in 0..<n { out[i] = a[i] >= b[i] }
    }
}

@inline(__always)
func floatUnary<T: BinaryFloatingPoint>(_ op: UnaryOp, _ a: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>, _ n: Int, math: (UnaryOp, T) -> T) {
    switch op {
    case .negative: for i in 0..<n { out[i] = -a[i] }
    case .abs: for i in 0..<n { out[i] = Swift.abs(a[i]) }
    case .sqrt: for i in 0..<n { out[i] = a[i].squareRoot() }
    case .floor: for i in 0..<n { out[i] = a[i].rounded(.down) }
    case .ceil: for i in 0..<n { out[i] = a[i].rounded(.up) }
    case .logicalNot: for i in 0..<n { out[i] = a[i] == 0 ? 1 : 0 }
    default: for i in 0..<n { out[i] = math(op, a[i]) }
    }
}

@inline(__always)
func intUnary<T: FixedWidthInteger & SignedInteger>(_ op: UnaryOp, _ a: UnsafePointer<T>, _ out: UnsafeMutablePointer<T>, _ n: Int) {
    switch op {
    case .negative: for i in 0..<n { out[i] = 0 &- a[i] }
    case .abs: for i in 0..<n { out[i] = a[i] < 0 ? 0 &- a[i] : a[i] }
    case .floor, .ceil: for i in 0..<n { out[i] = a[i] }
    case .logicalNot: for i in 0..<n { out[i] = a[i] == 0 ? 1 : 0 }
    default:
        // Transcendental functions of integers go through Double (API restricts them to floats).
        for i in 0..<n { out[i] = T(clamping: Int64(clampingDouble: doubleMath(op, Double(a[i])))) }
    }
}

func doubleMath(_ op: UnaryOp, _ x: Double) -> Double {
    switch op {
    case .sqrt: return x.squareRoot()
    case .exp: return Foundation.exp(x)
    case .log: return Foundation.log(x)
    case .sin: return Foundation.sin(x)
    case .cos: return Foundation.cos(x)
    case .tanh: return Foundation.tanh(x)
    case .negative: return -x
    case .abs: return Swift.abs(x)
    case .floor: return x.rounded(.down)
    case .ceil: return x.rounded(.up)
    case .logicalNot: return x == 0 ? 1 : 0
    }
}

func floatMath(_ op: UnaryOp, _ x: Float) -> Float {
    switch op {
    case .exp: return Foundation.expf(x)
    case .log: return Foundation.logf(x)
    case .sin: return Foundation.sinf(x)
    case .cos: return Foundation.cosf(x)
    case .tanh: return Foundation.tanhf(x)
    default: return Float(doubleMath(op, Double(x)))
    }
}

/// Sum with two independent `SIMD8` accumulators: one accumulator makes every add wait for the
/// previous one (≈8 GB/s); sixteen lanes in flight run at memory speed (≈30 GB/s).
@inline(__always)
func simdSum<T: BinaryFloatingPoint & SIMDScalar>(_ a: UnsafePointer<T>, _ n: Int) -> T {
    var s0 = SIMD8<T>(), s1 = SIMD8<T>()
    let raw = UnsafeRawPointer(a)
    let stride = MemoryLayout<T>.stride
    var i = 0
    while i + 16 <= n {
        s0 += raw.loadUnaligned(fromByteOffset: i * stride, as: SIMD8<T>.self)
        s1 += raw.loadUnaligned(fromByteOffset: (i + 8) * stride, as: SIMD8<T>.self)
        i += 16
    }
    var tail: T = 0
    while i < n { tail += a[i]; i += 1 }
    return (s0 + s1).sum() + tail
}

@inline(__always)
func nanSkippingSum<T: BinaryFloatingPoint>(_ a: UnsafePointer<T>, _ n: Int) -> (Double, Int) {
    var s0: T = 0, s1: T = 0, c = 0
    var i = 0
    while i + 2 <= n {
        let x = a[i], y = a[i + 1]
        if !x.isNaN { s0 += x; c += 1 }
        if !y.isNaN { s1 += y; c += 1 }
        i += 2
    }
    if i < n, !a[i].isNaN { s0 += a[i]; c += 1 }
    return (Double(s0) + Double(s1), c)
}

@inline(__always)
func intSum<T: FixedWidthInteger>(_ a: UnsafePointer<T>, _ n: Int) -> Int64 {
    var s0: Int64 = 0, s1: Int64 = 0, s2: Int64 = 0, s3: Int64 = 0
    var i = 0
    while i + 4 <= n {
        s0 &+= Int64(a[i]); s1 &+= Int64(a[i + 1]); s2 &+= Int64(a[i + 2]); s3 &+= Int64(a[i + 3])
        i += 4
    }
    while i < n { s0 &+= Int64(a[i]); i += 1 }
    return s0 &+ s1 &+ s2 &+ s3
}

extension Int64 {
    /// Truncates toward zero, clamping out-of-range values and mapping NaN to 0.
    init(clampingDouble x: Double) {
        if x.isNaN { self = 0 } else if x >= 9.2233720368547758e18 { self = .max } else if x <= -9.2233720368547758e18 { self = .min } else { self = Int64(x) }
    }
}

// MARK: - conformances

extension Double: FloatingScalar {
    public static var dtype: DType { .float64 }
    public typealias SumScalar = Double
    public typealias RealScalar = Double
    public var _double: Double { self }
    public var _int64: Int64 { Int64(clampingDouble: self) }
    public init(_double: Double) { self = _double }
    public init(_int64: Int64) { self = Double(_int64) }
    public var _isNaN: Bool { isNaN }
    public var _isNonzero: Bool { self != 0 }
    public static func _less(_ a: Double, _ b: Double) -> Bool { a < b }
    public static func _binary(_ op: BinaryOp, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ n: Int) {
        floatBinary(op, a, b, out, n, pow: { Foundation.pow($0, $1) })
    }
    public static func _unary(_ op: UnaryOp, _ a: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Double>, _ n: Int) {
        floatUnary(op, a, out, n, math: doubleMath)
    }
    public static func _compare(_ op: CompareOp, _ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ out: UnsafeMutablePointer<Bool>, _ n: Int) {
        comparableCompare(op, a, b, out, n)
    }
    public static func _sumRun(_ a: UnsafePointer<Double>, _ n: Int, skipNaN: Bool) -> (double: Double, int: Int64, count: Int) {
        if skipNaN { let (s, c) = nanSkippingSum(a, n); return (s, 0, c) }
        return (simdSum(a, n), 0, n)
    }
    public static func _sumResult(double: Double, int: Int64) -> Double { double }
}

extension Float: FloatingScalar {
    public static var dtype: DType { .float32 }
    public typealias SumScalar = Float
    public typealias RealScalar = Float
    public var _double: Double { Double(self) }
    public var _int64: Int64 { Int64(clampingDouble: Double(self)) }
    public init(_double: Double) { self = Float(_double) }
    public init(_int64: Int64) { self = Float(_int64) }
    public var _isNaN: Bool { isNaN }
    public var _isNonzero: Bool { self != 0 }
    public static func _less(_ a: Float, _ b: Float) -> Bool { a < b }
    public static func _binary(_ op: BinaryOp, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        floatBinary(op, a, b, out, n, pow: { Foundation.powf($0, $1) })
    }
    public static func _unary(_ op: UnaryOp, _ a: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ n: Int) {
        floatUnary(op, a, out, n, math: floatMath)
    }
    public static func _compare(_ op: CompareOp, _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Bool>, _ n: Int) {
        comparableCompare(op, a, b, out, n)
    }
    public static func _sumRun(_ a: UnsafePointer<Float>, _ n: Int, skipNaN: Bool) -> (double: Double, int: Int64, count: Int) {
        if skipNaN { let (s, c) = nanSkippingSum(a, n); return (s, 0, c) }
        return (Double(simdSum(a, n)), 0, n)
    }
    public static func _sumResult(double: Double, int: Int64) -> Float { Float(double) }
}

extension Int64: NumericScalar {
    public static var dtype: DType { .int64 }
    public typealias SumScalar = Int64
    public typealias RealScalar = Double
    public var _double: Double { Double(self) }
    public var _int64: Int64 { self }
    public init(_double: Double) { self = Int64(clampingDouble: _double) }
    public init(_int64: Int64) { self = _int64 }
    public var _isNaN: Bool { false }
    public var _isNonzero: Bool { self != 0 }
    public static func _less(_ a: Int64, _ b: Int64) -> Bool { a < b }
    public static func _binary(_ op: BinaryOp, _ a: UnsafePointer<Int64>, _ b: UnsafePointer<Int64>, _ out: UnsafeMutablePointer<Int64>, _ n: Int) {
        intBinary(op, a, b, out, n)
    }
    public static func _unary(_ op: UnaryOp, _ a: UnsafePointer<Int64>, _ out: UnsafeMutablePointer<Int64>, _ n: Int) {
        intUnary(op, a, out, n)
    }
    public static func _compare(_ op: CompareOp, _ a: UnsafePointer<Int64>, _ b: UnsafePointer<Int64>, _ out: UnsafeMutablePointer<Bool>, _ n: Int) {
        comparableCompare(op, a, b, out, n)
    }
    public static func _sumRun(_ a: UnsafePointer<Int64>, _ n: Int, skipNaN: Bool) -> (double: Double, int: Int64, count: Int) {
        (0, intSum(a, n), n)
    }
    public static func _sumResult(double: Double, int: Int64) -> Int64 { int }
}

extension Int32: NumericScalar {
    public static var dtype: DType { .int32 }
    public typealias SumScalar = Int64
    public typealias RealScalar = Double
    public var _double: Double { Double(self) }
    public var _int64: Int64 { Int64(self) }
    public init(_double: Double) { self = Int32(truncatingIfNeeded: Int64(clampingDouble: _double)) }
    public init(_int64: Int64) { self = Int32(truncatingIfNeeded: _int64) }
    public var _isNaN: Bool { false }
    public var _isNonzero: Bool { self != 0 }
    public static func _less(_ a: Int32, _ b: Int32) -> Bool { a < b }
    public static func _binary(_ op: BinaryOp, _ a: UnsafePointer<Int32>, _ b: UnsafePointer<Int32>, _ out: UnsafeMutablePointer<Int32>, _ n: Int) {
        intBinary(op, a, b, out, n)
    }
    public static func _unary(_ op: UnaryOp, _ a: UnsafePointer<Int32>, _ out: UnsafeMutablePointer<Int32>, _ n: Int) {
        intUnary(op, a, out, n)
    }
    public static func _compare(_ op: CompareOp, _ a: UnsafePointer<Int32>, _ b: UnsafePointer<Int32>, _ out: UnsafeMutablePointer<Bool>, _ n: Int) {
        comparableCompare(op, a, b, out, n)
    }
    public static func _sumRun(_ a: UnsafePointer<Int32>, _ n: Int, skipNaN: Bool) -> (double: Double, int: Int64, count: Int) {
        (0, intSum(a, n), n)
    }
    public static func _sumResult(double: Double, int: Int64) -> Int64 { int }
}

extension Bool: ArrayScalar {
    public static var dtype: DType { .bool }
    public typealias SumScalar = Int64
    public typealias RealScalar = Double
    public static var zero: Bool { false }
    public static var one: Bool { true }
    public var _double: Double { self ? 1 : 0 }
    public var _int64: Int64 { self ? 1 : 0 }
    public init(_double: Double) { self = _double != 0 }
    public init(_int64: Int64) { self = _int64 != 0 }
    public var _isNaN: Bool { false }
    public var _isNonzero: Bool { self }
    public static func _less(_ a: Bool, _ b: Bool) -> Bool { !a && b }
    public static func _binary(_ op: BinaryOp, _ a: UnsafePointer<Bool>, _ b: UnsafePointer<Bool>, _ out: UnsafeMutablePointer<Bool>, _ n: Int) {
        switch op {
        case .logicalAnd, .multiply, .minimum, .power: for i in 0..<n { out[i] = a[i] && b[i] }
        case .logicalOr, .add, .maximum: for i in 0..<n { out[i] = a[i] || b[i] }
        case .logicalXor, .subtract, .remainder: for i in 0..<n { out[i] = a[i] != b[i] }
        case .divide: for i in 0..<n { out[i] = a[i] }
        }
    }
    public static func _unary(_ op: UnaryOp, _ a: UnsafePointer<Bool>, _ out: UnsafeMutablePointer<Bool>, _ n: Int) {
        switch op {
        case .logicalNot, .negative: for i in 0..<n { out[i] = !a[i] }
        default: for i in 0..<n { out[i] = a[i] }
        }
    }
    public static func _compare(_ op: CompareOp, _ a: UnsafePointer<Bool>, _ b: UnsafePointer<Bool>, _ out: UnsafeMutablePointer<Bool>, _ n: Int) {
        switch op {
        case .equal: for i in 0..<n { out[i] = a[i] == b[i] }
        case .notEqual: for i in 0..<n { out[i] = a[i] != b[i] }
        case .less: for i in 0..<n { out[i] = !a[i] && b[i] }
        case .lessEqual: for i in 0..<n { out[i] = !a[i] || b[i] }
        case .greater: for i in 0..<n { out[i] = a[i] && !b[i] }
        case .greaterEqual: for i in 0..<n { out[i] = a[i] || !b[i] }
        }
    }
    public static func _sumRun(_ a: UnsafePointer<Bool>, _ n: Int, skipNaN: Bool) -> (double: Double, int: Int64, count: Int) {
        var c: Int64 = 0
        for i in 0..<n where a[i] { c += 1 }
        return (0, c, n)
    }
    public static func _sumResult(double: Double, int: Int64) -> Int64 { int }
}

extension ArrayScalar where Self: Numeric {
    public static var zero: Self { 0 }
    public static var one: Self { 1 }
}
