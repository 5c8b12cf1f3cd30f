import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// Naive broadcasting reference: the element of `a` (shape `s`) read at index `idx` of `out`.
func broadcastRead(_ a: NDArray<Double>, _ idx: [Int]) -> Double {
    let lead = idx.count - a.ndim
    let src = (0..<a.ndim).map { a.shape[$0] == 1 ? 0 : idx[$0 + lead] }
    return a[src]
}

@Suite struct ElementwiseTests {
    @Test func binaryOpsMatchNaiveLoopsOverRandomBroadcastsAndChunkings() throws {
        var rng = TestRNG(7)
        let ops: [(BinaryOp, (Double, Double) -> Double)] = [
            (.add, +), (.subtract, -), (.multiply, *), (.divide, /), (.maximum, { $0.isNaN || $0 > $1 ? $0 : $1 }),
        ]
        for _ in 0..<40 {
            let shape = randomShape(&rng)
            // the second operand: the same shape with some axes 1 and maybe fewer axes
            var other = shape.map { Bool.random(using: &rng) ? 1 : $0 }
            if !other.isEmpty && Bool.random(using: &rng) { other.removeFirst() }
            let av = randomDoubles(shape.reduce(1, *), &rng), bv = randomDoubles(other.reduce(1, *), &rng)
            let a = try ChunkedArray(av, shape: shape, chunks: randomChunks(shape, &rng))
            let b = try ChunkedArray(bv, shape: other, chunks: randomChunks(other, &rng))
            let an = try NDArray(shape: shape, scalars: av), bn = try NDArray(shape: other, scalars: bv)
            for (op, f) in ops {
                let got = try a.binary(op, b).compute(scheduler: .threads(2))
                #expect(got.shape == shape)
                let want = allIndices(shape).map { f(an[$0], broadcastRead(bn, $0)) }
                #expect(allClose(got.scalars, want), "\(op) \(shape) \(other)")
            }
            let expr = try (a * 2 + 1 - b) / 4
            let want = allIndices(shape).map { (an[$0] * 2 + 1 - broadcastRead(bn, $0)) / 4 }
            #expect(allClose(try expr.compute().scalars, want))
        }
    }

    @Test func broadcastErrorNamesBothShapes() throws {
        let a = try ChunkedArray<Double>.zeros(shape: [3, 4])
        let b = try ChunkedArray<Double>.zeros(shape: [5])
        #expect(throws: ArrayError.broadcastMismatch(lhs: [3, 4], rhs: [5])) { try a + b }
        let e = ArrayError.broadcastMismatch(lhs: [3, 4], rhs: [5])
        #expect(e.description.contains("(3, 4)") && e.description.contains("(5,)"))
    }

    @Test func unaryAndComparisons() throws {
        let v: [Double] = [-2.5, -1, 0, 0.5, 4, .nan]
        let a = try ChunkedArray(v, chunks: [4])
        #expect(allClose(try a.abs().compute().scalars, v.map { Swift.abs($0) }))
        #expect(allClose(try (-a).compute().scalars, v.map { -$0 }))
        #expect(allClose(try a.exp().compute().scalars, v.map { Foundation.exp($0) }))
        #expect(allClose(try a.sqrt().compute().scalars, v.map { $0.squareRoot() }))
        #expect(allClose(try a.floor().compute().scalars, v.map { $0.rounded(.down) }))
        #expect(allClose(try a.ceil().compute().scalars, v.map { $0.rounded(.up) }))
        #expect(allClose(try a.tanh().compute().scalars, v.map { Foundation.tanh($0) }))
        #expect(allClose(try a.clip(-1, 1).compute().scalars, [-1, -1, 0, 0.5, 1, .nan]))
        #expect(try (a .> 0).compute().scalars == v.map { $0 > 0 })
        #expect(try (a .<= 0).compute().scalars == v.map { $0 <= 0 })
        #expect(try a.isnan().compute().scalars == v.map { $0.isNaN })
        let w = try ChunkedArray.where(a .> 0, a, try ChunkedArray<Double>.zeros(shape: [6], chunks: [5]))
        #expect(allClose(try w.compute().scalars, v.map { $0 > 0 ? $0 : 0 }))
        #expect(try a.astype(Int64.self).compute().scalars == [-2, -1, 0, 0, 4, 0])
        #expect(try (.!(a .> 0) .& (a .< 1)).compute().scalars == v.map { !($0 > 0) && $0 < 1 })
    }

    @Test func integerSemanticsFollowNumPy() throws {
        let a = try ChunkedArray<Int64>([7, -7, 7, -7, 5], chunks: [2])
        let b = try ChunkedArray<Int64>([2, 2, -2, -2, 0], chunks: [3])
        #expect(try (a / b).compute().scalars == [3, -4, -4, 3, 0])
        #expect(try (a % b).compute().scalars == [1, 1, -1, -1, 0])
        #expect(try a.power(2).compute().scalars == [49, 49, 49, 49, 25])
        let f = try ChunkedArray<Double>([7, -7], chunks: [1])
        #expect(try (f % 2).compute().scalars == [1, 1])
    }
}
