import Foundation
import Tessera
import Testing
@testable import TesseraArray

/// `Linalg.norm(_:ord:axis:)` against naive loops over rows and columns at random chunkings.
@Suite struct NormAxisTests {
    @Test func rowAndColumnNorms() throws {
        var rng = TestRNG(5)
        for _ in 0..<6 {
            let m = Int.random(in: 1...9, using: &rng), n = Int.random(in: 1...9, using: &rng)
            let v = uniforms(m * n, &rng)
            let x = try ChunkedArray<Double>(v, shape: [m, n], chunks: .sizes([chunksAtLeast(m, 1, &rng), chunksAtLeast(n, 1, &rng)]))
            for axis in [0, 1, -1] {
                let vs = axisVectors(v, m, n, axis: (axis + 2) % 2)
                let two = vs.map { $0.reduce(0) { $0 + $1 * $1 }.squareRoot() }
                let one = vs.map { $0.reduce(0) { $0 + abs($1) } }
                let inf = vs.map { $0.map(abs).max()! }
                #expect(relativeError(try Linalg.norm(x, axis: axis).compute().scalars, two) < 1e-14)
                #expect(relativeError(try Linalg.norm(x, ord: .one, axis: axis).compute().scalars, one) < 1e-14)
                #expect(try Linalg.norm(x, ord: .inf, axis: axis).compute().scalars == inf)
            }
        }
        let x = try ChunkedArray<Double>([1, 2, 3, 4], shape: [2, 2])
        #expect(throws: LinalgError.self) { try Linalg.norm(x, ord: .fro, axis: 0) }
        #expect(throws: ArrayError.self) { try Linalg.norm(x, axis: 2) }
    }
}
