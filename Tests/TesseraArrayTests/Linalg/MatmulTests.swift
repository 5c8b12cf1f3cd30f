import Foundation
import Testing
import Tessera
@testable import TesseraArray

@Suite struct MatmulTests {
    @Test func matmulMatchesNaiveLoopsOverRandomShapesChunkingsAndSchedulers() throws {
        var rng = TestRNG(11)
        for trial in 0..<24 {
            let m = Int.random(in: 0...9, using: &rng), k = Int.random(in: 0...9, using: &rng), n = Int.random(in: 0...9, using: &rng)
            let av = randomDoubles(m * k, &rng), bv = randomDoubles(k * n, &rng)
            let a = try ChunkedArray(av, shape: [m, k], chunks: randomChunks([m, k], &rng))
            let b = try ChunkedArray(bv, shape: [k, n], chunks: randomChunks([k, n], &rng))
            let want = naiveMatmul(av, bv, m, k, n)
            let c = try a • b
            #expect(c.shape == [m, n])
            let got = try c.compute(scheduler: schedulers[trial % schedulers.count])
            #expect(got.shape == [m, n])
            #expect(allClose(got.doubles, want, 1e-12), "\(m)×\(k) · \(k)×\(n) chunks \(a.chunks) \(b.chunks)")
            #expect(try matmul(a, b).compute().scalars == got.scalars, "same graph shape gives the same bits")
        }
    }

    @Test func floatAndIntegerProducts() throws {
        var rng = TestRNG(12)
        for _ in 0..<8 {
            let m = Int.random(in: 1...8, using: &rng), k = Int.random(in: 1...8, using: &rng), n = Int.random(in: 1...8, using: &rng)
            let av = (0..<(m * k)).map { _ in Double(Int.random(in: -20...20, using: &rng)) }
            let bv = (0..<(k * n)).map { _ in Double(Int.random(in: -20...20, using: &rng)) }
            let want = naiveMatmul(av, bv, m, k, n)
            let ca = randomChunks([m, k], &rng), cb = randomChunks([k, n], &rng)
            let fa = try ChunkedArray<Float>(av.map { Float($0) }, shape: [m, k], chunks: ca)
            let fb = try ChunkedArray<Float>(bv.map { Float($0) }, shape: [k, n], chunks: cb)
            let f = try fa.matmul(fb)
            #expect(try f.compute().doubles == want)
            let ia = try ChunkedArray<Int64>(av.map { Int64($0) }, shape: [m, k], chunks: ca)
            let i = try ia.matmul(ChunkedArray<Int64>(bv.map { Int64($0) }, shape: [k, n], chunks: cb))
            #expect(try i.compute().scalars == want.map { Int64($0) })
            let ja = try ChunkedArray<Int32>(av.map { Int32($0) }, shape: [m, k], chunks: ca)
            let j = try ja.matmul(ChunkedArray<Int32>(bv.map { Int32($0) }, shape: [k, n], chunks: cb))
            #expect(try j.compute(scheduler: .threads(2)).scalars == want.map { Int32($0) })
        }
    }

    @Test func vectorsFollowNumPyMatmulRules() throws {
        var rng = TestRNG(13)
        for _ in 0..<10 {
            let m = Int.random(in: 1...8, using: &rng), k = Int.random(in: 1...8, using: &rng)
            let av = randomDoubles(m * k, &rng), xv = randomDoubles(k, &rng), yv = randomDoubles(m, &rng)
            let a = try ChunkedArray(av, shape: [m, k], chunks: randomChunks([m, k], &rng))
            let x = try ChunkedArray(xv, shape: [k], chunks: randomChunks([k], &rng))
            let y = try ChunkedArray(yv, shape: [m], chunks: randomChunks([m], &rng))
            let ax = try (a • x).compute(scheduler: .threads(2))
            #expect(ax.shape == [m])
            #expect(allClose(ax.doubles, naiveMatmul(av, xv, m, k, 1), 1e-12))
            let ya = try (y • a).compute()
            #expect(ya.shape == [k])
            #expect(allClose(ya.doubles, naiveMatmul(yv, av, 1, m, k), 1e-12))
            let xx = try x.dot(x).compute()
            #expect(xx.shape == [])
            #expect(close(xx.scalar!, xv.map { $0 * $0 }.reduce(0, +), 1e-12))
        }
    }

    @Test func batchedStacksOfMatrices() throws {
        var rng = TestRNG(14)
        for _ in 0..<8 {
            let p = Int.random(in: 1...4, using: &rng), m = Int.random(in: 1...6, using: &rng)
            let k = Int.random(in: 1...6, using: &rng), n = Int.random(in: 1...6, using: &rng)
            let av = randomDoubles(p * m * k, &rng), bv = randomDoubles(p * k * n, &rng), sv = randomDoubles(m * k, &rng)
            let a = try ChunkedArray(av, shape: [p, m, k], chunks: randomChunks([p, m, k], &rng))
            let b = try ChunkedArray(bv, shape: [p, k, n], chunks: randomChunks([p, k, n], &rng))
            let s = try ChunkedArray(sv, shape: [m, k], chunks: randomChunks([m, k], &rng))
            var want: [Double] = [], wantShared: [Double] = []
            for e in 0..<p {
                want += naiveMatmul(Array(av[(e * m * k)..<((e + 1) * m * k)]), Array(bv[(e * k * n)..<((e + 1) * k * n)]), m, k, n)
                wantShared += naiveMatmul(sv, Array(bv[(e * k * n)..<((e + 1) * k * n)]), m, k, n)
            }
            let c = try (a • b).compute(scheduler: .threads(4))
            #expect(c.shape == [p, m, n])
            #expect(allClose(c.doubles, want, 1e-12))
            let d = try (s • b).compute()
            #expect(d.shape == [p, m, n])
            #expect(allClose(d.doubles, wantShared, 1e-12))
            // (p, m, k) @ (k, m') multiplies every matrix of the stack.
            let e = try (a • s.tensordot(s, axes: ([0], [0]))).compute()
            #expect(e.shape == [p, m, k])
        }
    }

    @Test func tensordotOverArbitraryAxes() throws {
        var rng = TestRNG(15)
        for _ in 0..<10 {
            let s = (0..<3).map { _ in Int.random(in: 1...5, using: &rng) }
            let t = [s[2], Int.random(in: 1...4, using: &rng), s[0]]
            let av = randomDoubles(s.reduce(1, *), &rng), bv = randomDoubles(t.reduce(1, *), &rng)
            let a = try ChunkedArray(av, shape: s, chunks: randomChunks(s, &rng))
            let b = try ChunkedArray(bv, shape: t, chunks: randomChunks(t, &rng))
            let an = try NDArray(shape: s, scalars: av), bn = try NDArray(shape: t, scalars: bv)
            // contract a's axes 0 and 2 with b's axes 2 and 0: result (s[1], t[1])
            let got = try a.tensordot(b, axes: ([0, 2], [2, 0])).compute(scheduler: .threads(2))
            #expect(got.shape == [s[1], t[1]])
            var want: [Double] = []
            for i in 0..<s[1] { for j in 0..<t[1] {
                var acc = 0.0
                for x in 0..<s[0] { for z in 0..<s[2] { acc += an[x, i, z] * bn[z, j, x] } }
                want.append(acc)
            } }
            #expect(allClose(got.doubles, want, 1e-12))
            // axes = 0 is the outer product
            let outer = try a.tensordot(b, axes: 0).compute()
            #expect(outer.shape == s + t)
            #expect(close(outer[[0, 0, 0, 0, 0, 0]], an[0, 0, 0] * bn[0, 0, 0]))
        }
    }

    @Test func manyContractionBlocksAreSummedInATree() throws {
        var rng = TestRNG(16)
        let m = 60, n = 3
        let xv = uniforms(m * n, &rng)
        let x = try ChunkedArray(xv, shape: [m, n], chunks: [3, 3])   // 20 row blocks
        let gram = try x.tensordot(x, axes: ([0], [0]))            // xᵀx: one output block
        let plan = gram.graph.plan(optimize: false)
        let kinds = (0..<plan.count).map { plan.kind($0) }
        #expect(kinds.filter { $0 == "tensordot" }.count > 1, "the 20 contraction steps are split over several tasks")
        #expect(kinds.contains("tensordot-sum"))
        let want = naiveMatmul(naiveTranspose(xv, m, n), xv, n, m, n)
        for s in schedulers { #expect(allClose(try gram.compute(scheduler: s).doubles, want, 1e-12)) }
    }

    @Test func incompatibleInnerDimensionsNameBothShapes() throws {
        let a = try ChunkedArray<Double>.ones(shape: [3, 4], chunks: 2)
        let b = try ChunkedArray<Double>.ones(shape: [5, 2], chunks: 2)
        #expect(throws: LinalgError.self) { try a • b }
        do { _ = try a.matmul(b) } catch {
            #expect("\(error)".contains("(3, 4)") && "\(error)".contains("(5, 2)"), "\(error)")
        }
        let s = try ChunkedArray<Double>.ones(shape: [2, 3, 4], chunks: 2)
        let t = try ChunkedArray<Double>.ones(shape: [3, 4, 2], chunks: 2)
        #expect(throws: LinalgError.self) { try s • t }
        #expect(throws: ArrayError.self) { try a.tensordot(a, axes: ([0, 0], [0, 1])) }
    }
}

@Suite struct NDArrayMatmulTests {
    @Test func eagerProductsMatchNaiveLoops() throws {
        var rng = TestRNG(17)
        let av = randomDoubles(12, &rng), bv = randomDoubles(20, &rng)
        let a = try NDArray(shape: [3, 4], scalars: av), b = try NDArray(shape: [4, 5], scalars: bv)
        #expect(allClose(try (a • b).doubles, naiveMatmul(av, bv, 3, 4, 5), 1e-12))
        #expect(try a.dot(b).shape == [3, 5])
        #expect(try a.tensordot(b, axes: ([1], [0])).scalars == (try a.matmul(b)).scalars)
        #expect(throws: LinalgError.self) { try b • a }
    }
}

@Suite struct OpenBLASKernelTests {
    /// On x86-64 with Debian's OpenBLAS (what `make deps` installs) the kernels match the CPU's
    /// instruction set, or are the ones the user chose. The repair itself sets OPENBLAS_CORETYPE,
    /// so only the value seen before Tessera looked counts as the user's choice.
    @Test func kernelsAreAtLeastAsNewAsTheCPUAllows() throws {
        #if arch(x86_64)
        let core = try #require(Linalg.blasCore, "OpenBLAS not loaded: Debian's libopenblas is what Tessera links")
        if let chosen = OpenBLASKernels.userCore {
            #expect(core.caseInsensitiveCompare(chosen) == .orderedSame, "the user chose \(chosen), OpenBLAS runs \(core)")
            return
        }
        if OpenBLASKernels.repairDisabled { return }
        let want = try #require(OpenBLASKernels.supportedCore(), "no AVX on this x86-64 CPU?")
        guard let have = OpenBLASKernels.generations.firstIndex(where: { $0.caseInsensitiveCompare(core) == .orderedSame }) else {
            // A core outside the Intel list (Zen, …) was detected correctly by OpenBLAS itself.
            return
        }
        #expect(have >= OpenBLASKernels.generations.firstIndex(of: want)!, "OpenBLAS runs \(core) kernels on a CPU that supports \(want)")
        #endif
    }
}
