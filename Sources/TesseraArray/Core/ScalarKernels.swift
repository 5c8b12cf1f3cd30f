import Foundation

// The loop bodies behind `ArrayScalar`'s kernels. Each is `@inline(__always)` and called from
// a concrete conformance, so it is compiled once per element type with the type known.

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

/// The exact sum of a run of integers. Each value splits into a signed high half and an
/// unsigned low half (x = hi·2³² + lo); the halves sum in Int64 without overflow for runs below
/// 2³¹ elements, and the loop stays branch-free and vectorisable. Narrower types sum directly.
@inline(__always)
func intSumExact<T: FixedWidthInteger>(_ a: UnsafePointer<T>, _ n: Int) -> Int128 {
    if T.bitWidth <= 32 {
        // |x| < 2³¹, so any run shorter than 2³² elements sums exactly in Int64.
        var s0: Int64 = 0, s1: Int64 = 0
        var i = 0
        while i + 2 <= n { s0 &+= Int64(a[i]); s1 &+= Int64(a[i + 1]); i += 2 }
        if i < n { s0 &+= Int64(a[i]) }
        return Int128(s0) + Int128(s1)
    }
    var total: Int128 = 0
    var start = 0
    while start < n {
        let end = Swift.min(n, start + (1 << 30))
        var hi0: Int64 = 0, hi1: Int64 = 0, lo0: Int64 = 0, lo1: Int64 = 0
        var i = start
        while i + 2 <= end {
            let x = Int64(truncatingIfNeeded: a[i]), y = Int64(truncatingIfNeeded: a[i + 1])
            hi0 &+= x >> 32; lo0 &+= x & 0xFFFF_FFFF
            hi1 &+= y >> 32; lo1 &+= y & 0xFFFF_FFFF
            i += 2
        }
        if i < end { let x = Int64(truncatingIfNeeded: a[i]); hi0 &+= x >> 32; lo0 &+= x & 0xFFFF_FFFF }
        total += (Int128(hi0) + Int128(hi1)) << 32 + Int128(lo0) + Int128(lo1)
        start = end
    }
    return total
}

extension Int64 {
    /// Truncates toward zero, clamping out-of-range values and mapping NaN to 0.
    init(clampingDouble x: Double) {
        if x.isNaN { self = 0 } else if x >= 9.2233720368547758e18 { self = .max } else if x <= -9.2233720368547758e18 { self = .min } else { self = Int64(x) }
    }
}
