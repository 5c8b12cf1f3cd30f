import Foundation
import Testing
import Tessera
@testable import TesseraArray

// Property test of every reduction on random arrays full of nasty values (NaN, ±inf, huge,
// tiny, subnormal) at random chunkings, against naive references computed in double-double
// arithmetic (about 106 bits), and across chunkings.
//
// Documented tolerances (n elements reduced, ε = 2⁻⁵³):
// - Non-finite results (from NaN or ±inf inputs, IEEE rules) are exact: NaN, +inf or −inf.
// - min, max, argmin, argmax and their nan-variants are exact.
// - sum, nansum: |got − exact| ≤ 2nε·Σ|xᵢ| (each run is summed with plain SIMD adds, runs and
//   blocks with compensation); mean and nanmean the same divided by n.
// - var (and nanvar): |got − exact| ≤ 8nε·(Σxᵢ²/n); std: |got − exact| ≤ √(that bound) + 2ε·std
//   (the square root of a perturbed variance).
// - prod is not covered: IEEE over- and underflow of partial products depends on their order.
// Two chunkings differ by at most twice these bounds. The data's partial sums never overflow
// (huge values are ≤ 1e300 and n ≤ 60), the one place where order may legitimately change the
// answer (to ±inf).

/// A double-double accumulator: `hi + lo` exactly represents the sum so far to ~106 bits.
struct DoubleDouble {
    var hi = 0.0, lo = 0.0
    mutating func add(_ x: Double) {
        let (s, e) = twoSum(hi, x)
        // Past overflow the sum is ±inf (or NaN), as in plain IEEE arithmetic.
        guard s.isFinite else { hi = s; lo = 0; return }
        (hi, lo) = twoSum(s, lo + e)
    }
    var value: Double { hi + lo }
}

/// The naive references, each a loop over the values in order.
enum Naive {
    /// IEEE's answer when a value is non-finite, nil otherwise.
    static func nonFinite(_ x: [Double]) -> Double? {
        if x.contains(where: \.isNaN) { return .nan }
        let pos = x.contains(.infinity), neg = x.contains(-.infinity)
        if pos && neg { return .nan }
        return pos ? .infinity : neg ? -.infinity : nil
    }
    static func sum(_ x: [Double]) -> Double {
        if let s = nonFinite(x) { return s }
        var d = DoubleDouble()
        for v in x { d.add(v) }
        return d.value
    }
    static func mean(_ x: [Double]) -> Double {
        x.isEmpty ? .nan : (nonFinite(x) ?? exactMeanParts(x).hi + exactMeanParts(x).lo)
    }
    /// The mean as a double-double.
    static func exactMeanParts(_ x: [Double]) -> (hi: Double, lo: Double) {
        var d = DoubleDouble()
        for v in x { d.add(v) }
        let n = Double(x.count)
        let hi = d.hi / n
        // The division's remainder d.hi − hi·n is exact in one FMA.
        let rem = d.hi.addingProduct(-hi, n) + d.lo
        return (hi, rem / n)
    }
    static func variance(_ x: [Double], ddof: Int = 0) -> Double {
        if x.count - ddof <= 0 { return .nan }
        if nonFinite(x) != nil { return .nan }
        let m = exactMeanParts(x)
        var d = DoubleDouble()
        for v in x {
            // (v − hi) is exact when v and hi are close; otherwise its rounding is far below ε·v².
            let dev = (v - m.hi) - m.lo
            d.add(dev * dev)
        }
        return d.value / Double(x.count - ddof)
    }
}

/// Random values: ordinary, NaN, ±inf, huge (~1e300), tiny (~1e-300), subnormal, zeros.
func nastyDoubles(_ n: Int, _ rng: inout TestRNG, nonFinite: Bool) -> [Double] {
    (0..<n).map { _ in
        switch Int.random(in: 0..<20, using: &rng) {
        case 0 where nonFinite: return .nan
        case 1 where nonFinite: return .infinity
        case 2 where nonFinite: return -.infinity
        case 3, 4: return Double.random(in: -1...1, using: &rng) * 1e300
        case 5, 6: return Double.random(in: -1...1, using: &rng) * 1e-300
        case 7: return Double(Int.random(in: -9...9, using: &rng)) * Double.leastNonzeroMagnitude
        case 8: return 0
        default: return Double.random(in: -1000...1000, using: &rng)
        }
    }
}

@Suite struct NumericsPropertyTests {
    /// Checks `got` against `want` with an absolute bound (non-finite values exactly).
    func agrees(_ got: Double, _ want: Double, within bound: Double) -> Bool {
        if want.isNaN || got.isNaN { return want.isNaN && got.isNaN }
        if !want.isFinite || !got.isFinite { return want == got }
        return Swift.abs(got - want) <= bound
    }

    /// Every reduction of one array at one chunking, checked against the naive references; the
    /// results come back for the cross-chunking comparison.
    func reduceAll(_ x: [Double], shape: [Int], chunks: Chunks, axis: Int?) throws -> [[Double]] {
        let a = try ChunkedArray(x, shape: shape, chunks: chunks)
        let r = try compute(a.sum(axis: axis, fanIn: 2), a.nansum(axis: axis), a.mean(axis: axis), a.nanmean(axis: axis, fanIn: 3),
                            a.var(axis: axis, fanIn: 2), a.std(axis: axis), a.nanvar(axis: axis), a.nanstd(axis: axis, ddof: 1),
                            a.min(axis: axis), a.nanmax(axis: axis), a.argmax(axis: axis))
        // The slices being reduced, in order: all values, or the columns/rows along `axis`.
        let slices: [[Double]]
        if let axis, shape.count == 2 {
            let (rows, cols) = (shape[0], shape[1])
            slices = axis == 0 ? (0..<cols).map { j in (0..<rows).map { x[$0 * cols + j] } }
                               : (0..<rows).map { i in Array(x[(i * cols)..<((i + 1) * cols)]) }
        } else {
            slices = [x]
        }
        let eps = 0x1p-53
        for (k, s) in slices.enumerated() {
            let n = Double(Swift.max(s.count, 1))
            let finite = s.filter { !$0.isNaN }   // what the nan-variants see (infinities stay)
            let sumBound = 2 * n * eps * s.reduce(0) { $0 + Swift.abs($1) }
            let moment = s.reduce(0) { $0 + $1 * $1 } / n
            let varBound = 8 * n * eps * moment
            let nanMoment = finite.reduce(0) { $0 + $1 * $1 } / Double(Swift.max(finite.count, 1))
            let desc = "slice \(k) of \(s) at \(chunks), axis \(String(describing: axis))"
            #expect(agrees(r.0.scalars[k], Naive.sum(s), within: sumBound), "sum \(desc)")
            let nanSumBound = 2 * n * eps * finite.reduce(0) { $0 + Swift.abs($1) }
            #expect(agrees(r.1.scalars[k], Naive.sum(finite), within: nanSumBound), "nansum \(desc)")
            #expect(agrees(r.2.scalars[k], Naive.mean(s), within: sumBound / n), "mean \(desc)")
            #expect(agrees(r.3.scalars[k], Naive.mean(finite), within: nanSumBound / Double(Swift.max(finite.count, 1))), "nanmean \(desc)")
            #expect(agrees(r.4.scalars[k], Naive.variance(s), within: varBound), "var \(desc): \(r.4.scalars[k]) vs \(Naive.variance(s))")
            let sd = Naive.variance(s).squareRoot()
            #expect(agrees(r.5.scalars[k], sd, within: varBound.squareRoot() + 2 * eps * sd), "std \(desc)")
            #expect(agrees(r.6.scalars[k], Naive.variance(finite), within: 8 * n * eps * nanMoment), "nanvar \(desc)")
            let nsd = Naive.variance(finite, ddof: 1).squareRoot()
            #expect(agrees(r.7.scalars[k], nsd, within: (8 * n * eps * nanMoment * n / Swift.max(n - 1, 1)).squareRoot() + 2 * eps * nsd), "nanstd \(desc)")
            if !s.isEmpty {
                let naiveMin = s.contains(where: \.isNaN) ? .nan : s.min()!
                #expect(agrees(r.8.scalars[k], naiveMin, within: 0), "min \(desc)")
                #expect(agrees(r.9.scalars[k], finite.max() ?? .nan, within: 0), "nanmax \(desc)")
                let naiveArgmax = s.firstIndex(where: \.isNaN) ?? s.indices.max { s[$0] < s[$1] || (s[$0] == s[$1] && $0 > $1) }!
                #expect(r.10.scalars[k] == Int64(naiveArgmax), "argmax \(desc)")
            }
        }
        return [r.0.scalars, r.1.scalars, r.2.scalars, r.3.scalars, r.4.scalars, r.5.scalars, r.6.scalars, r.7.scalars,
                r.8.scalars, r.9.scalars, r.10.scalars.map { Double($0) }]
    }

    @Test(arguments: [false, true])
    func reductionsOfNastyValuesMatchNaiveReferencesAtEveryChunking(nonFinite: Bool) throws {
        var rng = TestRNG(nonFinite ? 2111 : 2112)
        for _ in 0..<25 {
            let twoD = Bool.random(using: &rng)
            let shape = twoD ? [Int.random(in: 0...6, using: &rng), Int.random(in: 1...8, using: &rng)] : [Int.random(in: 0...60, using: &rng)]
            let n = shape.reduce(1, *)
            let x = nastyDoubles(n, &rng, nonFinite: nonFinite)
            for axis in twoD ? [nil, 0, 1] : [nil] {
                if n == 0 && axis == nil { continue }   // min/argmax of nothing is an error, tested elsewhere
                if twoD && shape[0] == 0 && axis != 1 { continue }
                let results = try (0..<3).map { _ in try reduceAll(x, shape: shape, chunks: randomChunks(shape, &rng), axis: axis) }
                // Across chunkings: non-finite identical; finite within twice the bounds, which
                // the reference checks above already imply; exact reductions are identical.
                for other in results.dropFirst() {
                    for op in [0, 1, 2, 3, 4, 5, 6, 7] {
                        #expect(zip(results[0][op], other[op]).allSatisfy { a, b in a.isFinite == b.isFinite && (a.isFinite || a.isNaN == b.isNaN) && (a.isFinite || a.isNaN || a == b) })
                    }
                    for op in [8, 9, 10] { #expect(zip(results[0][op], other[op]).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }) }
                }
            }
        }
    }

    /// Int64 with huge values: the sum wraps exactly like Int128 truncated; mean divides the
    /// exact sum once; var agrees with a double-double reference of the exact deviations.
    @Test func int64ReductionsMatchExactArithmeticAtEveryChunking() throws {
        var rng = TestRNG(2113)
        for _ in 0..<30 {
            let n = Int.random(in: 1...40, using: &rng)
            let base = Int64.random(in: -(1 << 62)...(1 << 62), using: &rng)
            let spread = Int64(1) << Int64.random(in: 0...62, using: &rng)
            let x = (0..<n).map { _ in base &+ Int64.random(in: -spread...spread, using: &rng) / 2 }
            let exact = x.reduce(Int128(0)) { $0 + Int128($1) }
            // Reference variance: deviations from the exact mean in Int128 rationals, summed in
            // double-double.
            let q = exact / Int128(n)
            var d = DoubleDouble()
            let devs = x.map { Double(Int128($0) - q) }
            let meanDev = Double(exact - q * Int128(n)) / Double(n)
            for v in devs { d.add((v - meanDev) * (v - meanDev)) }
            let variance = d.value / Double(n)
            let moment = devs.reduce(0) { $0 + $1 * $1 } / Double(n)
            var vars: [Double] = []
            for _ in 0..<3 {
                let a = try ChunkedArray(x, chunks: randomChunks([n], &rng))
                #expect(try a.sum(fanIn: 2).compute().scalar! == Int64(truncatingIfNeeded: exact))
                #expect(try a.mean().compute().scalar! == Double(exact) / Double(n))
                let v = try a.var(fanIn: 2).compute().scalar!
                #expect(Swift.abs(v - variance) <= 8 * Double(n) * 0x1p-53 * moment + 1e-300, "\(x): \(v) vs \(variance)")
                vars.append(v)
            }
            if x.allSatisfy({ $0 == x[0] }) { #expect(vars.allSatisfy { $0 == 0 }) }
        }
    }
}
