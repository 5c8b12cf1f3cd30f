import CLAPACKE
import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// A random symmetric positive-definite matrix: M·Mᵀ + n·I.
func randomSPD(_ n: Int, _ rng: inout TestRNG) -> [Double] {
    let m = uniforms(n * n, &rng)
    var a = naiveMatmul(m, naiveTranspose(m, n, n), n, n, n)
    for i in 0..<n { a[i * n + i] += Double(n) }
    return a
}

/// Lower Cholesky factor of the whole matrix by LAPACK's dpotrf.
func lapackCholesky(_ a: [Double], _ n: Int) -> [Double] {
    var w = a
    let info = LAPACKE_dpotrf(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "L")), Int32(n), &w, Int32(n))
    precondition(info == 0)
    for i in 0..<n { for j in (i + 1)..<n { w[i * n + j] = 0 } }
    return w
}

@Suite struct CholeskyTests {
    @Test func tiledCholeskyMatchesLAPACKAndReconstructs() throws {
        var rng = TestRNG(41)
        for trial in 0..<14 {
            let n = Int.random(in: 1...15, using: &rng)
            let av = randomSPD(n, &rng)
            let a = try ChunkedArray(av, shape: [n, n], chunks: .sizes([chunksAtLeast(n, Int.random(in: 1...5, using: &rng), &rng), chunksAtLeast(n, 3, &rng)]))
            let l = try Linalg.cholesky(a).compute(scheduler: schedulers[trial % schedulers.count]).doubles
            #expect(relativeError(l, lapackCholesky(av, n)) < 1e-10)
            #expect(relativeError(naiveMatmul(l, naiveTranspose(l, n, n), n, n, n), av) < 1e-10, "L·Lᵀ = A")
            let u = try Linalg.cholesky(a, lower: false).compute().doubles
            #expect(relativeError(u, naiveTranspose(l, n, n)) < 1e-12)

            let af = try ChunkedArray<Float>(av.map { Float($0) }, shape: [n, n], chunks: .sizes([chunksAtLeast(n, 2, &rng), [n]]))
            let lf = try Linalg.cholesky(af).compute().doubles
            #expect(relativeError(naiveMatmul(lf, naiveTranspose(lf, n, n), n, n, n), av) < 1e-5)
        }
    }

    @Test func notPositiveDefiniteNamesTheMinor() throws {
        var rng = TestRNG(42)
        var av = randomSPD(7, &rng)
        av[4 * 7 + 4] = -100   // leading minor of order 5 fails
        let a = try ChunkedArray(av, shape: [7, 7], chunks: 3)
        do {
            _ = try Linalg.cholesky(a).compute()
            Issue.record("factored a matrix that isn't positive definite")
        } catch let f as TaskFailure {
            #expect("\(f)".contains("not positive definite") && "\(f)".contains("order 5"), "\(f)")
        }
        #expect(throws: LinalgError.self) { try Linalg.cholesky(ChunkedArray<Double>.ones(shape: [3, 4], chunks: 2)) }
    }
}
