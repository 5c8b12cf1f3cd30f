import CLAPACKE
import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// `Linalg.lu` against LAPACK's dgetrf on the whole matrix, at random square tilings.
@Suite struct LUTests {
    /// LAPACK's LU of the whole matrix: the row order (row i of L·U is row perm[i] of A), L, U.
    func lapackLU(_ a: [Double], _ n: Int) -> (perm: [Int], l: [Double], u: [Double]) {
        var w = a
        var ipiv = [Int32](repeating: 0, count: Swift.max(n, 1))
        let info = LAPACKE_dgetrf(LAPACK_ROW_MAJOR, Int32(n), Int32(n), &w, Int32(n), &ipiv)
        precondition(info >= 0)
        var perm = Array(0..<n)
        for i in 0..<n { perm.swapAt(i, Int(ipiv[i]) - 1) }
        var l = [Double](repeating: 0, count: n * n), u = l
        for i in 0..<n { for j in 0..<n { if j < i { l[i * n + j] = w[i * n + j] } else { u[i * n + j] = w[i * n + j] }; if i == j { l[i * n + j] = 1 } } }
        return (perm, l, u)
    }

    @Test func matchesLAPACKGetrfAtRandomTilings() throws {
        var rng = TestRNG(41)
        for trial in 0..<16 {
            let n = Int.random(in: 1...14, using: &rng)
            let av = uniforms(n * n, &rng)
            let rows = chunksAtLeast(n, Int.random(in: 1...5, using: &rng), &rng)
            let a = try ChunkedArray(av, shape: [n, n], chunks: .sizes([rows, chunksAtLeast(n, 1, &rng)]))
            let (p, l, u) = try Linalg.lu(a)
            #expect(p.chunks == [rows, rows] && l.chunks == [rows, rows] && u.chunks == [rows, rows])
            let (pv, lv, uv) = try compute(p, l, u, scheduler: schedulers[trial % schedulers.count])
            let (pd, ld, ud) = (pv.doubles, lv.doubles, uv.doubles)
            let want = lapackLU(av, n)
            // p[perm[i], i] = 1 and nothing else: the same pivots as LAPACK.
            var wantP = [Double](repeating: 0, count: n * n)
            for i in 0..<n { wantP[want.perm[i] * n + i] = 1 }
            #expect(pd == wantP, "trial \(trial): n \(n) rows \(rows)")
            #expect(relativeError(ld, want.l) < 1e-12 && relativeError(ud, want.u) < 1e-12, "trial \(trial)")
            for i in 0..<n { for j in 0..<n {
                if j > i { #expect(ld[i * n + j] == 0 && ud[j * n + i] == 0) }
                if i == j { #expect(ld[i * n + j] == 1) }
            } }
            // A = P·L·U, and Pᵀ·A = L·U.
            let plu = naiveMatmul(pd, naiveMatmul(ld, ud, n, n, n), n, n, n)
            #expect(relativeError(plu, av) < 1e-12, "trial \(trial)")
            #expect(relativeError(naiveMatmul(naiveTranspose(pd, n, n), av, n, n, n), naiveMatmul(ld, ud, n, n, n)) < 1e-12)
        }
    }

    @Test func pivotsAcrossBlocksSingularAndFloat() throws {
        // The largest entry of column 0 sits in the last block: rows move between blocks.
        let n = 5
        var av = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { av[i * n + j] = Double((i * 7 + j * 3) % 11) - 5 } }
        av[4 * n] = 100
        let a = try ChunkedArray(av, shape: [n, n], chunks: .sizes([[2, 2, 1], [2, 2, 1]]))
        let (p, l, u) = try Linalg.lu(a)
        let (pv, lv, uv) = try compute(p, l, u)
        let want = lapackLU(av, n)
        #expect(pv.doubles[4 * n] == 1 && want.perm[0] == 4)
        #expect(relativeError(lv.doubles, want.l) < 1e-12 && relativeError(uv.doubles, want.u) < 1e-12)
        // A singular matrix factors with a zero on U's diagonal, as SciPy's lu.
        let s = try ChunkedArray<Double>([1, 2, 3, 2, 4, 6, 1, 0, 1], shape: [3, 3], chunks: .sizes([[2, 1], [2, 1]]))
        let (sp, sl, su) = try compute(try Linalg.lu(s).p, try Linalg.lu(s).l, try Linalg.lu(s).u)
        #expect(relativeError(naiveMatmul(sp.doubles, naiveMatmul(sl.doubles, su.doubles, 3, 3, 3), 3, 3, 3), [1, 2, 3, 2, 4, 6, 1, 0, 1]) < 1e-14)
        #expect((0..<3).contains { su.doubles[$0 * 3 + $0] == 0 })
        let f = try ChunkedArray<Float>(av.map { Float($0) }, shape: [n, n], chunks: .sizes([[3, 2], [3, 2]]))
        let (fp, fl, fu) = try Linalg.lu(f)
        let (fpv, flv, fuv) = try compute(fp, fl, fu)
        #expect(relativeError(naiveMatmul(fpv.doubles, naiveMatmul(flv.doubles, fuv.doubles, n, n, n), n, n, n), av) < 1e-5)
        #expect(throws: LinalgError.self) { try Linalg.lu(try ChunkedArray<Double>.ones(shape: [2, 3], chunks: 2)) }
        #expect(throws: LinalgError.self) { try Linalg.lu(try ChunkedArray<Double>.ones(shape: [4], chunks: 2)) }
    }
}
