import Foundation
import Tessera
import Testing
@testable import TesseraArray

/// `cov`/`corrcoef` on ChunkedArray and `PairwiseMoments`, against naive two-pass loops on the
/// whole matrix (NumPy's definitions), at random chunkings along both axes.
@Suite struct CovarianceTests {
    /// NumPy's `cov(x, rowvar=False, ddof=ddof)` of an n×k row-major matrix, two passes.
    func naiveCov(_ x: [Double], _ n: Int, _ k: Int, ddof: Int) -> [Double] {
        let mean = (0..<k).map { j in (0..<n).reduce(0.0) { $0 + x[$1 * k + j] } / Double(n) }
        var c = [Double](repeating: 0, count: k * k)
        for i in 0..<k { for j in 0..<k {
            var s = 0.0
            for r in 0..<n { s += (x[r * k + i] - mean[i]) * (x[r * k + j] - mean[j]) }
            c[i * k + j] = s / Double(n - ddof)
        } }
        return c
    }

    @Test func covAtRandomChunkings() throws {
        var rng = TestRNG(14)
        for _ in 0..<8 {
            let n = Int.random(in: 2...40, using: &rng), k = Int.random(in: 1...6, using: &rng)
            // Offset values: a naive one-pass formula would lose digits here, the merge must not.
            let x: [Double] = uniforms(n * k, &rng).map { $0 + 1e6 }
            let chunks = [chunksAtLeast(n, 1, &rng), chunksAtLeast(k, 1, &rng)]
            let a = try ChunkedArray<Double>(x, shape: [n, k], chunks: .sizes(chunks))
            let ddof: Int = Bool.random(using: &rng) ? 1 : 0
            let got = try a.cov(rowvar: false, ddof: ddof).compute()
            #expect(got.shape == [k, k])
            #expect(relativeError(got.scalars, naiveCov(x, n, k, ddof: ddof)) < 1e-9, "\(n)×\(k) chunks \(chunks)")
            // Rows as variables: the transpose gives the same matrix.
            let t = try ChunkedArray<Double>(naiveTranspose(x, n, k), shape: [k, n], chunks: .sizes([chunks[1], chunks[0]]))
            #expect(relativeError(try t.cov(ddof: ddof).compute().scalars, naiveCov(x, n, k, ddof: ddof)) < 1e-9)
        }
    }

    @Test func corrcoefAgainstNaive() throws {
        var rng = TestRNG(7)
        let n = 30, k = 4
        let x = uniforms(n * k, &rng)
        let a = try ChunkedArray<Double>(x, shape: [n, k], chunks: .sizes([[7, 7, 7, 9], [3, 1]]))
        let c = naiveCov(x, n, k, ddof: 1)
        let want = (0..<k * k).map { p in c[p] / (c[(p / k) * k + p / k] * c[(p % k) * k + p % k]).squareRoot() }
        #expect(relativeError(try a.corrcoef(rowvar: false).compute().scalars, want) < 1e-12)
    }

    @Test func nanPropagatesAsInNumPy() throws {
        let a = try ChunkedArray<Double>([1, 2, .nan, 4, 5, 7, 1, 0], shape: [4, 2], chunks: .sizes([[1, 3], [2]]))
        let c = try a.cov(rowvar: false).compute()
        #expect(c[0, 0].isNaN && c[0, 1].isNaN && c[1, 0].isNaN)
        #expect(abs(c[1, 1] - naiveCov([2, 4, 7, 0], 4, 1, ddof: 1)[0]) < 1e-12)
    }

    @Test func oneDimensionalIsOneVariable() throws {
        let a = try ChunkedArray<Double>([1.0, 2, 4, 8], chunks: .sizes([[3, 1]]))
        let c = try a.cov().compute()
        #expect(c.shape == [1, 1])
        #expect(abs(c[0, 0] - naiveCov([1, 2, 4, 8], 4, 1, ddof: 1)[0]) < 1e-12)
    }

    @Test func pairwiseCompleteMomentsMergeExactly() throws {
        // pandas' rule: each pair over the rows both hold. Any split of the rows merges to the same.
        let x: [Double] = [1, 2, .nan, 4, 10, 3], y: [Double] = [2, .nan, 6, 9, 1, 1]
        let whole = PairwiseMoments(columns: [x, y])
        var parts = PairwiseMoments(columns: [Array(x[0..<2]), Array(y[0..<2])])
        parts.merge(PairwiseMoments(columns: [Array(x[2..<3]), Array(y[2..<3])]))
        parts.merge(PairwiseMoments(columns: [Array(x[3...]), Array(y[3...])]))
        let pairs: [(Double, Double)] = [(1, 2), (4, 9), (10, 1), (3, 1)]
        let mx = pairs.map(\.0).reduce(0, +) / 4, my = pairs.map(\.1).reduce(0, +) / 4
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in pairs {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
            syy += (b - my) * (b - my)
        }
        for m in [whole, parts] {
            #expect(abs(m.covariance()[1] - sxy / 3) < 1e-12)
            #expect(abs(m.correlation()[1] - sxy / (sxx * syy).squareRoot()) < 1e-12)
            #expect(m.correlation()[0] == 1)
            // x alone over its five values.
            let xs = x.filter { !$0.isNaN }
            let xm = xs.reduce(0, +) / 5
            let ss: Double = xs.map { ($0 - xm) * ($0 - xm) }.reduce(0, +)
            #expect(abs(m.covariance()[0] - ss / 4) < 1e-12)
        }
        #expect(PairwiseMoments(columns: [[1], [2]]).covariance()[1].isNaN)
        #expect(whole.covariance(minPeriods: 5)[1].isNaN)
    }
}
