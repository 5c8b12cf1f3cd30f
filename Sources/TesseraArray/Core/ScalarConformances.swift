import Foundation

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
    public static func _sumRun(_ a: UnsafePointer<Double>, _ n: Int, skipNaN: Bool) -> (double: Double, int: Int128, count: Int) {
        if skipNaN { let (s, c) = nanSkippingSum(a, n); return (s, 0, c) }
        return (simdSum(a, n), 0, n)
    }
    public static func _sumResult(double: Double, int: Int128) -> Double { double }
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
    public static func _sumRun(_ a: UnsafePointer<Float>, _ n: Int, skipNaN: Bool) -> (double: Double, int: Int128, count: Int) {
        if skipNaN { let (s, c) = nanSkippingSum(a, n); return (s, 0, c) }
        return (Double(simdSum(a, n)), 0, n)
    }
    public static func _sumResult(double: Double, int: Int128) -> Float { Float(double) }
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
    public static func _sumRun(_ a: UnsafePointer<Int64>, _ n: Int, skipNaN: Bool) -> (double: Double, int: Int128, count: Int) {
        (0, intSumExact(a, n), n)
    }
    public static func _sumResult(double: Double, int: Int128) -> Int64 { Int64(truncatingIfNeeded: int) }
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
    public static func _sumRun(_ a: UnsafePointer<Int32>, _ n: Int, skipNaN: Bool) -> (double: Double, int: Int128, count: Int) {
        (0, intSumExact(a, n), n)
    }
    public static func _sumResult(double: Double, int: Int128) -> Int64 { Int64(truncatingIfNeeded: int) }
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
    public static func _sumRun(_ a: UnsafePointer<Bool>, _ n: Int, skipNaN: Bool) -> (double: Double, int: Int128, count: Int) {
        var c: Int64 = 0
        for i in 0..<n where a[i] { c += 1 }
        return (0, Int128(c), n)
    }
    public static func _sumResult(double: Double, int: Int128) -> Int64 { Int64(truncatingIfNeeded: int) }
}

extension ArrayScalar where Self: Numeric {
    public static var zero: Self { 0 }
    public static var one: Self { 1 }
}
