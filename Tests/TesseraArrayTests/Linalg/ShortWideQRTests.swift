import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// `Linalg.qr` of short-and-wide matrices cut along columns (Dask's `sfqr`), against LAPACK's
/// dgeqrf of the whole matrix.
@Suite struct ShortWideQRTests {
    @Test func severalColumnBlocksMatchLAPACK() throws {
        var rng = TestRNG(61)
        for trial in 0..<16 {
            let m = Int.random(in: 1...7, using: &rng), n = Int.random(in: m...30, using: &rng)
            let av = uniforms(m * n, &rng)
            let cols = chunksAtLeast(n, Int.random(in: 1...6, using: &rng), &rng)
            let rows = chunksAtLeast(m, Int.random(in: 1...3, using: &rng), &rng)
            let a = try ChunkedArray(av, shape: [m, n], chunks: .sizes([rows, cols]))
            guard a.numBlocks[1] > 1 || (m < n && a.numBlocks[0] > 1) else { continue }
            let (q, r) = try Linalg.qr(a)
            #expect(q.shape == [m, m] && r.shape == [m, n] && r.chunks[1] == cols, "trial \(trial)")
            let (qv, rv) = try compute(q, r, scheduler: schedulers[trial % schedulers.count])
            let qd = qv.doubles, rd = rv.doubles
            for i in 0..<m { for j in 0..<i { #expect(rd[i * n + j] == 0, "R is exactly upper triangular") } }
            #expect(relativeError(naiveMatmul(qd, rd, m, m, n), av) < 1e-12, "A = QR, \(m)×\(n) chunks \(a.chunks)")
            #expect(orthogonalityError(qd, m, m) < 1e-12)
            #expect(relativeError(rd.map(Swift.abs), lapackR(av, m, n).map(Swift.abs)) < 1e-12, "R as LAPACK's up to row signs")

            let f = try ChunkedArray<Float>(av.map { Float($0) }, shape: [m, n], chunks: .sizes([rows, cols]))
            let (qf, rf) = try Linalg.qr(f)
            let (qfv, rfv) = try compute(qf, rf)
            #expect(relativeError(naiveMatmul(qfv.doubles, rfv.doubles, m, m, n), av) < 1e-5)
        }
    }

    @Test func headSpanningBlocksAndSquare() throws {
        var rng = TestRNG(62)
        // The head (first 5 columns) spans three blocks, the third only partly.
        let m = 5, n = 12
        let av = uniforms(m * n, &rng)
        let a = try ChunkedArray(av, shape: [m, n], chunks: .sizes([[5], [2, 2, 3, 5]]))
        let (q, r) = try Linalg.qr(a)
        let (qv, rv) = try compute(q, r)
        #expect(relativeError(naiveMatmul(qv.doubles, rv.doubles, m, m, n), av) < 1e-12)
        #expect(relativeError(rv.doubles.map(Swift.abs), lapackR(av, m, n).map(Swift.abs)) < 1e-12)
        // Square, cut along both axes.
        let sv = uniforms(36, &rng)
        let s = try ChunkedArray(sv, shape: [6, 6], chunks: [4, 4])
        let (sq, sr) = try Linalg.qr(s)
        let (sqv, srv) = try compute(sq, sr)
        #expect(relativeError(naiveMatmul(sqv.doubles, srv.doubles, 6, 6, 6), sv) < 1e-12)
        #expect(orthogonalityError(sqv.doubles, 6, 6) < 1e-12)
    }
}
