import CLAPACKE
import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// Minimum-norm least squares of the whole problem by LAPACK's dgelsd (row-major), n × k.
func lapackLstsq(_ a: [Double], _ b: [Double], _ m: Int, _ n: Int, _ k: Int) -> [Double] {
    var w = a, x = b
    var s = [Double](repeating: 0, count: Swift.min(m, n))
    var rank: Int32 = 0
    let info = LAPACKE_dgelsd(LAPACK_ROW_MAJOR, Int32(m), Int32(n), Int32(k), &w, Int32(n), &x, Int32(k), &s, -1, &rank)
    precondition(info == 0)
    return Array(x[0..<(n * k)])
}

@Suite struct LstsqNormTests {
    @Test func lstsqMatchesLAPACKOnTallAndRankDeficientProblems() throws {
        var rng = TestRNG(51)
        for trial in 0..<12 {
            let n = Int.random(in: 1...5, using: &rng), m = Int.random(in: n...30, using: &rng), k = Int.random(in: 1...3, using: &rng)
            var av = uniforms(m * n, &rng)
            if trial % 3 == 2 && n > 1 { for i in 0..<m { av[i * n + n - 1] = 2 * av[i * n] } }   // rank n − 1
            let bv = uniforms(m * k, &rng)
            let a = try ChunkedArray(av, shape: [m, n], chunks: .sizes([chunksAtLeast(m, Int.random(in: 1...6, using: &rng), &rng), chunksAtLeast(n, 2, &rng)]))
            let b = try ChunkedArray(bv, shape: [m, k], chunks: .sizes([chunksAtLeast(m, 4, &rng), [k]]))
            let r = try Linalg.lstsq(a, b)
            let (x, res, rank, s) = try compute(r.solution, r.residuals, r.rank, r.singularValues,
                                                scheduler: schedulers[trial % schedulers.count])
            #expect(relativeError(x.doubles, lapackLstsq(av, bv, m, n, k)) < 1e-8, "\(m)×\(n) trial \(trial)")
            #expect(rank.scalar! == Int64(trial % 3 == 2 && n > 1 ? n - 1 : n))
            #expect(relativeError(s.doubles, lapackSingularValues(av, m, n)) < 1e-10)
            let fitted = naiveMatmul(av, x.doubles, m, n, k)
            var want = [Double](repeating: 0, count: k)
            for i in 0..<m { for j in 0..<k { let d = fitted[i * k + j] - bv[i * k + j]; want[j] += d * d } }
            #expect(relativeError(res.doubles, want) < 1e-10)
        }
        // a vector right-hand side: A·x = b exactly when b is in the range
        let a = try ChunkedArray([1, 0, 0, 1, 1, 1], shape: [3, 2], chunks: 2)
        let b = try ChunkedArray([2.0, 3, 5], shape: [3], chunks: 2)
        let r = try Linalg.lstsq(a, b)
        #expect(allClose(try r.solution.compute().doubles, [2, 3], 1e-12))
        #expect(Swift.abs(try r.residuals.compute().scalar!) < 1e-20)
    }

    @Test func normsMatchNaiveFormulas() throws {
        var rng = TestRNG(52)
        for trial in 0..<10 {
            let m = Int.random(in: 1...12, using: &rng), n = Int.random(in: 1...12, using: &rng)
            let av = uniforms(m * n, &rng)
            let a = try ChunkedArray(av, shape: [m, n], chunks: randomChunks([m, n], &rng))
            let s = schedulers[trial % schedulers.count]
            let fro = av.map { $0 * $0 }.reduce(0, +).squareRoot()
            #expect(close(try Linalg.norm(a).compute(scheduler: s).scalar!, fro, 1e-12))
            let colSums = (0..<n).map { j in (0..<m).map { Swift.abs(av[$0 * n + j]) }.reduce(0, +) }
            let rowSums = (0..<m).map { i in (0..<n).map { Swift.abs(av[i * n + $0]) }.reduce(0, +) }
            #expect(close(try Linalg.norm(a, ord: .one).compute(scheduler: s).scalar!, colSums.max()!, 1e-12))
            #expect(close(try Linalg.norm(a, ord: .inf).compute(scheduler: s).scalar!, rowSums.max()!, 1e-12))
            let smax = lapackSingularValues(av, m, n)[0]
            #expect(close(try Linalg.norm(a, ord: .two).compute(scheduler: s).scalar!, smax, 1e-10), "Gram path \(a.chunks)")
            if m >= n {
                let tall = try a.rechunk(.sizes([chunksAtLeast(m, 2, &rng), [n]]))
                #expect(close(try Linalg.norm(tall, ord: .two).compute().scalar!, smax, 1e-10), "TSQR path")
            }
            let v = try ChunkedArray(Array(av.prefix(m)), shape: [m], chunks: randomChunks([m], &rng))
            let vv = Array(av.prefix(m))
            #expect(close(try Linalg.norm(v).compute().scalar!, vv.map { $0 * $0 }.reduce(0, +).squareRoot(), 1e-12))
            #expect(close(try Linalg.norm(v, ord: .one).compute().scalar!, vv.map(Swift.abs).reduce(0, +), 1e-12))
            #expect(close(try Linalg.norm(v, ord: .inf).compute().scalar!, vv.map(Swift.abs).max()!, 1e-12))
            let vf = try ChunkedArray<Float>(vv.map { Float($0) }, shape: [m], chunks: 3)
            #expect(close(Double(try Linalg.norm(vf).compute().scalar!), vv.map { $0 * $0 }.reduce(0, +).squareRoot(), 1e-6))
        }
        #expect(throws: LinalgError.self) { try Linalg.norm(ChunkedArray<Double>.ones(shape: [3], chunks: 2), ord: .fro) }
        // n-d arrays: NumPy flattens without an order and refuses one with an order.
        #expect(try Linalg.norm(ChunkedArray<Double>.ones(shape: [3, 3, 3], chunks: 2)).compute().scalar! == Double(27).squareRoot())
        #expect(throws: LinalgError.self) { try Linalg.norm(ChunkedArray<Double>.ones(shape: [3, 3, 3], chunks: 2), ord: .inf) }
    }
}
