import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// NumPy's answers for issue 21's cases, made by `Fixtures/numerics_fixtures.py` (NumPy 2.4.6).
struct NumPyCases: @unchecked Sendable {
    let cases: [String: [String: Any]]

    static let shared: NumPyCases = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/numerics.json")
        let root = try! JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        return NumPyCases(cases: root["cases"] as! [String: [String: Any]])
    }()

    func entry(_ c: String, _ key: String) -> [String: Any] { cases[c]![key] as! [String: Any] }
    func shape(_ c: String, _ key: String) -> [Int] { entry(c, key)["shape"] as! [Int] }
    func doubles(_ c: String, _ key: String) -> [Double] { (entry(c, key)["values"] as! [String]).map { Double($0)! } }
    func ints(_ c: String, _ key: String) -> [Int64] { (entry(c, key)["values"] as! [String]).map { Int64($0)! } }
    func double(_ c: String, _ key: String) -> Double { doubles(c, key)[0] }
    func string(_ c: String, _ key: String) -> String { cases[c]![key] as! String }
    func array(_ c: String, _ key: String) throws -> NDArray<Double> { try NDArray(shape: shape(c, key), scalars: doubles(c, key)) }
    func intArray(_ c: String, _ key: String) throws -> NDArray<Int64> { try NDArray(shape: shape(c, key), scalars: ints(c, key)) }
}

/// Same value, with NaN equal to NaN and infinities compared exactly.
func sameValue(_ a: Double, _ b: Double, relative tol: Double = 1e-14) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if !a.isFinite || !b.isFinite { return a == b }
    return Swift.abs(a - b) <= tol * Swift.max(Swift.abs(a), Swift.abs(b), Double.leastNormalMagnitude)
}

/// Every chunking of a 1-d array of length `n` into at most 4 blocks, plus one block per element.
func chunkings(_ n: Int) -> [Chunks] {
    guard n > 0 else { return [.sizes([[0]])] }
    var out: [Chunks] = [.sizes([[n]]), .sizes([[Int](repeating: 1, count: n)])]
    for a in 1..<n { out.append(.sizes([[a, n - a]])) }
    if n >= 3 { for a in 1..<(n - 1) { out.append(.sizes([[a, 1, n - a - 1]])) } }
    return out
}

/// Issue 21: each item checked against NumPy's answer (fixtures) or exact arithmetic.
@Suite struct NumericsTests {
    let np = NumPyCases.shared

    // MARK: infinities in compensated sums

    @Test(arguments: ["one_inf", "minus_inf", "both_infs", "overflow", "inf_and_nan", "huge_and_tiny"])
    func sumsWithInfinitiesMatchNumPy(name: String) throws {
        let c = "sum_" + name
        let x = np.doubles(c, "x")
        for chunks in chunkings(x.count) {
            for fanIn in [2, 8] {
                let a = try ChunkedArray(x, chunks: chunks)
                let r = try compute(a.sum(fanIn: fanIn), a.mean(fanIn: fanIn), a.nansum(fanIn: fanIn), a.nanmean(fanIn: fanIn))
                let got = [r.0.scalar!, r.1.scalar!, r.2.scalar!, r.3.scalar!]
                // Non-finite answers exactly; finite ones within the documented bound 2nε·Σ|xᵢ|
                // (NumPy's pairwise order and our SIMD runs round differently).
                let bound = 2 * Double(x.count) * 0x1p-53 * x.filter(\.isFinite).reduce(0) { $0 + Swift.abs($1) }
                for (g, key) in zip(got, ["sum", "mean", "nansum", "nanmean"]) {
                    let want = np.double(c, key)
                    #expect(want.isFinite ? Swift.abs(g - want) <= bound : sameValue(g, want), "\(key) of \(x) at \(chunks): \(g), NumPy \(want)")
                }
            }
        }
        #expect(sameValue(try NDArray(x).sum().scalar!, np.double(c, "sum")))
    }

    @Test func axisSumsWithInfinitiesMatchNumPy() throws {
        let c = "axis_sums"
        let x = try np.array(c, "x")
        for chunks in [Chunks.sizes([[4], [2]]), .sizes([[1, 3], [1, 1]]), .sizes([[2, 2], [2]]), .sizes([[1, 1, 1, 1], [1, 1]])] {
            let a = try ChunkedArray(x, chunks: chunks)
            for (got, key) in [(try a.sum(axis: 0), "sum0"), (try a.sum(axis: 1), "sum1"), (try a.nansum(axis: 0), "nansum0"),
                               (try a.nansum(axis: 1), "nansum1"), (try a.mean(axis: 1), "mean1")] {
                let g = try got.compute().scalars, want = np.doubles(c, key)
                #expect(g.count == want.count && zip(g, want).allSatisfy { sameValue($0, $1) }, "\(key) at \(chunks): \(g), NumPy \(want)")
            }
        }
        #expect(try x.sum(axis: 1).scalars.elementsEqual(np.doubles(c, "sum1")) { sameValue($0, $1) })
    }

    @Test func normOfHugeValuesIsInfinite() throws {
        let x = try ChunkedArray(np.doubles("norm_big", "x"), chunks: [2])
        #expect(try Linalg.norm(x).compute().scalar! == np.double("norm_big", "norm"))
        #expect(try Linalg.norm(try ChunkedArray.full(shape: [4], value: 1e200, chunks: [1])).compute().scalar! == .infinity)
    }

    // MARK: Int64 mean, var, std and sum

    @Test(arguments: ["two_max", "near_4e18", "spread", "min_max"])
    func int64MomentsMatchNumPy(name: String) throws {
        let c = "int_" + name
        let x = np.ints(c, "x")
        for chunks in chunkings(x.count) {
            let a = try ChunkedArray(x, chunks: chunks)
            // The sum wraps modulo 2⁶⁴ exactly as NumPy's, whatever the chunking.
            #expect(try a.sum(fanIn: 2).compute().scalar! == np.ints(c, "sum")[0])
            // NumPy accumulates in float64, so its mean is off the exact one by up to nε·max|x|
            // (for [min, max, -1, 1] it says 0, the exact mean is -0.25); ours is the exact mean
            // rounded once (int64MeanIsTheExactMeanRounded).
            let n = Double(x.count), top = x.map { Swift.abs(Double($0)) }.max()!
            let meanBound = 2 * n * 0x1p-53 * top
            #expect(Swift.abs(try a.mean().compute().scalar! - np.double(c, "mean")) <= meanBound, "mean of \(x) at \(chunks)")
            #expect(Swift.abs(try a.nanmean().compute().scalar! - np.double(c, "mean")) <= meanBound)
            for (got, key, bound) in [(try a.var(fanIn: 2), "var", 8 * n * 0x1p-53 * top * top), (try a.std(), "std", (8 * n * 0x1p-53).squareRoot() * top),
                                      (try a.var(ddof: 1), "var1", 8 * n * 0x1p-53 * top * top)] {
                let g = try got.compute().scalar!, want = np.double(c, key)
                // Equal values give exactly 0 (before the fix: 3.8e37 for three values near 4e18).
                #expect(want == 0 ? g == 0 : Swift.abs(g - want) <= bound, "\(key) of \(x) at \(chunks): \(g), NumPy \(want)")
            }
        }
    }

    @Test func int64MeanIsTheExactMeanRounded() throws {
        // Exact: (Σx)/n in Int128, then one rounding. Independent of the kernel's hi/lo split.
        var rng = TestRNG(2101)
        for _ in 0..<20 {
            let n = Int.random(in: 1...40, using: &rng)
            let x = (0..<n).map { _ in Int64.random(in: Int64.min...Int64.max, using: &rng) }
            let exact = x.reduce(Int128(0)) { $0 + Int128($1) }
            let a = try ChunkedArray(x, chunks: randomChunks([n], &rng))
            #expect(try a.mean().compute().scalar! == Double(exact) / Double(n))
            #expect(try a.sum().compute().scalar! == Int64(truncatingIfNeeded: exact))
        }
    }

    // MARK: exact integer matmul

    @Test(arguments: ["int_matmul_exact", "int_matmul_wrap"])
    func int64MatmulIsExactAndWrapsLikeNumPy(name: String) throws {
        let a = try np.intArray(name, "a"), b = try np.intArray(name, "b")
        let want = np.ints(name, "ab")
        var rng = TestRNG(2102)
        for _ in 0..<6 {
            let ca = randomChunks(a.shape, &rng)
            let x = try ChunkedArray(a, chunks: ca)
            let y = try ChunkedArray(b, chunks: randomChunks(b.shape, &rng))
            #expect(try (x • y).compute().scalars == want, "\(name) at \(ca)")
        }
        // The same through tensordot with a transposed operand (the gemm's transposed view).
        let at = try ChunkedArray(a, chunks: [2]).transpose()
        #expect(try at.tensordot(try ChunkedArray(b, chunks: [3]), axes: ([0], [0])).compute().scalars == want)
    }

    @Test func int32MatmulWrapsLikeNumPy() throws {
        let c = "int32_matmul_wrap"
        let a = try NDArray(shape: np.shape(c, "a"), scalars: np.ints(c, "a").map { Int32($0) })
        let b = try NDArray(shape: np.shape(c, "b"), scalars: np.ints(c, "b").map { Int32($0) })
        let got = try (ChunkedArray(a, chunks: [2, 2]) • ChunkedArray(b, chunks: [3, 1])).compute().scalars
        #expect(got == np.ints(c, "ab").map { Int32($0) })
    }

    // MARK: variance under an offset, against exact rational arithmetic

    /// The exact variance of values that are all multiples of 2⁻²³ below 2³⁰ (so 1e9 + u is exact
    /// as yᵢ = xᵢ·2²³): with P an integer pivot, var = (nΣ(y−P)² − (Σ(y−P))²) / (n²·2⁴⁶), all in
    /// Int128, rounded once at the end.
    static func exactVariance(_ x: [Double], ddof: Int = 0) -> Double {
        let scale = 8_388_608.0  // 2²³
        let y = x.map { v -> Int128 in
            let s = v * scale
            precondition(s == s.rounded() && Swift.abs(s) < 0x1p62)
            return Int128(s)
        }
        let p = y[0]
        var s1: Int128 = 0, s2: Int128 = 0
        for v in y { s1 += v - p; s2 += (v - p) * (v - p) }
        let n = Int128(x.count)
        let num = n * s2 - s1 * s1
        return Double(num) / (Double(n * (n - Int128(ddof))) * scale * scale)
    }

    @Test func varianceWithAnOffsetMatchesExactRationals() throws {
        var rng = TestRNG(2103)
        for n in [7, 100, 2_000] {
            // 1e9 + k·2⁻²³ is exact in a Double (1e9 < 2³⁰ leaves 23 bits of fraction).
            let x = (0..<n).map { _ in 1e9 + Double(Int.random(in: 0..<8_388_608, using: &rng)) / 8_388_608 }
            let exact = NumericsTests.exactVariance(x), exact1 = NumericsTests.exactVariance(x, ddof: 1)
            var answers: [Double] = []
            for chunks in [Chunks.sizes([[n]]), .blockShape([7]), .blockShape([64]), .blockShape([n / 3 + 1])] {
                let a = try ChunkedArray(x, chunks: chunks)
                let v = try a.var(fanIn: 2).compute().scalar!
                // Documented tolerance: 1e-13 relative (NumPy is exact here to ~2e-15; before
                // the fix the error was 1e-9 to 7e-7 and depended on the chunking).
                #expect(Swift.abs(v - exact) <= 1e-13 * exact, "n=\(n) \(chunks): \(v) vs exact \(exact)")
                #expect(Swift.abs(try a.var(ddof: 1).compute().scalar! - exact1) <= 1e-13 * exact1)
                #expect(Swift.abs(try a.std().compute().scalar! - exact.squareRoot()) <= 1e-13 * exact.squareRoot())
                answers.append(v)
            }
            #expect(answers.allSatisfy { Swift.abs($0 - answers[0]) <= 2e-13 * exact })
        }
    }

    // MARK: percentile, arange, integer power

    @Test(arguments: ["percentile_infs", "percentile_plain"])
    func percentileInterpolatesLikeNumPy(name: String) throws {
        let x = np.doubles(name, "x"), q = np.doubles(name, "q"), want = np.doubles(name, "p")
        for chunks in [Chunks.sizes([[x.count]]), .blockShape([1]), .blockShape([3])] {
            let got = try ChunkedArray(x, chunks: chunks).percentile(q).compute().scalars
            #expect(got.count == want.count && zip(got, want).allSatisfy { sameValue($0, $1, relative: 1e-15) }, "\(got) vs NumPy \(want)")
        }
    }

    @Test func arangeThatCannotFitIsAnError() throws {
        #expect(np.string("errors", "arange_tiny_step").contains("Maximum allowed size exceeded"))
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>.arange(0, 1, step: 1e-300) }
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>.arange(-1e308, 1e308, step: 1) }
        #expect(throws: ArrayError.self) { try ChunkedArray<Int64>.arange(0, 1e19) }
        // Lengths that fit still work, including empty ranges.
        #expect(try ChunkedArray<Double>.arange(0, 1, step: 0.25).compute().scalars == [0, 0.25, 0.5, 0.75])
        #expect(try ChunkedArray<Double>.arange(1, 0).count == 0)
    }

    @Test func integerPowerWithNegativeExponentIsAnError() throws {
        #expect(np.string("errors", "int_negative_power").contains("Integers to negative integer powers are not allowed"))
        let a = try ChunkedArray<Int64>([2, 3, 1], chunks: [2])
        #expect(throws: ArrayError.self) { try a.power(-1) }
        #expect(throws: (any Error).self) { try a.binary(.power, -2).compute() }
        let e = try ChunkedArray<Int64>([1, -1, 2], chunks: [1])
        do {
            _ = try a.power(e).compute()
            Issue.record("a negative exponent in an array computed")
        } catch {
            #expect("\(error)".contains("negative integer powers"))
        }
        #expect(throws: (any Error).self) { try NDArray<Int32>([2]).binary(.power, NDArray<Int32>([-3])) }
        // Non-negative exponents and floats are unaffected.
        #expect(try a.power(try ChunkedArray<Int64>([3, 0, 5], chunks: [3])).compute().scalars == [8, 1, 1])
        #expect(try ChunkedArray<Double>([2, 4]).power(-1).compute().scalars == [0.5, 0.25])
    }

    // MARK: checked sizes

    @Test func shapesWhoseSizeOverflowsAreErrors() throws {
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>.zeros(shape: [1 << 62, 4]) }
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>.zeros(shape: [1 << 61]) }
        #expect(throws: ArrayError.self) { try ChunkedArray<Bool>.full(shape: [1 << 32, 1 << 32], value: true) }
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>.zeros(shape: [1 << 40], chunks: [1]) }
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>.random(shape: [1 << 31, 1 << 31, 4]) }
        let a = try ChunkedArray<Double>.zeros(shape: [8], chunks: [3])
        #expect(throws: ArrayError.self) { try a.reshape([1 << 62, 4, 0, -1]) }
        #expect(throws: ArrayError.self) { try a.reshape([1 << 62, 1 << 2]) }
        #expect(throws: ArrayError.self) { try a.reshape([-1, 1 << 62, 1 << 62]) }
        #expect(throws: ArrayError.self) { try NDArray<Double>([1, 2]).reshaped([1 << 62, 4]) }
        #expect(throws: ArrayError.self) { try NDArray<Double>(shape: [1 << 32, 1 << 32], scalars: []) }
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>([1], chunks: .sizes([[Int.max, Int.max, 2]])) }
        // A large lazy array that does fit is still fine.
        #expect(try ChunkedArray<Double>.zeros(shape: [1 << 30, 1 << 10]).shape == [1 << 30, 1 << 10])
    }

    /// The crafted headers in Fixtures (made by npy_fixtures.py, also the fuzzer's seeds).
    @Test(arguments: ["overflow_2e62x4.npy", "overflow_bytes_2e61.npy", "overflow_3d.npy"])
    func npyHeadersWhoseSizesOverflowFailCleanly(file: String) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(file)").path
        #expect(FileManager.default.fileExists(atPath: path))
        for read in [{ _ = try NDArray<Double>.readNPY(path) }, { _ = try ChunkedArray<Double>.fromNPY(path) },
                     { _ = try ChunkedArray<Double>.fromNPY(path, chunks: 1) }, { _ = try NDArray<Bool>.readNPY(path) }] {
            do {
                try read()
                Issue.record("\(file) was accepted")
            } catch let e as ArrayError {
                #expect("\(e)".contains(file), "\(e)")
            }
        }
    }

    /// An empty array of shape (2⁴⁰, 0) is valid (NumPy loads it); cut into 2⁴⁰ blocks it is not.
    @Test func npyHeaderWithAHugeEmptyAxis() throws {
        let file = "overflow_many_blocks.npy"
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/\(file)").path
        #expect(try NDArray<Double>.readNPY(path).shape == [1 << 40, 0])
        #expect(try ChunkedArray<Double>.fromNPY(path).shape == [1 << 40, 0])
        do {
            _ = try ChunkedArray<Double>.fromNPY(path, chunks: 1)
            Issue.record("2⁴⁰ blocks were accepted")
        } catch let e as ArrayError {
            #expect("\(e)".contains(file) && "\(e)".contains("maximum"), "\(e)")
        }
    }

    // MARK: operations NumPy accepts

    @Test(arguments: ["matmul_broadcast", "matmul_broadcast_4d"])
    func batchedMatmulBroadcastsBatchAxes(name: String) throws {
        let a = try np.array(name, "a"), b = try np.array(name, "b")
        var rng = TestRNG(2104)
        for _ in 0..<4 {
            let x = try ChunkedArray(a, chunks: randomChunks(a.shape, &rng))
            let y = try ChunkedArray(b, chunks: randomChunks(b.shape, &rng))
            let r = try x • y
            #expect(r.shape == np.shape(name, "ab"))
            #expect(allClose(try r.compute().scalars, np.doubles(name, "ab"), 1e-13))
        }
        #expect(throws: LinalgError.self) { try ChunkedArray<Double>.zeros(shape: [2, 3, 4]) • ChunkedArray<Double>.zeros(shape: [3, 4, 5]) }
    }

    @Test(arguments: ["lstsq_wide", "lstsq_wide_2d", "lstsq_wide_rank1"])
    func lstsqOfAWideMatrixIsTheMinimumNormSolution(name: String) throws {
        let a = try np.array(name, "a"), b = try np.array(name, "b")
        for chunks in [Chunks.sizes([[a.shape[0]], [a.shape[1]]]), .blockShape([1, 2]), .blockShape([2, 3])] {
            let r = try Linalg.lstsq(try ChunkedArray(a, chunks: chunks), try ChunkedArray(b, chunks: .blockShape([1])))
            let (x, res, rank) = try compute(r.solution, r.residuals, r.rank)
            let xs = x
            #expect(xs.shape == np.shape(name, "x"))
            #expect(allClose(xs.scalars, np.doubles(name, "x"), 1e-12), "\(xs.scalars) vs NumPy \(np.doubles(name, "x"))")
            #expect(rank.scalar! == np.ints(name, "rank")[0])
            #expect(res.shape == [0])
        }
        if name == "lstsq_wide" {
            let s = try Linalg.lstsq(try ChunkedArray(a, chunks: [2, 2]), try ChunkedArray(b)).singularValues.compute().scalars
            #expect(allClose(s, np.doubles(name, "s"), 1e-12))
        }
    }

    @Test func normOfAThreeDimensionalArrayFlattens() throws {
        let x = try np.array("norm_3d", "x")
        for chunks in [Chunks.auto, .blockShape([1, 2, 3])] {
            #expect(sameValue(try Linalg.norm(try ChunkedArray(x, chunks: chunks)).compute().scalar!, np.double("norm_3d", "norm"), relative: 1e-15))
        }
        // With an explicit order NumPy refuses n-d input too.
        #expect(throws: LinalgError.self) { try Linalg.norm(try ChunkedArray(x), ord: .two) }
    }

    @Test func normOfAnEmptyArrayIsZero() throws {
        let c = "norm_empty"
        #expect(try Linalg.norm(try ChunkedArray<Double>.zeros(shape: [0]), ord: .inf).compute().scalar! == np.double(c, "vector_inf"))
        #expect(try Linalg.norm(try ChunkedArray<Double>.zeros(shape: [0, 3]), ord: .inf).compute().scalar! == np.double(c, "matrix_inf"))
        #expect(try Linalg.norm(try ChunkedArray<Double>.zeros(shape: [3, 0]), ord: .one).compute().scalar! == np.double(c, "matrix_one"))
        #expect(try Linalg.norm(try ChunkedArray<Double>.zeros(shape: [0])).compute().scalar! == np.double(c, "vector_two"))
        #expect(throws: LinalgError.self) { try Linalg.norm(try ChunkedArray<Double>.zeros(shape: [0]), ord: .fro) }
    }

    @Test func cumsumOfAZeroDimensionalArray() throws {
        let c = "cumsum_0d"
        let x = try ChunkedArray(try np.array(c, "x"))
        for axis in [0, -1] {
            let r = try x.cumsum(axis: axis)
            #expect(r.shape == np.shape(c, "cumsum"))
            #expect(try r.compute().scalars == np.doubles(c, "cumsum"))
        }
        let xi = try ChunkedArray(try np.intArray(c, "xi"))
        #expect(try xi.cumsum(axis: -1).compute().scalars == np.ints(c, "cumsum_i"))
        #expect(try NDArray<Double>(scalar: 5).cumsum(axis: 0).scalars == [5])
        #expect(throws: ArrayError.self) { try x.cumsum(axis: 1) }
    }
}
