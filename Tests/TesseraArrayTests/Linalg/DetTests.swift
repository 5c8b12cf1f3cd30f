import Foundation
import Tessera
import Testing
@testable import TesseraArray

/// `Linalg.det`/`slogdet` against a naive Gaussian elimination, at random chunkings.
@Suite struct DetTests {
    /// The determinant by unblocked elimination with partial pivoting, in plain loops.
    func naiveDet(_ m: [Double], _ n: Int) -> Double {
        var a = m, det = 1.0
        for k in 0..<n {
            let p = (k..<n).max { abs(a[$0 * n + k]) < abs(a[$1 * n + k]) }!
            if a[p * n + k] == 0 { return 0 }
            if p != k { for j in 0..<n { a.swapAt(p * n + j, k * n + j) }; det = -det }
            det *= a[k * n + k]
            for i in (k + 1)..<n {
                let f = a[i * n + k] / a[k * n + k]
                for j in k..<n { a[i * n + j] -= f * a[k * n + j] }
            }
        }
        return det
    }

    @Test func matchesNaiveElimination() throws {
        var rng = TestRNG(21)
        for trial in 0..<10 {
            let n = Int.random(in: 1...12, using: &rng)
            let m = uniforms(n * n, &rng)
            let a = try ChunkedArray<Double>(m, shape: [n, n], chunks: .sizes([chunksAtLeast(n, 1, &rng), chunksAtLeast(n, 1, &rng)]))
            let want = naiveDet(m, n)
            let got = try Linalg.det(a).compute()
            #expect(got.shape == [])
            #expect(abs(got.scalar! - want) <= 1e-10 * Swift.max(1, abs(want)), "trial \(trial): \(got.scalar!) vs \(want)")
            let s = try Linalg.slogdet(a).compute()
            #expect(s.sign == (want > 0 ? 1 : -1) && abs(s.logAbsDet - log(abs(want))) < 1e-10, "trial \(trial)")
        }
    }

    @Test func pivotingSignAndSingular() throws {
        // A permutation matrix of one swap: det −1, reached only through pivoting.
        let p = try ChunkedArray<Double>([0, 1, 0, 1, 0, 0, 0, 0, 1], shape: [3, 3], chunks: .sizes([[1, 2], [1, 2]]))
        #expect(try Linalg.det(p).compute().scalar == -1)
        let singular = try ChunkedArray<Double>([1, 2, 3, 2, 4, 6, 1, 0, 1], shape: [3, 3], chunks: .sizes([[2, 1], [2, 1]]))
        #expect(try Linalg.det(singular).compute().scalar == 0)
        #expect(try Linalg.slogdet(singular).compute() == SignedLogDeterminant(sign: 0, logAbsDet: -.infinity))
    }

    @Test func slogdetDoesNotOverflow() throws {
        let n = 4
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n { m[i * n + i] = i == 2 ? -1e200 : 1e200 }
        let a = try ChunkedArray<Double>(m, shape: [n, n], chunks: .sizes([[2, 2], [2, 2]]))
        let s = try Linalg.slogdet(a).compute()
        #expect(s.sign == -1 && abs(s.logAbsDet - 4 * log(1e200)) < 1e-9)
        #expect(try Linalg.det(a).compute().scalar == -.infinity)
        #expect(throws: LinalgError.self) { try Linalg.det(try ChunkedArray<Double>([1, 2], shape: [1, 2])) }
    }
}
