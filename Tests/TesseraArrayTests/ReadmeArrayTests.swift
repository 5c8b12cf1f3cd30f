import Foundation
import Testing
import Tessera
import TesseraArray

/// The README's ChunkedArray tour, compiled and run (ReadmeTests.readmeMatchesTheTests keeps the two in step).
@Suite struct ReadmeArrayTests {
    @Test func chunkedArrayTour() throws {
        let x = try ChunkedArray<Double>.random(shape: [4_000, 3_000], chunks: [1_000, 1_000], seed: 1)
        let y = x * 2 + 1                              // fused: one task per block, no temporaries
        let total = try y.sum().compute().scalar!      // one pass over memory per block, tree-reduced
        let columnMeans = try y.mean(axis: 0).compute()
        let corner = try x[.slice(0, 2), .slice(0, 3)].compute()   // 2×3 NDArray
        let xs = try x.compute().scalars                           // the whole array, row-major
        var naiveTotal = 0.0, naiveMean7 = 0.0                    // the same, by plain loops
        for (i, v) in xs.enumerated() {
            naiveTotal += v * 2 + 1
            if i % 3_000 == 7 { naiveMean7 += (v * 2 + 1) / 4_000 }
        }
        #expect(abs(total - naiveTotal) < 1e-9 * total)
        #expect(abs(columnMeans[7] - naiveMean7) < 1e-9)
        #expect(corner.shape == [2, 3] && corner[1, 2] == xs[3_002])
    }
}
