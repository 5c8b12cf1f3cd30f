import Foundation
import Tessera
import Testing
@testable import TesseraArray

/// `quantile(_:axis:)`/`percentile(_:axis:)` against naive per-vector sorting at random chunkings.
@Suite struct QuantileAxisTests {
    @Test func alongEitherAxis() throws {
        var rng = TestRNG(9)
        for _ in 0..<6 {
            let m = Int.random(in: 1...12, using: &rng), n = Int.random(in: 1...7, using: &rng)
            let v = uniforms(m * n, &rng)
            let x = try ChunkedArray<Double>(v, shape: [m, n], chunks: .sizes([chunksAtLeast(m, 1, &rng), chunksAtLeast(n, 1, &rng)]))
            let q = [0, 0.1, 0.5, 0.75, 1]
            for axis in [0, 1] {
                let vectors = axisVectors(v, m, n, axis: axis)
                var want: [Double] = []
                for p in q {
                    for vec in vectors {
                        let s = vec.sorted(), pos = p * Double(s.count - 1)
                        let lo = Int(pos), hi = Swift.min(lo + 1, s.count - 1)
                        want.append(s[lo] + (s[hi] - s[lo]) * (pos - Double(lo)))
                    }
                }
                let got = try x.quantile(q, axis: axis).compute()
                #expect(got.shape == [q.count, vectors.count])
                #expect(relativeError(got.scalars, want) < 1e-14)
                #expect(relativeError(try x.percentile(q.map { $0 * 100 }, axis: axis).compute().scalars, want) < 1e-14)
            }
        }
        let withNaN = try ChunkedArray<Double>([1, .nan, 3, 4], shape: [2, 2])
        let r = try withNaN.quantile([0.5], axis: 0).compute()
        #expect(r[0, 0] == 2 && r[0, 1].isNaN)
        #expect(throws: ArrayError.self) { try withNaN.quantile([1.5], axis: 0) }
    }
}
