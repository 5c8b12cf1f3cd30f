// Generic array code runs unspecialised when called from another module (ChunkedArray<Double>
// methods are not @inlinable), so a per-element loop in it pays a witness-table call per element
// (tens of ns). Kernels avoid that: `dispatch` switches once per run on the dtype and calls the
// kernel's generic `run` with a concrete element type, which the optimiser specialises.

/// A loop over a run of elements, specialised per element type by `dispatch`.
protocol RunKernel {
    associatedtype Result
    func run<C: ArrayScalar>(_ p: UnsafePointer<C>, _ n: Int) -> Result
}

/// Runs `kernel` on `p` rebound to its concrete element type.
@inline(__always)
func dispatch<T: ArrayScalar, K: RunKernel>(_ p: UnsafePointer<T>, _ n: Int, _ kernel: K) -> K.Result {
    let raw = UnsafeRawPointer(p)
    switch T.dtype {
    case .float64: return kernel.run(raw.assumingMemoryBound(to: Double.self), n)
    case .float32: return kernel.run(raw.assumingMemoryBound(to: Float.self), n)
    case .int64: return kernel.run(raw.assumingMemoryBound(to: Int64.self), n)
    case .int32: return kernel.run(raw.assumingMemoryBound(to: Int32.self), n)
    case .bool: return kernel.run(raw.assumingMemoryBound(to: Bool.self), n)
    }
}

/// Position of the best (largest or smallest) non-NaN element, first occurrence, and of the first NaN.
struct ExtremeKernel: RunKernel {
    let max: Bool
    func run<C: ArrayScalar>(_ p: UnsafePointer<C>, _ n: Int) -> (best: Int, firstNaN: Int) {
        var best = -1, nan = -1
        var i = 0
        // Skip leading NaNs to seed the comparison.
        while i < n && p[i]._isNaN { if nan < 0 { nan = i }; i += 1 }
        guard i < n else { return (-1, nan) }
        best = i
        var v = p[i]
        i += 1
        if max {
            while i < n {
                let x = p[i]
                if C._less(v, x) { v = x; best = i } else if nan < 0 && x._isNaN { nan = i }
                i += 1
            }
        } else {
            while i < n {
                let x = p[i]
                if C._less(x, v) { v = x; best = i } else if nan < 0 && x._isNaN { nan = i }
                i += 1
            }
        }
        return (best, nan)
    }
}

/// Σ (x − pivot) and Σ (x − pivot)² over the run (NaNs skipped when asked), for the corrected
/// two-pass variance: with s₁ and s₂ from a pivot near the mean, the run's mean is pivot + s₁/n
/// and its M2 is s₂ − s₁²/n, so an inexact pivot costs nothing to first order (Chan, Golub &
/// LeVeque's "corrected two-pass algorithm"). Integers take their deviations from an integer
/// pivot exactly (`x − pivot` in Int64 when it fits), so huge equal values give exactly 0.
struct DeviationKernel: RunKernel {
    let pivot: Double
    let intPivot: Int64
    let skipNaN: Bool
    func run<C: ArrayScalar>(_ p: UnsafePointer<C>, _ n: Int) -> (s1: Double, s2: Double) {
        var a0 = 0.0, a1 = 0.0, q0 = 0.0, q1 = 0.0
        if C.dtype == .int64 || C.dtype == .int32 || C.dtype == .bool {
            for i in 0..<n {
                let x = p[i]._int64
                let (d, o) = x.subtractingReportingOverflow(intPivot)
                let v = o ? Double(x) - Double(intPivot) : Double(d)
                a0 += v; q0 += v * v
            }
            return (a0, q0)
        }
        if skipNaN {
            for i in 0..<n { let x = p[i]._double; if !x.isNaN { let d = x - pivot; a0 += d; q0 += d * d } }
            return (a0, q0)
        }
        var i = 0
        while i + 2 <= n {
            let a = p[i]._double - pivot, b = p[i + 1]._double - pivot
            a0 += a; q0 += a * a
            a1 += b; q1 += b * b
            i += 2
        }
        if i < n { let a = p[i]._double - pivot; a0 += a; q0 += a * a }
        return (a0 + a1, q0 + q1)
    }
}

/// Copies a run into Doubles (or Int64s for integer types, exactly).
struct ToDoubleKernel: RunKernel {
    let out: UnsafeMutablePointer<Double>
    func run<C: ArrayScalar>(_ p: UnsafePointer<C>, _ n: Int) {
        for i in 0..<n { out[i] = p[i]._double }
    }
}

struct ToInt64Kernel: RunKernel {
    let out: UnsafeMutablePointer<Int64>
    func run<C: ArrayScalar>(_ p: UnsafePointer<C>, _ n: Int) {
        for i in 0..<n { out[i] = p[i]._int64 }
    }
}

/// Whether any (or every) element is non-zero.
struct LogicalKernel: RunKernel {
    let all: Bool
    func run<C: ArrayScalar>(_ p: UnsafePointer<C>, _ n: Int) -> Bool {
        if all {
            for i in 0..<n where !p[i]._isNonzero { return false }
            return true
        }
        for i in 0..<n where p[i]._isNonzero { return true }
        return false
    }
}

/// Converts a run between element types with both types concrete inside the loop (NumPy's
/// `astype` rules: floats to integers truncate, NaN → 0; anything to Bool is `!= 0`).
func convertRun<S: ArrayScalar, D: ArrayScalar>(_ src: UnsafePointer<S>, _ dst: UnsafeMutablePointer<D>, _ n: Int) {
    if S.self == D.self {
        UnsafeMutableRawPointer(dst).copyMemory(from: src, byteCount: n * MemoryLayout<S>.stride)
        return
    }
    dispatch(src, n, ConvertKernel(out: UnsafeMutableRawPointer(dst), target: D.dtype))
}

struct ConvertKernel: RunKernel {
    let out: UnsafeMutableRawPointer
    let target: DType
    func run<C: ArrayScalar>(_ p: UnsafePointer<C>, _ n: Int) {
        func to<D: ArrayScalar>(_: D.Type) {
            let d = out.assumingMemoryBound(to: D.self)
            switch D.dtype {
            case .float64, .float32: for i in 0..<n { d[i] = D(_double: p[i]._double) }
            case .int64, .int32: for i in 0..<n { d[i] = D(_int64: p[i]._int64) }
            case .bool: for i in 0..<n { d[i] = p[i]._isNonzero ? D.one : D.zero }
            }
        }
        switch target {
        case .float64: to(Double.self)
        case .float32: to(Float.self)
        case .int64: to(Int64.self)
        case .int32: to(Int32.self)
        case .bool: to(Bool.self)
        }
    }
}
