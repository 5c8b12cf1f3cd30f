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

    /// Any axis of a 3-d array (and a 1-d one): NumPy's `[q] + shape without axis` layout.
    @Test func alongAnyAxisOfThreeDimensions() throws {
        var rng = TestRNG(21)
        for _ in 0..<4 {
            let shape = (0..<3).map { _ in Int.random(in: 1...5, using: &rng) }
            let v = uniforms(shape.reduce(1, *), &rng)
            let x = try ChunkedArray<Double>(v, shape: shape, chunks: .sizes(shape.map { chunksAtLeast($0, 1, &rng) }))
            let q = [0, 0.3, 0.5, 1]
            for axis in [0, 1, 2, -1] {
                let ax = (axis + 3) % 3
                var rest = shape
                rest.remove(at: ax)
                var want: [Double] = []
                for p in q {
                    for a in 0..<rest[0] {
                        for b in 0..<rest[1] {
                            let vec = (0..<shape[ax]).map { j -> Double in
                                var idx = [a, b]
                                idx.insert(j, at: ax)
                                return v[(idx[0] * shape[1] + idx[1]) * shape[2] + idx[2]]
                            }.sorted()
                            let pos = p * Double(vec.count - 1)
                            let lo = Int(pos), hi = Swift.min(lo + 1, vec.count - 1)
                            want.append(vec[lo] + (vec[hi] - vec[lo]) * (pos - Double(lo)))
                        }
                    }
                }
                let got = try x.quantile(q, axis: axis).compute()
                #expect(got.shape == [q.count] + rest, "axis \(axis) of \(shape)")
                #expect(relativeError(got.scalars, want) < 1e-14, "axis \(axis) of \(shape)")
            }
        }
        let line = try ChunkedArray<Double>([5, 1, 4, 2, 3], shape: [5], chunks: .sizes([[2, 3]]))
        #expect(try line.quantile([0.5, 1], axis: 0).compute().scalars == [3, 5])
        #expect(throws: ArrayError.self) { try line.quantile([0.5], axis: 1) }
    }
}
