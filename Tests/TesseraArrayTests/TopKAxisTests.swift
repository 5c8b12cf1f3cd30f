import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// `topk`/`argtopk` along an axis against a naive per-vector sort, on values with ties, NaN and
/// ±inf at random chunkings; and `unique`/`bincount` as arrays of unknown chunk lengths.
@Suite struct TopKAxisTests {
    /// The naive selection of one vector: (value, position) best first, ties by position.
    func naiveTop(_ lane: [Double], _ k: Int) -> [(Double, Int)] {
        let entries = lane.enumerated().map { ($0.element, $0.offset) }
        let sorted = entries.sorted { a, b in
            if k > 0 {
                if a.0.isNaN != b.0.isNaN { return a.0.isNaN }
                if !a.0.isNaN && a.0 != b.0 { return a.0 > b.0 }
            } else {
                if a.0.isNaN != b.0.isNaN { return b.0.isNaN }
                if !a.0.isNaN && a.0 != b.0 { return a.0 < b.0 }
            }
            return a.1 < b.1
        }
        return Array(sorted.prefix(Swift.abs(k)))
    }

    /// Row-major strides, in elements.
    func stridesOf(_ shape: [Int]) -> [Int] {
        var s = [Int](repeating: 1, count: shape.count)
        for d in stride(from: shape.count - 2, through: 0, by: -1) { s[d] = s[d + 1] * shape[d + 1] }
        return s
    }

    func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
    }

    @Test func alongEveryAxisMatchesNaiveSort() throws {
        var rng = TestRNG(81)
        let nasty: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, 1, 1]
        for trial in 0..<30 {
            let nd = Int.random(in: 1...3, using: &rng)
            let shape = (0..<nd).map { _ in Int.random(in: 1...6, using: &rng) }
            let count = shape.reduce(1, *)
            let v = (0..<count).map { _ in Bool.random(using: &rng) ? nasty.randomElement(using: &rng)! : Double(Int.random(in: -3...3, using: &rng)) }
            let a = try ChunkedArray(v, shape: shape, chunks: randomChunks(shape, &rng))
            let axis = Int.random(in: 0..<nd, using: &rng)
            let len = shape[axis]
            let k = Int.random(in: 1...len, using: &rng) * (Bool.random(using: &rng) ? 1 : -1)
            let s = schedulers[trial % schedulers.count]
            let (tv, ti) = try compute(try a.topk(k, axis: axis - (trial % 2) * nd, fanIn: 2), try a.argtopk(k, axis: axis), scheduler: s)
            var outShape = shape
            outShape[axis] = Swift.abs(k)
            #expect(tv.shape == outShape && ti.shape == outShape)
            let strides = stridesOf(shape), outStrides = stridesOf(outShape)
            // Every lane: the indices with `axis` fixed at 0.
            for start in allIndices(shape) where start[axis] == 0 {
                let lane = (0..<len).map { j -> Double in var i = start; i[axis] = j; return v[zip(i, strides).map(*).reduce(0, +)] }
                let want = naiveTop(lane, k)
                let gotValues = (0..<Swift.abs(k)).map { r -> Double in var i = start; i[axis] = r; return tv.scalars[zip(i, outStrides).map(*).reduce(0, +)] }
                let gotPositions = (0..<Swift.abs(k)).map { r -> Int in var i = start; i[axis] = r; return Int(ti.scalars[zip(i, outStrides).map(*).reduce(0, +)]) }
                #expect(same(gotValues, want.map { $0.0 }), "trial \(trial) shape \(shape) axis \(axis) k \(k) lane \(start): \(gotValues) vs \(want)")
                #expect(gotPositions == want.map { $0.1 }, "trial \(trial)")
            }
            // Without an axis: the flattened array, flat positions.
            let flat = naiveTop(v, k)
            #expect(same(try a.topk(k).compute().scalars, flat.map { $0.0 }))
            #expect(try a.argtopk(k, fanIn: 3).compute().scalars == flat.map { Int64($0.1) })
        }
        let a = try ChunkedArray<Double>([1, 2, 3, 4], shape: [2, 2], chunks: .sizes([[1, 1], [2]]))
        #expect(throws: ArrayError.self) { try a.topk(3, axis: 1) }
        #expect(throws: ArrayError.self) { try a.argtopk(1, axis: 2) }
        #expect(try a.topk(-1, axis: 0).chunks == [[1], [2]])
    }

    @Test func uniqueAndBincountHaveUnknownChunkLengths() throws {
        let x = try ChunkedArray<Int64>([3, 1, 3, 0, 7, 1], chunks: [4])
        let u = x.unique()
        #expect(u.chunks == [[nil]] && u.shape == [nil])
        #expect(try u.compute().scalars == [0, 1, 3, 7])
        // Operations that need lengths refuse, and say how to get them.
        do { _ = try ChunkedArray(u); Issue.record("no error") } catch let e as ArrayError {
            #expect("\(e)".contains("computeChunkSizes") && "\(e)".contains("nan"), "\(e)")
        }
        let known = try u.computeChunkSizes()
        #expect(known.shape == [4] && known.chunks == [[4]])
        #expect(try (known * 2).sum().compute().scalar == 22)
        let b = x.bincount(minlength: 2)
        #expect(b.shape == [nil])
        let counts = try b.computeChunkSizes(scheduler: .threads(2))
        #expect(counts.shape == [8])
        #expect(try counts.compute().scalars == [1, 2, 0, 2, 0, 0, 0, 1])
        #expect(throws: TaskFailure.self) { try ChunkedArray<Int64>([1, -1]).bincount().computeChunkSizes() }
    }
}
