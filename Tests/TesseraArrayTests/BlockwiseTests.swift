import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// 3×3 (or 3-point) neighbourhood sum inside a block; outside the block counts 0.
func boxSum(_ a: NDArray<Double>) -> NDArray<Double> {
    var out = NDArray<Double>(shape: a.shape, repeating: 0)
    for idx in allIndices(a.shape) {
        var s = 0.0
        for off in allIndices(a.shape.map { _ in 3 }) {
            let j = zip(idx, off).map { $0 + $1 - 1 }
            if zip(j, a.shape).allSatisfy({ $0 >= 0 && $0 < $1 }) { s += a[j] }
        }
        out[idx] = s
    }
    return out
}

@Suite struct BlockwiseTests {
    @Test func mapBlocksAndBlockwise() throws {
        let a = try ChunkedArray<Double>((0..<10).map(Double.init), chunks: [4])
        let b = try a.mapBlocks { block, index in
            NDArray(block.scalars.map { $0 * 10 + Double(index[0]) })
        }
        #expect(try b.compute().scalars == [0, 10, 20, 30, 41, 51, 61, 71, 82, 92])
        let c = try ChunkedArray<Double>((0..<10).map { Double($0) * 2 }, chunks: [3])
        let d = try ChunkedArray.blockwise([a, c]) { blocks, _ in try blocks[0] + blocks[1] }
        #expect(try d.compute().scalars == (0..<10).map { Double($0) * 3 })
        // Changing block shapes with explicit chunks
        let firsts = try a.mapBlocks(chunks: [[1, 1, 1]]) { block, _ in NDArray([block.scalars[0]]) }
        #expect(try firsts.compute().scalars == [0, 4, 8])
        // Errors: wrong block shape at compute, wrong grid or shapes when building
        let bad = try a.mapBlocks { _, _ in NDArray<Double>([1]) }
        #expect(throws: TaskFailure.self) { try bad.compute() }
        #expect(throws: ArrayError.self) { try a.mapBlocks(chunks: [[5, 5]]) { b, _ in b } }
        #expect(throws: ArrayError.self) { try ChunkedArray.blockwise([a, try ChunkedArray<Double>([1, 2])]) { b, _ in b[0] } }
    }

    @Test func mapOverlapMatchesNaiveStencilsForEveryBoundary() throws {
        var rng = TestRNG(41)
        for trial in 0..<12 {
            let shape = trial % 2 == 0 ? [Int.random(in: 1...9, using: &rng)] : [Int.random(in: 1...6, using: &rng), Int.random(in: 1...6, using: &rng)]
            let v = randomDoubles(shape.reduce(1, *), &rng)
            let an = try NDArray(shape: shape, scalars: v)
            let a = try ChunkedArray(v, shape: shape, chunks: randomChunks(shape, &rng))
            let boundaries: [(Boundary<Double>, (Int, Int) -> Int?)] = [
                (.none, { g, n in g >= 0 && g < n ? g : nil }),
                (.constant(0), { g, n in g >= 0 && g < n ? g : nil }),
                (.nearest, { g, n in Swift.min(Swift.max(g, 0), n - 1) }),
                (.reflect, { g, n in g < 0 ? -g - 1 : g >= n ? 2 * n - g - 1 : g }),
                (.periodic, { g, n in ((g % n) + n) % n }),
            ]
            for (boundary, map) in boundaries {
                let got = try a.mapOverlap(depth: [1], boundary: boundary) { block, _ in boxSum(block) }.compute(scheduler: schedulers[trial % 4])
                for idx in allIndices(shape) {
                    var want = 0.0
                    for off in allIndices(shape.map { _ in 3 }) {
                        let g = zip(idx, off).map { $0 + $1 - 1 }
                        let src = zip(g, shape).map { map($0, $1) }
                        if src.allSatisfy({ $0 != nil }) { want += an[src.map { $0! }] }
                    }
                    #expect(close(got[idx], want), "\(shape) \(boundary) \(idx)")
                }
            }
        }
        let a = try ChunkedArray<Double>([1, 2, 3], chunks: [2])
        #expect(throws: ArrayError.self) { try a.mapOverlap(depth: [-1]) { b, _ in b } }
        #expect(throws: TaskFailure.self) { try a.mapOverlap(depth: [1]) { _, _ in NDArray<Double>([0]) }.compute() }
    }
}
