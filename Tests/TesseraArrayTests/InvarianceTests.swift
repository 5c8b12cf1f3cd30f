import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// Results must not depend on chunking, scheduler or worker count. Data are multiples of 1/4, so
/// every sum is exact and results must agree bit for bit.
@Suite struct InvarianceTests {
    func pipeline(_ chunks: Chunks, _ scheduler: Scheduler) throws -> [[Double]] {
        var rng = TestRNG(99)
        let v = randomDoubles(12 * 10, &rng)
        let w = randomDoubles(10, &rng)
        let a = try ChunkedArray(v, shape: [12, 10], chunks: chunks)
        let b = try ChunkedArray(w, chunks: [3])
        let e = try (a * 2 - b) / 4
        let r = try compute(e.sum(axis: 0), e.max(axis: 1), e.cumsum(axis: 1), e[.slice(1, nil, step: 3), .slice(step: -2)].sum(),
                            try (e + e.T[.to(10), .all].T[.to(12)]).argmax(), scheduler: scheduler)
        return [r.0.scalars, r.1.scalars, r.2.scalars, r.3.scalars, [Double(r.4.scalar!)]]
    }

    @Test func identicalAcrossChunkingsSchedulersAndWorkers() throws {
        let reference = try pipeline(.sizes([[12], [10]]), .synchronous)
        for chunks: Chunks in [[1, 1], [5, 3], .sizes([[7, 5], [1, 9]]), [12, 2]] {
            for scheduler in schedulers {
                #expect(try pipeline(chunks, scheduler) == reference, "\(chunks) \(scheduler)")
            }
        }
    }

    @Test func randomValuesDependOnlyOnSeedAndIndex() throws {
        let whole = try ChunkedArray<Double>.randomNormal(shape: [30, 7], chunks: [30, 7], seed: 5).compute(scheduler: .synchronous)
        for chunks: Chunks in [[1, 1], [4, 3], [29, 6]] {
            for scheduler in schedulers {
                let x = try ChunkedArray<Double>.randomNormal(shape: [30, 7], chunks: chunks, seed: 5)
                #expect(try x.compute(scheduler: scheduler) == whole)
                // A slice of the generated array equals the same slice of the whole.
                let s = try x[.slice(3, 20, step: 4), .at(-1)].compute(scheduler: scheduler)
                #expect(s.scalars == stride(from: 3, to: 20, by: 4).map { whole[$0, 6] })
            }
        }
    }

    @Test(arguments: schedulers)
    func tutorialPipelineAtSmallSizeMatchesNaiveLoops(scheduler: Scheduler) throws {
        let n = 40
        let x = try ChunkedArray<Double>.random(shape: [n, n], chunks: [7, 7], seed: 42)
        let xs = try x.compute(scheduler: .synchronous)
        let y = try (x + x.T)[.slice(step: 2), .from(10)].mean(axis: 1)
        // Still fused: one task per output block of the mean, plus the tree; no task for x.
        #expect(!y.graph.plan(optimize: false).refs.contains { $0.layer.kind == "random" })
        var want: [Double] = []
        for i in stride(from: 0, to: n, by: 2) {
            var s = 0.0
            for j in 10..<n { s += xs[i, j] + xs[j, i] }
            want.append(s / Double(n - 10))
        }
        #expect(allClose(try y.compute(scheduler: scheduler).scalars, want, 1e-12))
        #expect(close(try y.sum().compute(scheduler: scheduler).scalar!, want.reduce(0, +), 1e-12))
    }
}
