import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// `Linalg.eigh` against the cyclic Jacobi method in plain loops, and the defining identities.
@Suite struct EighTests {
    /// Eigenvalues of a symmetric matrix by cyclic Jacobi rotations, ascending.
    func jacobiEigenvalues(_ m: [Double], _ n: Int) -> [Double] {
        var a = m
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where i != j { off += a[i * n + j] * a[i * n + j] } }
            if off < 1e-30 { break }
            for p in 0..<n { for q in (p + 1)..<n where a[p * n + q] != 0 {
                let theta = (a[q * n + q] - a[p * n + p]) / (2 * a[p * n + q])
                let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<n {   // columns p, q
                    let akp = a[k * n + p], akq = a[k * n + q]
                    a[k * n + p] = c * akp - s * akq; a[k * n + q] = s * akp + c * akq
                }
                for k in 0..<n {   // rows p, q
                    let apk = a[p * n + k], aqk = a[q * n + k]
                    a[p * n + k] = c * apk - s * aqk; a[q * n + k] = s * apk + c * aqk
                }
            } }
        }
        return (0..<n).map { a[$0 * n + $0] }.sorted()
    }

    @Test func eigenpairsOfRandomSymmetricMatrices() throws {
        var rng = TestRNG(51)
        for trial in 0..<12 {
            let n = Int.random(in: 1...12, using: &rng)
            let r = uniforms(n * n, &rng)
            var sym = [Double](repeating: 0, count: n * n)
            for i in 0..<n { for j in 0..<n { sym[i * n + j] = r[i * n + j] + r[j * n + i] } }
            let a = try ChunkedArray(sym, shape: [n, n], chunks: .sizes([chunksAtLeast(n, 1, &rng), chunksAtLeast(n, 2, &rng)]))
            let (w, v) = try Linalg.eigh(a)
            let (wv, vv) = try compute(w, v, scheduler: schedulers[trial % schedulers.count])
            #expect(wv.shape == [n] && vv.shape == [n, n])
            let wd = wv.doubles, vd = vv.doubles
            #expect(wd == wd.sorted(), "ascending, as NumPy")
            #expect(relativeError(wd, jacobiEigenvalues(sym, n)) < 1e-12, "trial \(trial)")
            // A·v = v·diag(w) and vᵀ·v = I.
            var vw = vd
            for i in 0..<n { for j in 0..<n { vw[i * n + j] *= wd[j] } }
            #expect(relativeError(naiveMatmul(sym, vd, n, n, n), vw) < 1e-12, "trial \(trial)")
            #expect(orthogonalityError(vd, n, n) < 1e-12)

            let f = try ChunkedArray<Float>(sym.map { Float($0) }, shape: [n, n], chunks: .sizes([chunksAtLeast(n, 2, &rng), [n]]))
            #expect(relativeError(try Linalg.eigh(f).w.compute().doubles, jacobiEigenvalues(sym, n)) < 1e-5)
        }
    }

    @Test func readsTheLowerTriangleAndRejectsNonSquare() throws {
        // Upper triangle garbage: NumPy's eigh (UPLO='L') ignores it.
        let a = try ChunkedArray<Double>([2, 99, 1, 2], shape: [2, 2], chunks: .sizes([[1, 1], [1, 1]]))
        #expect(relativeError(try Linalg.eigh(a).w.compute().doubles, [1, 3]) < 1e-15)
        #expect(throws: LinalgError.self) { try Linalg.eigh(try ChunkedArray<Double>.ones(shape: [2, 3], chunks: 2)) }
        #expect(throws: LinalgError.self) { try Linalg.eigh(try ChunkedArray<Double>.ones(shape: [3], chunks: 2)) }
        let empty = try Linalg.eigh(try ChunkedArray<Double>.zeros(shape: [0, 0]))
        #expect(try empty.w.compute().shape == [0])
    }
}
