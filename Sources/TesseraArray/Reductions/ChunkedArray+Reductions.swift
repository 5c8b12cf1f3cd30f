import Foundation

// The reductions a NumPy user knows, each a `Reducer` (fold, merge, finalize) run by `reduce`.
// Numerics: sums fold runs with several SIMD accumulators and merge run and block sums with
// Neumaier's compensated addition; integer sums are exact in 128 bits. Variances fold each run's
// corrected two-pass moments (mean kept as a double-double) and merge them with Chan et al.'s
// pairwise formula, so neither loses precision on long arrays or under a large offset.
//
// Non-finite values: the SIMD loops add ±inf and NaN like any value; the compensation steps
// aside once per run (not per element) when the running sum stops being finite, so a sum with
// an inf is ±inf (or NaN for inf − inf), as in NumPy, and overflow to inf stays inf.

/// Running sum of runs: compensated (Neumaier) for floats, exact Int128 for integers.
///
/// Integer `sum` returns the exact total modulo 2⁶⁴ (wraps like NumPy's int64 sum, and the
/// wrapped value is the same for every chunking); integer `mean` divides the exact total.
struct SumState {
    var sum = 0.0, compensation = 0.0
    var int: Int128 = 0
    var count = 0

    @inline(__always) mutating func add(_ x: Double) {
        let t = sum + x
        // Compensation only means something between finite values: with an inf on either side
        // `(x − t) + sum` is inf − inf = NaN. One well-predicted branch per run, not per element.
        guard t.isFinite else { sum = t; return }
        if Swift.abs(sum) >= Swift.abs(x) { compensation += (sum - t) + x } else { compensation += (x - t) + sum }
        sum = t
    }

    mutating func merge(_ o: SumState) {
        add(o.sum)
        add(o.compensation)
        int += o.int
        count += o.count
    }

    var total: Double { sum.isFinite ? sum + compensation : sum }
}

/// Count, mean and sum of squared deviations (M2) of the values seen. The mean is a
/// double-double (`mean + meanLow`): a block mean near 1e9 rounded to a Double is off by up to
/// 6e-8, and the merge's `delta` of two such means would carry that error into M2.
struct MomentState {
    var n = 0.0, mean = 0.0, meanLow = 0.0, m2 = 0.0

    /// Chan, Golub & LeVeque's pairwise update, with the means' difference taken in double-double.
    mutating func merge(_ o: MomentState) {
        if o.n == 0 { return }
        if n == 0 { self = o; return }
        let total = n + o.n
        let delta = (o.mean - mean) + (o.meanLow - meanLow)
        (mean, meanLow) = twoSum(mean, meanLow + delta * (o.n / total))
        m2 += o.m2 + delta * delta * (n * o.n / total)
        n = total
    }
}

/// `a + b` as an unevaluated sum `s + e` with `s = fl(a + b)` (Knuth's TwoSum).
@inline(__always) func twoSum(_ a: Double, _ b: Double) -> (Double, Double) {
    let s = a + b
    let bb = s - a
    return (s, (a - (s - bb)) + (b - bb))
}

/// The best value seen and its first position; `nan` marks a NaN seen (it wins unless skipped).
struct ExtremeState<T: Sendable>: Sendable {
    var value: T
    var index = -1
    var nan = false
    var nanIndex = -1
}

/// Running product.
struct ProductState {
    var double = 1.0
    var int: Int64 = 1
}

extension ChunkedArray {
    var isFloating: Bool { Scalar.dtype == .float64 || Scalar.dtype == .float32 }

    /// Row fast path of the sum family: convert the row once with a specialised kernel, then
    /// add into each state with concrete (non-generic) code.
    static func sumRow(skipNaN: Bool) -> @Sendable (UnsafeMutablePointer<SumState>, UnsafePointer<Scalar>, Int, Int) -> Void {
        let floating = Scalar.dtype == .float64 || Scalar.dtype == .float32
        return { states, p, n, _ in
            if floating {
                withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { tmp in
                    dispatch(p, n, ToDoubleKernel(out: tmp.baseAddress!))
                    if skipNaN {
                        for j in 0..<n where !tmp[j].isNaN { states[j].add(tmp[j]); states[j].count += 1 }
                    } else {
                        for j in 0..<n { states[j].add(tmp[j]); states[j].count += 1 }
                    }
                }
            } else {
                withUnsafeTemporaryAllocation(of: Int64.self, capacity: n) { tmp in
                    dispatch(p, n, ToInt64Kernel(out: tmp.baseAddress!))
                    for j in 0..<n {
                        states[j].int += Int128(tmp[j])
                        states[j].count += 1
                    }
                }
            }
        }
    }

    func sumReducer(_ name: String, skipNaN: Bool) -> Reducer<Scalar, SumState, Scalar.SumScalar> {
        var r = sumReducerBase(name, skipNaN: skipNaN)
        r.foldRow = ChunkedArray.sumRow(skipNaN: skipNaN)
        return r
    }

    /// Folds a run into a compensated sum, an exact integer sum and a count (sum and mean share it).
    static func sumFold(skipNaN: Bool) -> @Sendable (inout SumState, UnsafePointer<Scalar>, Int, Int) -> Void {
        { s, p, n, _ in
            let r = Scalar._sumRun(p, n, skipNaN: skipNaN)
            s.add(r.double)
            s.int += r.int
            s.count += r.count
        }
    }

    func sumReducerBase(_ name: String, skipNaN: Bool) -> Reducer<Scalar, SumState, Scalar.SumScalar> {
        Reducer(name: name, initial: SumState(),
                fold: ChunkedArray.sumFold(skipNaN: skipNaN),
                merge: { $0.merge($1) },
                finalize: { Scalar._sumResult(double: $0.total, int: $0.int) })
    }

    func meanReducer(_ name: String, skipNaN: Bool) -> Reducer<Scalar, SumState, Scalar.RealScalar> {
        let floating = isFloating
        var r = Reducer<Scalar, SumState, Scalar.RealScalar>(
            name: name, initial: SumState(),
            fold: ChunkedArray.sumFold(skipNaN: skipNaN),
            merge: { $0.merge($1) },
            finalize: { s in
                // Integers: the exact Int128 total divided once (NumPy accumulates in float64).
                let total = floating ? s.total : Double(s.int)
                return Scalar.RealScalar(_double: s.count == 0 ? .nan : total / Double(s.count))
            })
        r.foldRow = ChunkedArray.sumRow(skipNaN: skipNaN)
        return r
    }

    func momentReducer(_ name: String, skipNaN: Bool, ddof: Int, sqrt: Bool) -> Reducer<Scalar, MomentState, Scalar.RealScalar> {
        Reducer(name: name, initial: MomentState(),
                fold: { s, p, n, _ in
                    // Corrected two-pass moments of the run (it sits in cache), then a Chan merge.
                    let r = Scalar._sumRun(p, n, skipNaN: skipNaN)
                    guard r.count > 0 else { return }
                    let c = Double(r.count)
                    let isInt = Scalar.dtype != .float64 && Scalar.dtype != .float32
                    // Integers pivot on the exact mean rounded toward zero (it fits in Int64).
                    let intPivot = isInt ? Int64(r.int / Int128(r.count)) : 0
                    let pivot = isInt ? Double(intPivot) : r.double / c
                    let d = dispatch(p, n, DeviationKernel(pivot: pivot, intPivot: intPivot, skipNaN: skipNaN))
                    // Double(intPivot) may round; its error goes into the low part of the mean.
                    let pivotLow = isInt ? Double(Int128(intPivot) - Int128(pivot)) : 0
                    let (mean, low) = twoSum(pivot, pivotLow + d.s1 / c)
                    // s₁² ≤ n·s₂ exactly; rounding may dip below 0 (NaN must pass through). When
                    // the squares overflow, s₂ is inf and so is M2 (s₁² may be inf too: no inf − inf).
                    let m2 = d.s2.isFinite ? d.s2 - d.s1 * d.s1 / c : d.s2
                    s.merge(MomentState(n: c, mean: mean, meanLow: low, m2: m2 < 0 ? 0 : m2))
                },
                merge: { $0.merge($1) },
                finalize: { s in
                    let d = s.n - Double(ddof)
                    let v = d > 0 ? s.m2 / d : .nan
                    return Scalar.RealScalar(_double: sqrt ? v.squareRoot() : v)
                })
    }

    /// min/max/argmin/argmax: `better(a, b)` is true when a should replace b.
    func extremeReducer<R: ArrayScalar>(_ name: String, max: Bool, skipNaN: Bool, result: @escaping @Sendable (ExtremeState<Scalar>) throws -> R) -> Reducer<Scalar, ExtremeState<Scalar>, R> {
        var r = Reducer<Scalar, ExtremeState<Scalar>, R>(
            name: name, initial: ExtremeState(value: .zero),
            fold: { s, p, n, pos in
                let (best, nan) = dispatch(p, n, ExtremeKernel(max: max))
                if nan >= 0 && !s.nan { s.nan = true; s.nanIndex = pos + nan }
                guard best >= 0 else { return }
                let x = p[best]
                if s.index < 0 || (max ? Scalar._less(s.value, x) : Scalar._less(x, s.value)) {
                    s.value = x
                    s.index = pos + best
                }
            },
            merge: { s, o in
                if o.nan && (!s.nan || o.nanIndex < s.nanIndex) { s.nan = true; s.nanIndex = o.nanIndex }
                guard o.index >= 0 else { return }
                if s.index < 0 { s.value = o.value; s.index = o.index; return }
                let better = max ? Scalar._less(s.value, o.value) : Scalar._less(o.value, s.value)
                // Ties go to the first position, whatever order blocks merge in.
                if better || (o.value == s.value && o.index < s.index) { s.value = o.value; s.index = o.index }
            },
            finalize: result)
        r.needsElements = true
        return r
    }
}

extension ChunkedArray {
    /// Sum over `axis` (all axes when nil). Integers and Bool sum to Int64.
    ///
    /// Floats: SIMD runs merged with compensated addition, within 2nε·Σ|xᵢ| of the exact sum;
    /// any NaN gives NaN, +inf and −inf together give NaN, otherwise an inf gives that inf.
    /// Integers: the exact sum, wrapped modulo 2⁶⁴ when it overflows Int64 (NumPy wraps too);
    /// the wrapped value is the same for every chunking — a deliberate choice over an error,
    /// so that `sum` never fails on data NumPy sums.
    ///
    /// Element-wise work feeding the sum runs in the same task, one pass per block.
    /// - Parameters:
    ///   - axis: the axis to reduce; nil reduces all of them.
    ///   - keepdims: keep reduced axes with length 1.
    ///   - fanIn: inputs per combine task in the reduction tree.
    /// - Throws: `ArrayError.invalidAxis`, `.invalidArgument` for fanIn < 2.
    public func sum(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.SumScalar> {
        try reduce(sumReducer("sum", skipNaN: false), axes: axis.map { [$0] }, keepdims: keepdims, fanIn: fanIn)
    }
    /// Sum over several axes.
    public func sum(axes: [Int], keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.SumScalar> {
        try reduce(sumReducer("sum", skipNaN: false), axes: axes, keepdims: keepdims, fanIn: fanIn)
    }
    /// Sum ignoring NaNs.
    public func nansum(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.SumScalar> {
        try reduce(sumReducer("nansum", skipNaN: true), axes: axis.map { [$0] }, keepdims: keepdims, fanIn: fanIn)
    }
    /// Sum ignoring NaNs over several axes.
    public func nansum(axes: [Int], keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.SumScalar> {
        try reduce(sumReducer("nansum", skipNaN: true), axes: axes, keepdims: keepdims, fanIn: fanIn)
    }
    /// Arithmetic mean (NaN for zero elements). Integers divide their exact (128-bit) sum once,
    /// so `[Int64.max, Int64.max].mean()` is 9.223372036854776e18, never a wrapped value.
    public func mean(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.RealScalar> {
        try reduce(meanReducer("mean", skipNaN: false), axes: axis.map { [$0] }, keepdims: keepdims, fanIn: fanIn)
    }
    /// Mean over several axes.
    public func mean(axes: [Int], keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.RealScalar> {
        try reduce(meanReducer("mean", skipNaN: false), axes: axes, keepdims: keepdims, fanIn: fanIn)
    }
    /// Mean ignoring NaNs.
    public func nanmean(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.RealScalar> {
        try reduce(meanReducer("nanmean", skipNaN: true), axes: axis.map { [$0] }, keepdims: keepdims, fanIn: fanIn)
    }
    /// Mean ignoring NaNs over several axes.
    public func nanmean(axes: [Int], keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.RealScalar> {
        try reduce(meanReducer("nanmean", skipNaN: true), axes: axes, keepdims: keepdims, fanIn: fanIn)
    }
    /// Variance with `ddof` delta degrees of freedom (NaN when count ≤ ddof).
    ///
    /// Each run's moments come from the corrected two-pass algorithm around a pivot (an exact
    /// integer pivot for integers), merged pairwise with double-double means, so a large offset
    /// costs no precision: within 8nε·(Σxᵢ²/n) of the exact variance, and equal values give
    /// exactly 0. Any NaN or inf gives NaN; squares that overflow give inf.
    public func `var`(axis: Int? = nil, ddof: Int = 0, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.RealScalar> {
        try reduce(momentReducer("var", skipNaN: false, ddof: ddof, sqrt: false), axes: axis.map { [$0] }, keepdims: keepdims, fanIn: fanIn)
    }
    /// Variance over several axes.
    public func `var`(axes: [Int], ddof: Int = 0, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.RealScalar> {
        try reduce(momentReducer("var", skipNaN: false, ddof: ddof, sqrt: false), axes: axes, keepdims: keepdims, fanIn: fanIn)
    }
    /// Standard deviation with `ddof`.
    public func std(axis: Int? = nil, ddof: Int = 0, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.RealScalar> {
        try reduce(momentReducer("std", skipNaN: false, ddof: ddof, sqrt: true), axes: axis.map { [$0] }, keepdims: keepdims, fanIn: fanIn)
    }
    /// Standard deviation over several axes.
    public func std(axes: [Int], ddof: Int = 0, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.RealScalar> {
        try reduce(momentReducer("std", skipNaN: false, ddof: ddof, sqrt: true), axes: axes, keepdims: keepdims, fanIn: fanIn)
    }
    /// Variance ignoring NaNs.
    public func nanvar(axis: Int? = nil, ddof: Int = 0, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.RealScalar> {
        try reduce(momentReducer("nanvar", skipNaN: true, ddof: ddof, sqrt: false), axes: axis.map { [$0] }, keepdims: keepdims, fanIn: fanIn)
    }
    /// Standard deviation ignoring NaNs.
    public func nanstd(axis: Int? = nil, ddof: Int = 0, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.RealScalar> {
        try reduce(momentReducer("nanstd", skipNaN: true, ddof: ddof, sqrt: true), axes: axis.map { [$0] }, keepdims: keepdims, fanIn: fanIn)
    }

    /// Product (integers wrap in Int64, Bool is `all`).
    public func prod(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.SumScalar> {
        try prod(axes: axis.map { [$0] }, keepdims: keepdims, fanIn: fanIn, skipNaN: false)
    }
    /// Product over several axes.
    public func prod(axes: [Int], keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.SumScalar> {
        try prod(axes: axes, keepdims: keepdims, fanIn: fanIn, skipNaN: false)
    }
    /// Product ignoring NaNs.
    public func nanprod(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar.SumScalar> {
        try prod(axes: axis.map { [$0] }, keepdims: keepdims, fanIn: fanIn, skipNaN: true)
    }

    func prod(axes: [Int]?, keepdims: Bool, fanIn: Int, skipNaN: Bool) throws -> ChunkedArray<Scalar.SumScalar> {
        let floating = isFloating
        let r = Reducer<Scalar, ProductState, Scalar.SumScalar>(
            name: skipNaN ? "nanprod" : "prod", initial: ProductState(),
            fold: { s, p, n, _ in
                for i in 0..<n {
                    let x = p[i]
                    if floating { if !(skipNaN && x._isNaN) { s.double *= x._double } } else { s.int = s.int &* x._int64 }
                }
            },
            merge: { $0.double *= $1.double; $0.int = $0.int &* $1.int },
            finalize: { Scalar._sumResult(double: $0.double, int: Int128($0.int)) })
        return try reduce(r, axes: axes, keepdims: keepdims, fanIn: fanIn)
    }

    /// Smallest element (NaN if any element is NaN).
    /// - Throws: `ArrayError.emptyReduction` over zero elements.
    public func min(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar> {
        try extreme("min", axes: axis.map { [$0] }, max: false, skipNaN: false, keepdims: keepdims, fanIn: fanIn)
    }
    /// Smallest element over several axes.
    public func min(axes: [Int], keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar> {
        try extreme("min", axes: axes, max: false, skipNaN: false, keepdims: keepdims, fanIn: fanIn)
    }
    /// Largest element (NaN if any element is NaN).
    /// - Throws: `ArrayError.emptyReduction` over zero elements.
    public func max(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar> {
        try extreme("max", axes: axis.map { [$0] }, max: true, skipNaN: false, keepdims: keepdims, fanIn: fanIn)
    }
    /// Largest element over several axes.
    public func max(axes: [Int], keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar> {
        try extreme("max", axes: axes, max: true, skipNaN: false, keepdims: keepdims, fanIn: fanIn)
    }
    /// Smallest non-NaN element (NaN where all are NaN).
    public func nanmin(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar> {
        try extreme("nanmin", axes: axis.map { [$0] }, max: false, skipNaN: true, keepdims: keepdims, fanIn: fanIn)
    }
    /// Largest non-NaN element (NaN where all are NaN).
    public func nanmax(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Scalar> {
        try extreme("nanmax", axes: axis.map { [$0] }, max: true, skipNaN: true, keepdims: keepdims, fanIn: fanIn)
    }

    func extreme(_ name: String, axes: [Int]?, max: Bool, skipNaN: Bool, keepdims: Bool, fanIn: Int) throws -> ChunkedArray<Scalar> {
        try reduce(extremeReducer(name, max: max, skipNaN: skipNaN) { s in
            if s.nan && (!skipNaN || s.index < 0) { return Scalar(_double: .nan) }
            return s.value
        }, axes: axes, keepdims: keepdims, fanIn: fanIn)
    }

    /// Position of the smallest element: flat (row-major) when `axis` is nil, else along `axis`.
    /// The first occurrence wins; a NaN counts as the extreme (NumPy).
    /// - Throws: `ArrayError.emptyReduction` over zero elements, `.invalidAxis`.
    public func argmin(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Int64> {
        try argExtreme("argmin", axis: axis, max: false, skipNaN: false, keepdims: keepdims, fanIn: fanIn)
    }
    /// Position of the largest element (see `argmin`).
    public func argmax(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Int64> {
        try argExtreme("argmax", axis: axis, max: true, skipNaN: false, keepdims: keepdims, fanIn: fanIn)
    }
    /// Position of the smallest non-NaN element; an all-NaN slice fails the compute.
    public func nanargmin(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Int64> {
        try argExtreme("nanargmin", axis: axis, max: false, skipNaN: true, keepdims: keepdims, fanIn: fanIn)
    }
    /// Position of the largest non-NaN element; an all-NaN slice fails the compute.
    public func nanargmax(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Int64> {
        try argExtreme("nanargmax", axis: axis, max: true, skipNaN: true, keepdims: keepdims, fanIn: fanIn)
    }

    func argExtreme(_ name: String, axis: Int?, max: Bool, skipNaN: Bool, keepdims: Bool, fanIn: Int) throws -> ChunkedArray<Int64> {
        let shape = self.shape
        return try reduce(extremeReducer(name, max: max, skipNaN: skipNaN) { s in
            if s.nan && !skipNaN { return Int64(s.nanIndex) }
            guard s.index >= 0 else {
                throw ArrayError.invalidArgument(operation: name, reason: "all-NaN slice encountered in array of shape \(fmt(shape))")
            }
            return Int64(s.index)
        }, axes: axis.map { [$0] }, keepdims: keepdims, fanIn: fanIn)
    }

    /// Whether any element is non-zero (true).
    public func any(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Bool> {
        try logical("any", axes: axis.map { [$0] }, all: false, keepdims: keepdims, fanIn: fanIn)
    }
    /// Whether any element is non-zero over several axes.
    public func any(axes: [Int], keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Bool> {
        try logical("any", axes: axes, all: false, keepdims: keepdims, fanIn: fanIn)
    }
    /// Whether every element is non-zero (true); true for zero elements.
    public func all(axis: Int? = nil, keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Bool> {
        try logical("all", axes: axis.map { [$0] }, all: true, keepdims: keepdims, fanIn: fanIn)
    }
    /// Whether every element is non-zero over several axes.
    public func all(axes: [Int], keepdims: Bool = false, fanIn: Int = defaultFanIn) throws -> ChunkedArray<Bool> {
        try logical("all", axes: axes, all: true, keepdims: keepdims, fanIn: fanIn)
    }

    func logical(_ name: String, axes: [Int]?, all: Bool, keepdims: Bool, fanIn: Int) throws -> ChunkedArray<Bool> {
        let r = Reducer<Scalar, Bool, Bool>(
            name: name, initial: all,
            fold: { s, p, n, _ in
                if all { if s { s = dispatch(p, n, LogicalKernel(all: true)) } } else if !s { s = dispatch(p, n, LogicalKernel(all: false)) }
            },
            merge: { s, o in s = all ? (s && o) : (s || o) },
            finalize: { $0 })
        return try reduce(r, axes: axes, keepdims: keepdims, fanIn: fanIn)
    }
}
