import Testing
import TesseraArray
@testable import TesseraStorage

/// `assembleBox`, the chunk-grid reader under `fromHDF5` and `fromZarr`, against a naive
/// element-by-element reference.
@Suite struct BoxAssemblyTests {
    /// A chunk the index says was never written is not allocated: a damaged HDF5 file (fuzz
    /// input Fuzz/regressions/hdf5/timeout-huge-missing-chunk) claimed chunks of hundreds of
    /// millions of elements around a box of a few, and filling each whole chunk took seconds.
    /// Chunks of 2^60 elements cannot be allocated at all, so this traps if one is.
    @Test func missingChunksFarLargerThanTheBoxAreNeverAllocated() throws {
        let huge = 1 << 30
        var calls = 0
        let box = try assembleBox(origin: [3, huge - 2], shape: [2, 4], chunkShape: [huge, huge], fill: 7.5,
                                  isStored: { _ in false }) { _, _ in calls += 1; return true }
        #expect(calls == 0)
        #expect(box.shape == [2, 4])
        #expect(box.scalars == Array(repeating: 7.5, count: 8))
    }

    /// Stored and missing chunks mixed, at boxes cut every way through a 2-d grid of 3×2 chunks:
    /// each element is its stored chunk's value or the fill, as a naive loop computes it.
    @Test func storedAndMissingChunksMatchANaiveLoop() throws {
        let shape = [7, 5], chunkShape = [3, 2]
        let stored: (Int, Int) -> Bool = { ($0 + 2 * $1) % 3 != 1 }
        let value: (Int, Int) -> Double = { Double($0 * 100 + $1) }
        for (origin, box) in [([0, 0], [7, 5]), ([1, 1], [5, 3]), ([3, 2], [3, 2]), ([6, 4], [1, 1]), ([2, 0], [4, 5])] {
            let got = try assembleBox(origin: origin, shape: box, chunkShape: chunkShape, fill: -1.0,
                                      isStored: { stored($0[0], $0[1]) }) { c, out in
                #expect(stored(c[0], c[1]), "chunk \(c) was asked for though it is not stored")
                for i in 0..<chunkShape[0] {
                    for j in 0..<chunkShape[1] { out[i * chunkShape[1] + j] = value(c[0] * 3 + i, c[1] * 2 + j) }
                }
                return true
            }
            var expected: [Double] = []
            for i in origin[0]..<(origin[0] + box[0]) {
                for j in origin[1]..<(origin[1] + box[1]) {
                    expected.append(stored(i / 3, j / 2) ? value(i, j) : -1)
                }
            }
            #expect(got.scalars == expected, "box at \(origin) of \(box) in \(shape)")
        }
    }
}
