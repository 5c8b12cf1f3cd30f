import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// `Linalg.norm(_, ord: .nuc)`: the sum of LAPACK's singular values of the whole matrix.
@Suite struct NuclearNormTests {
    @Test func nuclearNormIsTheSumOfSingularValuesAtAnyChunking() throws {
        var rng = TestRNG(71)
        for trial in 0..<12 {
            let m = Int.random(in: 1...14, using: &rng), n = Int.random(in: 1...14, using: &rng)
            var av = uniforms(m * n, &rng)
            // Every third matrix has rank one, so small singular values must come out near 0.
            if trial % 3 == 0 { av = naiveMatmul(uniforms(m, &rng), uniforms(n, &rng), m, 1, n) }
            let a = try ChunkedArray(av, shape: [m, n], chunks: randomChunks([m, n], &rng))
            let want = lapackSingularValues(av, m, n).reduce(0, +)
            let got = try Linalg.norm(a, ord: .nuc).compute(scheduler: schedulers[trial % schedulers.count]).scalar!
            #expect(abs(got - want) <= 1e-12 * Swift.max(1, want), "trial \(trial): \(m)×\(n) \(a.chunks): \(got) vs \(want)")
            let f = try ChunkedArray<Float>(av.map { Float($0) }, shape: [m, n], chunks: randomChunks([m, n], &rng))
            #expect(abs(Double(try Linalg.norm(f, ord: .nuc).compute().scalar!) - want) <= 1e-5 * Swift.max(1, want))
        }
        #expect(throws: LinalgError.self) { try Linalg.norm(ChunkedArray<Double>.ones(shape: [3], chunks: 2), ord: .nuc) }
        #expect(throws: LinalgError.self) { try Linalg.norm(ChunkedArray<Double>.ones(shape: [3, 3], chunks: 2), ord: .nuc, axis: 0) }
        #expect(try Linalg.norm(ChunkedArray<Double>.zeros(shape: [0, 3]), ord: .nuc).compute().scalar == 0)
    }
}
