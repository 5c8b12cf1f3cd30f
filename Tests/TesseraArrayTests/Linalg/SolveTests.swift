import CLAPACKE
import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// x of A·x = B for the whole matrix by LAPACK's dgesv (row-major), n × k.
func lapackSolve(_ a: [Double], _ b: [Double], _ n: Int, _ k: Int) -> [Double] {
    var w = a, x = b
    var ipiv = [Int32](repeating: 0, count: Swift.max(n, 1))
    let info = LAPACKE_dgesv(LAPACK_ROW_MAJOR, Int32(n), Int32(k), &w, Int32(n), &ipiv, &x, Int32(k))
    precondition(info == 0, "dgesv info \(info)")
    return x
}

/// A random matrix that is comfortably non-singular but needs pivoting (small diagonal).
func wellConditioned(_ n: Int, _ rng: inout TestRNG) -> [Double] {
    var a = uniforms(n * n, &rng)
    for i in 0..<n { a[i * n + i] *= 0.01; a[i * n + ((i + 1) % n)] += 2 }
    return a
}

@Suite struct SolveTests {
    @Test func solveMatchesLAPACKAndSatisfiesAxEqualsB() throws {
        var rng = TestRNG(31)
        for trial in 0..<16 {
            let n = Int.random(in: 1...16, using: &rng), k = Int.random(in: 1...4, using: &rng)
            let av = wellConditioned(n, &rng), bv = uniforms(n * k, &rng)
            let rows = chunksAtLeast(n, Int.random(in: 1...5, using: &rng), &rng)
            let a = try ChunkedArray(av, shape: [n, n], chunks: .sizes([rows, chunksAtLeast(n, 2, &rng)]))
            let b = try ChunkedArray(bv, shape: [n, k], chunks: .sizes([chunksAtLeast(n, 3, &rng), chunksAtLeast(k, 1, &rng)]))
            let x = try Linalg.solve(a, b)
            #expect(x.shape == [n, k])
            let xv = try x.compute(scheduler: schedulers[trial % schedulers.count]).doubles
            #expect(relativeError(xv, lapackSolve(av, bv, n, k)) < 1e-10, "n \(n) rows \(rows)")
            #expect(relativeError(naiveMatmul(av, xv, n, n, k), bv) < 1e-10, "A·x = b")

            let af = try ChunkedArray<Float>(av.map { Float($0) }, shape: [n, n], chunks: .sizes([rows, rows]))
            let bf = try ChunkedArray<Float>(bv.map { Float($0) }, shape: [n, k], chunks: .sizes([rows, [k]]))
            let xf = try Linalg.solve(af, bf).compute().doubles
            #expect(relativeError(naiveMatmul(av, xf, n, n, k), bv) < 1e-3)
        }
    }

    @Test func vectorRightHandSideAndInverse() throws {
        var rng = TestRNG(32)
        let n = 11
        let av = wellConditioned(n, &rng), bv = uniforms(n, &rng)
        let a = try ChunkedArray(av, shape: [n, n], chunks: 3)
        let b = try ChunkedArray(bv, shape: [n], chunks: 4)
        let x = try Linalg.solve(a, b)
        #expect(x.shape == [n])
        let xv = try x.compute(scheduler: .threads(2)).doubles
        #expect(relativeError(xv, lapackSolve(av, bv, n, 1)) < 1e-10)
        let inv = try Linalg.inv(a).compute(scheduler: .threads(4)).doubles
        var eye = [Double](repeating: 0, count: n * n)
        for i in 0..<n { eye[i * n + i] = 1 }
        #expect(relativeError(naiveMatmul(av, inv, n, n, n), eye) < 1e-10, "A·A⁻¹ = I")
    }

    @Test func singularAndMisshapedInputsGiveClearErrors() throws {
        // rank 1: every row a multiple of the first
        let n = 6
        let av = (0..<(n * n)).map { Double(($0 / n) + 1) * Double(($0 % n) + 1) }
        let a = try ChunkedArray(av, shape: [n, n], chunks: 2)
        let b = try ChunkedArray<Double>.ones(shape: [n], chunks: 2)
        do {
            _ = try Linalg.solve(a, b).compute()
            Issue.record("a singular matrix solved")
        } catch let f as TaskFailure {
            #expect("\(f)".contains("singular"), "\(f)")
        }
        #expect(throws: LinalgError.self) { try Linalg.solve(ChunkedArray<Double>.ones(shape: [3, 4], chunks: 2), b) }
        #expect(throws: LinalgError.self) { try Linalg.solve(a, ChunkedArray<Double>.ones(shape: [5], chunks: 2)) }
        #expect(throws: LinalgError.self) { try Linalg.inv(ChunkedArray<Double>.ones(shape: [3], chunks: 2)) }
    }
}
