import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// Naive selection: per axis a list of positions (nil entry = axis dropped at that position).
func naiveSelect(_ a: NDArray<Double>, _ sel: [(positions: [Int], drops: Bool)]) -> (shape: [Int], values: [Double]) {
    let kept = sel.filter { !$0.drops }
    let shape = kept.map { $0.positions.count }
    let values = allIndices(shape).map { idx -> Double in
        var j = 0
        let old = sel.map { s -> Int in
            if s.drops { return s.positions[0] }
            defer { j += 1 }
            return s.positions[idx[j]]
        }
        return a[old]
    }
    return (shape, values)
}

@Suite struct SlicingTests {
    @Test func slicesMatchNaiveSelectionOnFusedAndMaterialisedArrays() throws {
        var rng = TestRNG(21)
        for trial in 0..<60 {
            var shape = randomShape(&rng)
            if shape.isEmpty { shape = [5] }
            let v = randomDoubles(shape.reduce(1, *), &rng)
            let an = try NDArray(shape: shape, scalars: v)
            let base = try ChunkedArray(v, shape: shape, chunks: randomChunks(shape, &rng))
            // Fused variants: an expression over a source, and a generated array.
            let arrays: [(ChunkedArray<Double>, NDArray<Double>)] = [
                (base, an),
                (base * 1, an),
                (try ChunkedArray<Double>.arange(0, Double(v.count), chunks: [3]).reshape(shape, chunks: randomChunks(shape, &rng)),
                 try NDArray(shape: shape, scalars: (0..<v.count).map(Double.init))),
            ]
            var idx: [SliceIndex] = []
            var sel: [(positions: [Int], drops: Bool)] = []
            var usedArray = false
            for n in shape {
                switch Int.random(in: 0..<5, using: &rng) {
                case 0 where n > 0:
                    let i = Int.random(in: -n..<n, using: &rng)
                    idx.append(.at(i)); sel.append(([i < 0 ? i + n : i], true))
                case 1, 2:
                    let step = [1, 2, -1, -2, 3].randomElement(using: &rng)!
                    let s: Int? = Bool.random(using: &rng) ? Int.random(in: -n - 1...n + 1, using: &rng) : nil
                    let e: Int? = Bool.random(using: &rng) ? Int.random(in: -n - 1...n + 1, using: &rng) : nil
                    idx.append(.slice(s, e, step: step))
                    let (st, c) = resolveSlice(s, e, step, n)
                    sel.append(((0..<c).map { st + $0 * step }, false))
                case 3 where !usedArray:
                    usedArray = true
                    let m = (0..<n).map { _ in Bool.random(using: &rng) }
                    idx.append(.mask(m)); sel.append((m.indices.filter { m[$0] }, false))
                case 4 where !usedArray && n > 0:
                    usedArray = true
                    let t = (0..<Int.random(in: 0...4, using: &rng)).map { _ in Int.random(in: 0..<n, using: &rng) }
                    idx.append(.take(t)); sel.append((t, false))
                default:
                    idx.append(.all); sel.append((Array(0..<n), false))
                }
            }
            for (a, ref) in arrays {
                let want = naiveSelect(ref, sel)
                let got = try a.slice(idx).compute(scheduler: schedulers[trial % 4])
                #expect(got.shape == want.shape, "\(shape) \(idx)")
                #expect(got.scalars == want.values, "\(shape) \(idx)")
            }
        }
    }

    @Test func transposeSqueezeExpandReshape() throws {
        var rng = TestRNG(5)
        let v = randomDoubles(24, &rng)
        let an = try NDArray(shape: [2, 3, 4], scalars: v)
        for a in [try ChunkedArray(v, shape: [2, 3, 4], chunks: [1, 2, 3]), try ChunkedArray(v, shape: [2, 3, 4], chunks: [1, 2, 3]) + 0] {
            let t = try a.transpose([2, 0, 1]).compute()
            #expect(t.shape == [4, 2, 3])
            for i in allIndices([4, 2, 3]) { #expect(t[i] == an[[i[1], i[2], i[0]]]) }
            let tt = try a.T.compute()
            for i in allIndices([4, 3, 2]) { #expect(tt[i] == an[[i[2], i[1], i[0]]]) }
            let e = try a.expandDims(axis: 1)
            #expect(e.shape == [2, 1, 3, 4])
            #expect(try e.compute().scalars == v)
            #expect(try e.squeeze().shape == [2, 3, 4])
            #expect(try e.squeeze().compute().scalars == v)
            for target in [[6, 4], [24], [4, -1, 2], [1, 24, 1]] {
                let r = try a.reshape(target, chunks: [5])
                #expect(try r.compute().scalars == v)
            }
            #expect(throws: ArrayError.self) { try a.reshape([5, 5]) }
            #expect(throws: ArrayError.self) { try a.squeeze(axes: [0]) }
            #expect(throws: ArrayError.self) { try a.transpose([0, 0, 1]) }
            // x + x.T style: a transposed source realigned with an untransposed one
            let sq = try ChunkedArray(randomDoubles(25, &rng), shape: [5, 5], chunks: [2, 3])
            let sn = try sq.compute()
            let sym = try (sq + sq.T).compute()
            for i in allIndices([5, 5]) { #expect(sym[i] == sn[i] + sn[[i[1], i[0]]]) }
        }
    }

    @Test func concatenateAndStack() throws {
        let a = try ChunkedArray<Double>((0..<6).map(Double.init), shape: [2, 3], chunks: [1, 2])
        let b = try ChunkedArray<Double>((6..<9).map(Double.init), shape: [1, 3], chunks: [1, 3])
        let c = try ChunkedArray.concatenate([a, b], axis: 0)
        #expect(c.shape == [3, 3])
        #expect(try c.compute().scalars == (0..<9).map(Double.init))
        let d = try ChunkedArray.concatenate([a, a], axis: 1).compute()
        #expect(d.scalars == [0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5])
        let s = try ChunkedArray.stack([a, a * 10], axis: 1).compute()
        #expect(s.shape == [2, 2, 3])
        #expect(s.scalars == [0, 1, 2, 0, 10, 20, 3, 4, 5, 30, 40, 50])
        #expect(throws: ArrayError.self) { try ChunkedArray.concatenate([a, b], axis: 1) }
        #expect(throws: ArrayError.self) { try ChunkedArray.stack([a, b]) }
        #expect(throws: ArrayError.self) { try a[0, 0, 0] }
        #expect(throws: ArrayError.indexOutOfRange(index: 2, axis: 0, size: 2)) { try a[2] }
        #expect(throws: ArrayError.self) { try a[.slice(step: 0)] }
        #expect(throws: ArrayError.self) { try a[.mask([true])] }
    }

    @Test func rechunkKeepsValues() throws {
        var rng = TestRNG(8)
        for _ in 0..<20 {
            let shape = randomShape(&rng)
            let v = randomDoubles(shape.reduce(1, *), &rng)
            let a = try ChunkedArray(v, shape: shape, chunks: randomChunks(shape, &rng))
            let target = randomChunks(shape, &rng)
            let r = try a.rechunk(target)
            #expect(r.chunks == (try target.resolve(shape: shape, itemSize: 8)))
            #expect(try r.compute().scalars == v)
        }
    }

    @Test func badShapeArgumentsAreErrors() throws {
        let a = try ChunkedArray<Double>.zeros(shape: [2, 3], chunks: [1, 2])
        #expect(throws: ArrayError.invalidAxis(axis: 3, ndim: 3)) { try a.expandDims(axis: 3) }
        #expect(try a.expandDims(axis: -1).shape == [2, 3, 1])
        #expect(throws: ArrayError.invalidAxis(axis: 2, ndim: 2)) { try a.swapaxes(0, 2) }
        #expect(try a.swapaxes(0, 1).shape == [3, 2])
        #expect(throws: ArrayError.self) { try a.reshape([-1, -1]) }
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>.concatenate([]) }
        #expect(throws: ArrayError.invalidAxis(axis: 2, ndim: 2)) { try ChunkedArray.concatenate([a, a], axis: 2) }
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>.linspace(0, 1, num: -1) }
        #expect(throws: ArrayError.self) { try a.slice([.take([5])]) }
        #expect(throws: ArrayError.self) { try a.slice([.take([0]), .mask([true, false, true])]) }
        #expect(throws: ArrayError.self) { try a.rechunk(.sizes([[1, 1], [2, 2]])) }
    }
}
