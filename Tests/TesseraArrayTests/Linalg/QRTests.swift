import CLAPACKE
import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// R of the whole matrix by LAPACK's dgeqrf (row-major), K × n.
func lapackR(_ a: [Double], _ m: Int, _ n: Int) -> [Double] {
    var w = a
    let k = Swift.min(m, n)
    var tau = [Double](repeating: 0, count: Swift.max(k, 1))
    let info = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, Int32(m), Int32(n), &w, Int32(n), &tau)
    precondition(info == 0)
    var r = [Double](repeating: 0, count: k * n)
    for i in 0..<k { for j in i..<n { r[i * n + j] = w[i * n + j] } }
    return r
}

/// Singular values of the whole matrix by LAPACK's dgesdd.
func lapackSingularValues(_ a: [Double], _ m: Int, _ n: Int) -> [Double] {
    var w = a
    let k = Swift.min(m, n)
    var s = [Double](repeating: 0, count: k), u = [Double](repeating: 0, count: 1), vt = [Double](repeating: 0, count: 1)
    let info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, CChar(UInt8(ascii: "N")), Int32(m), Int32(n), &w, Int32(n), &s, &u, Int32(m), &vt, Int32(n))
    precondition(info == 0, "dgesdd info \(info) for \(m)×\(n)")
    return s
}

/// QᵀQ − I, largest absolute entry.
func orthogonalityError(_ q: [Double], _ m: Int, _ k: Int) -> Double {
    let g = naiveMatmul(naiveTranspose(q, m, k), q, k, m, k)
    var e = 0.0
    for i in 0..<k { for j in 0..<k { e = Swift.max(e, Swift.abs(g[i * k + j] - (i == j ? 1 : 0))) } }
    return e
}

@Suite struct QRTests {
    @Test func tsqrFactorsRandomTallMatricesInDoubleAndFloat() throws {
        var rng = TestRNG(21)
        for trial in 0..<24 {
            let n = Int.random(in: 1...6, using: &rng), m = Int.random(in: n...40, using: &rng)
            let av = uniforms(m * n, &rng)
            let rows = chunksAtLeast(m, Int.random(in: 1...8, using: &rng), &rng)
            let a = try ChunkedArray(av, shape: [m, n], chunks: .sizes([rows, [n]]))
            let (q, r) = try Linalg.qr(a)
            let k = Swift.min(m, n)
            #expect(q.shape == [m, k] && r.shape == [k, n])
            #expect(q.chunks[0] == rows)
            let (qv, rv) = try compute(q, r, scheduler: schedulers[trial % schedulers.count])
            let qd = qv.doubles, rd = rv.doubles
            for i in 0..<k { for j in 0..<i { #expect(rd[i * n + j] == 0) } }
            #expect(relativeError(naiveMatmul(qd, rd, m, k, n), av) < 1e-10, "A = QR, \(m)×\(n) rows \(rows)")
            #expect(orthogonalityError(qd, m, k) < 1e-10, "QᵀQ = I")
            // R matches LAPACK on the whole matrix up to the sign of each row.
            #expect(relativeError(rd.map(Swift.abs), lapackR(av, m, n).map(Swift.abs)) < 1e-10)

            let f = try ChunkedArray<Float>(av.map { Float($0) }, shape: [m, n], chunks: .sizes([rows, [n]]))
            let (qf, rf) = try Linalg.qr(f)
            let (qfv, rfv) = try compute(qf, rf)
            #expect(relativeError(naiveMatmul(qfv.doubles, rfv.doubles, m, k, n), av) < 1e-5)
            #expect(orthogonalityError(qfv.doubles, m, k) < 1e-5)
        }
    }

    @Test func deepTreesAndBlocksShorterThanWide() throws {
        var rng = TestRNG(22)
        let m = 61, n = 5
        let av = uniforms(m * n, &rng)
        // 31 blocks of 2 rows (fewer rows than columns), three levels of stacking
        let a = try ChunkedArray(av, shape: [m, n], chunks: .sizes([regularChunks(m, 2), [n]]))
        let (q, r) = try Linalg.qr(a)
        for s in schedulers {
            let (qv, rv) = try compute(q, r, scheduler: s)
            #expect(relativeError(naiveMatmul(qv.doubles, rv.doubles, m, n, n), av) < 1e-10)
            #expect(orthogonalityError(qv.doubles, m, n) < 1e-10)
        }
        // A wide matrix in one block works too.
        let w = try ChunkedArray(uniforms(12, &rng), shape: [3, 4], chunks: .sizes([[3], [4]]))
        let (qw, rw) = try Linalg.qr(w)
        #expect(qw.shape == [3, 3] && rw.shape == [3, 4])
    }

    @Test func askingOnlyForRSkipsTheDownPass() throws {
        let a = try ChunkedArray<Double>.random(shape: [40, 4], chunks: .sizes([regularChunks(40, 5), [4]]), seed: 3)
        let (_, r) = try Linalg.qr(a)
        let plan = r.graph.plan(optimize: false)
        let kinds = Set((0..<plan.count).map { plan.kind($0) })
        #expect(kinds.contains("qr-local") && kinds.contains("qr-stack"))
        #expect(!kinds.contains("qr-q") && !kinds.contains("qr-apply"))
    }

    @Test func badChunkingsSuggestARechunk() throws {
        let cols = try ChunkedArray<Double>.ones(shape: [20, 6], chunks: [5, 3])
        do { _ = try Linalg.qr(cols); Issue.record("no error") } catch let e as LinalgError {
            #expect("\(e)".contains("rechunk") && "\(e)".contains("(20, 6)"), "\(e)")
        }
        // A wide matrix cut along rows is no longer an error: its rows are gathered (sfqr).
        let wide = try ChunkedArray<Double>.ones(shape: [4, 10], chunks: .sizes([[2, 2], [10]]))
        #expect(try Linalg.qr(wide).r.shape == [4, 10])
        let vector = try ChunkedArray<Double>.ones(shape: [4], chunks: 2)
        #expect(throws: LinalgError.self) { try Linalg.qr(vector) }
    }

    @Test func svdReconstructsAndMatchesLAPACKSingularValues() throws {
        var rng = TestRNG(23)
        for trial in 0..<12 {
            let n = Int.random(in: 1...6, using: &rng), m = Int.random(in: n...30, using: &rng)
            let av = uniforms(m * n, &rng)
            let rows = chunksAtLeast(m, Int.random(in: 1...7, using: &rng), &rng)
            let a = try ChunkedArray(av, shape: [m, n], chunks: .sizes([rows, [n]]))
            let (u, s, vt) = try Linalg.svd(a)
            let (uv, sv, vtv) = try compute(u, s, vt, scheduler: schedulers[trial % schedulers.count])
            let k = Swift.min(m, n)
            #expect(uv.shape == [m, k] && sv.shape == [k] && vtv.shape == [k, n])
            #expect(relativeError(sv.doubles, lapackSingularValues(av, m, n)) < 1e-10)
            var us = uv.doubles
            for i in 0..<m { for j in 0..<k { us[i * k + j] *= sv.doubles[j] } }
            #expect(relativeError(naiveMatmul(us, vtv.doubles, m, k, n), av) < 1e-10, "U·S·Vᵀ = A")
            #expect(orthogonalityError(uv.doubles, m, k) < 1e-10)

            let f = try ChunkedArray<Float>(av.map { Float($0) }, shape: [m, n], chunks: .sizes([rows, [n]]))
            let sf = try Linalg.svd(f).s.compute()
            #expect(relativeError(sf.doubles, lapackSingularValues(av, m, n)) < 1e-5)
        }
    }
}

@Suite struct SVDCompressedTests {
    @Test func lowRankMatricesAreRecoveredExactlyForAnyChunking() throws {
        var rng = TestRNG(24)
        for trial in 0..<8 {
            let m = Int.random(in: 8...24, using: &rng), n = Int.random(in: 6...16, using: &rng), rank = Int.random(in: 1...3, using: &rng)
            let av = naiveMatmul(uniforms(m * rank, &rng), uniforms(rank * n, &rng), m, rank, n)
            let a = try ChunkedArray(av, shape: [m, n], chunks: .sizes([chunksAtLeast(m, 3, &rng), chunksAtLeast(n, 2, &rng)]))
            let k = rank + 1
            let (u, s, vt) = try Linalg.svdCompressed(a, k: k, iterations: trial % 3, oversampling: 3, seed: UInt64(trial))
            #expect(u.shape == [m, k] && s.shape == [k] && vt.shape == [k, n])
            #expect(u.chunks[0] == a.chunks[0] && vt.chunks[1] == a.chunks[1])
            let (uv, sv, vtv) = try compute(u, s, vt, scheduler: schedulers[trial % schedulers.count])
            #expect(relativeError(sv.doubles, Array(lapackSingularValues(av, m, n).prefix(k))) < 1e-10)
            var us = uv.doubles
            for i in 0..<m { for j in 0..<k { us[i * k + j] *= sv.doubles[j] } }
            #expect(relativeError(naiveMatmul(us, vtv.doubles, m, k, n), av) < 1e-10, "U·S·Vᵀ = A for rank \(rank)")
            #expect(orthogonalityError(uv.doubles, m, k) < 1e-10)
            #expect(orthogonalityError(naiveTranspose(vtv.doubles, k, n), n, k) < 1e-10)
        }
    }

    @Test func powerIterationsApproximateTheLeadingSingularValues() throws {
        var rng = TestRNG(25)
        let m = 40, n = 30
        let av = uniforms(m * n, &rng)
        let a = try ChunkedArray(av, shape: [m, n], chunks: [7, 9])
        let want = lapackSingularValues(av, m, n)
        let s = try Linalg.svdCompressed(a, k: 3, iterations: 4, seed: 1).s.compute().doubles
        #expect(relativeError(s, Array(want.prefix(3))) < 0.05)
        #expect(throws: LinalgError.self) { try Linalg.svdCompressed(a, k: 31) }
        let f = try ChunkedArray<Float>(av.map { Float($0) }, shape: [m, n], chunks: [7, 9])
        #expect(relativeError(try Linalg.svdCompressed(f, k: 3, iterations: 4).s.compute().doubles, Array(want.prefix(3))) < 0.05)
    }
}
