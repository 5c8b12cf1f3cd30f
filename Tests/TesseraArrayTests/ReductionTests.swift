import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// Naive reduction: for each output element (row-major over kept axes), `f` of the values over
/// the reduced axes in row-major order.
func naiveReduce(_ a: NDArray<Double>, axes: [Int], _ f: ([Double]) -> Double) -> (shape: [Int], values: [Double]) {
    let kept = (0..<a.ndim).filter { !axes.contains($0) }
    let outShape = kept.map { a.shape[$0] }
    let values = allIndices(outShape).map { o -> Double in
        let vals = allIndices(axes.map { a.shape[$0] }).map { r -> Double in
            var idx = [Int](repeating: 0, count: a.ndim)
            for (j, k) in kept.enumerated() { idx[k] = o[j] }
            for (j, k) in axes.enumerated() { idx[k] = r[j] }
            return a[idx]
        }
        return f(vals)
    }
    return (outShape, values)
}

func naiveVar(_ v: [Double], ddof: Int) -> Double {
    let m = v.reduce(0, +) / Double(v.count)
    let d = Double(v.count - ddof)
    return d > 0 ? v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / d : .nan
}

func naiveArg(_ v: [Double], max: Bool) -> Double {
    if let n = v.firstIndex(where: { $0.isNaN }) { return Double(n) }
    var best = 0
    for i in v.indices where max ? v[i] > v[best] : v[i] < v[best] { best = i }
    return Double(best)
}

@Suite struct ReductionTests {
    @Test func reductionsMatchNaiveLoopsOverRandomShapesAxesAndChunkings() throws {
        var rng = TestRNG(11)
        for trial in 0..<30 {
            let shape = randomShape(&rng)
            var v = randomDoubles(shape.reduce(1, *), &rng)
            if trial % 5 == 4 && !v.isEmpty { v[Int.random(in: 0..<v.count, using: &rng)] = .nan }
            let an = try NDArray(shape: shape, scalars: v)
            let a = try ChunkedArray(v, shape: shape, chunks: randomChunks(shape, &rng))
            let axes = (0..<shape.count).filter { _ in Bool.random(using: &rng) }
            let fanIn = Int.random(in: 2...4, using: &rng)
            let scheduler = schedulers[trial % schedulers.count]
            func check(_ got: ChunkedArray<Double>, _ f: ([Double]) -> Double, _ what: String, tol: Double = 1e-9) throws {
                let want = naiveReduce(an, axes: axes, f)
                let g = try got.compute(scheduler: scheduler)
                #expect(g.shape == want.shape, "\(what) \(shape) axes \(axes)")
                #expect(allClose(g.scalars, want.values, tol), "\(what) \(shape) axes \(axes): \(g.scalars) vs \(want.values)")
            }
            try check(a.sum(axes: axes, fanIn: fanIn), { $0.reduce(0, +) }, "sum")
            try check(a.nansum(axes: axes, fanIn: fanIn), { $0.filter { !$0.isNaN }.reduce(0, +) }, "nansum")
            try check(a.mean(axes: axes), { $0.isEmpty ? .nan : $0.reduce(0, +) / Double($0.count) }, "mean")
            try check(a.var(axes: axes, ddof: 1), { naiveVar($0, ddof: 1) }, "var")
            try check(a.std(axes: axes), { naiveVar($0, ddof: 0).squareRoot() }, "std")
            try check(a.prod(axes: axes), { $0.reduce(1, *) }, "prod")
            try check(try a.any(axes: axes).astype(Double.self), { $0.contains { $0 != 0 } ? 1 : 0 }, "any")
            try check(try a.all(axes: axes).astype(Double.self), { $0.allSatisfy { $0 != 0 } ? 1 : 0 }, "all")
            if an.count > 0 || axes.isEmpty || axes.allSatisfy({ shape[$0] > 0 }) {
                try check(a.min(axes: axes, fanIn: fanIn), { $0.contains { $0.isNaN } ? .nan : $0.min()! }, "min")
                try check(a.max(axes: axes), { $0.contains { $0.isNaN } ? .nan : $0.max()! }, "max")
            } else {
                #expect(throws: ArrayError.self) { try a.min(axes: axes) }
            }
            if an.count > 0 {
                let flat = naiveReduce(an, axes: Array(0..<shape.count)) { naiveArg($0, max: false) }
                #expect(try a.argmin().compute(scheduler: scheduler).scalar == Int64(flat.values[0]))
                let flatMax = naiveReduce(an, axes: Array(0..<shape.count)) { naiveArg($0, max: true) }
                #expect(try a.argmax(fanIn: 2).compute(scheduler: scheduler).scalar == Int64(flatMax.values[0]))
                if let ax = axes.first, axes.count == 1 {
                    let w = naiveReduce(an, axes: [ax]) { naiveArg($0, max: true) }
                    #expect(try a.argmax(axis: ax).compute(scheduler: scheduler).scalars.map { Double($0) } == w.values)
                }
            }
            // keepdims keeps length-1 axes
            let kd = try a.sum(axes: axes, keepdims: true)
            #expect(kd.shape == (0..<shape.count).map { axes.contains($0) ? 1 : shape[$0] })
        }
    }

    @Test func argAlongAxis() throws {
        let v: [Double] = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8]
        let a = try ChunkedArray(v, shape: [3, 4], chunks: [2, 3])
        #expect(try a.argmax(axis: 1).compute().scalars == [2, 1, 3])
        #expect(try a.argmin(axis: 0).compute().scalars == [0, 0, 1, 0])
        #expect(try a.argmin().compute().scalar == 1)
        #expect(try a.argmax(axis: -1, keepdims: true).compute().shape == [3, 1])
        let n = try ChunkedArray<Double>([1, .nan, 0, 2], chunks: [3])
        #expect(try n.nanargmin().compute().scalar == 2)
        #expect(try n.argmin().compute().scalar == 1)
        #expect(try n.nanmax().compute().scalar == 2)
        #expect(try n.nanmean().compute().scalar == 1)
        #expect(try n.max().compute().scalar!.isNaN)
        let allNaN = try ChunkedArray<Double>([.nan, .nan], chunks: [1])
        #expect(throws: TaskFailure.self) { try allNaN.nanargmax().compute() }
    }

    @Test func integerAndBoolReductions() throws {
        let i = try ChunkedArray<Int32>([5, -2, 7, 1], chunks: [3])
        #expect(try i.sum().compute().scalar == Int64(11))
        #expect(try i.prod().compute().scalar == Int64(-70))
        #expect(try i.min().compute().scalar == -2)
        #expect(try i.mean().compute().scalar == 2.75)
        #expect(try i.argmax().compute().scalar == 2)
        let b = try ChunkedArray<Bool>([true, false, true], chunks: [2])
        #expect(try b.sum().compute().scalar == Int64(2))
        #expect(try b.any().compute().scalar == true)
        #expect(try b.all().compute().scalar == false)
        #expect(try ChunkedArray<Float>([1, 2, 3.5], chunks: [2]).sum().compute().scalar == Float(6.5))
    }

    @Test func badAxesAndFanIn() throws {
        let a = try ChunkedArray<Double>.zeros(shape: [2, 3])
        #expect(throws: ArrayError.invalidAxis(axis: 2, ndim: 2)) { try a.sum(axis: 2) }
        #expect(throws: ArrayError.invalidAxis(axis: 0, ndim: 2)) { try a.sum(axes: [0, 0]) }
        #expect(throws: ArrayError.self) { try a.sum(fanIn: 1) }
        #expect(throws: ArrayError.emptyReduction(operation: "max", shape: [0])) { try ChunkedArray<Double>.zeros(shape: [0]).max() }
    }

    @Test(arguments: schedulers)
    func fusedSumIsOneTaskPerBlockPlusTree(scheduler: Scheduler) throws {
        let x = try ChunkedArray<Double>.random(shape: [10_000], chunks: [500], seed: 3)
        let total = try (x * 2 + 1).sum(fanIn: 4)
        // 20 blocks -> 20 chunk tasks, 5 combines, 2 combines, 1 aggregate.
        let plan = total.graph.plan(optimize: false)
        #expect(plan.count == 20 + 5 + 2 + 1)
        let kinds = Set((0..<plan.count).map { plan.kind($0) })
        #expect(kinds == ["sum-chunk", "sum-combine", "sum-aggregate"])
        let xs = try x.compute(scheduler: .synchronous).scalars
        let want = xs.map { $0 * 2 + 1 }.reduce(0, +)
        let got = try total.compute(scheduler: scheduler).scalar!
        #expect(close(got, want, 1e-12))
        // The same with another chunking and another fan-in gives the same value.
        let y = try ChunkedArray<Double>.random(shape: [10_000], chunks: [1234], seed: 3)
        #expect(close(try (y * 2 + 1).sum(fanIn: 2).compute(scheduler: scheduler).scalar!, want, 1e-12))
    }

    @Test func varianceIsNumericallyCareful() throws {
        // Large offset: naive E[x²] - E[x]² loses everything; Chan's merge keeps it.
        let v = (0..<1000).map { 1e9 + Double($0 % 10) }
        let a = try ChunkedArray(v, chunks: [37])
        #expect(close(try a.var().compute().scalar!, 8.25, 1e-9))
    }

    @Test func cumulativeMatchesNaiveScans() throws {
        var rng = TestRNG(31)
        for trial in 0..<25 {
            var shape = randomShape(&rng)
            if shape.isEmpty { shape = [4] }
            let v = randomDoubles(shape.reduce(1, *), &rng).map { ($0 / 4).rounded() }
            let an = try NDArray(shape: shape, scalars: v)
            let a = try ChunkedArray(v, shape: shape, chunks: randomChunks(shape, &rng))
            let axis = Int.random(in: 0..<shape.count, using: &rng)
            for (prod, got) in [(false, try a.cumsum(axis: axis)), (true, try a.cumprod(axis: axis))] {
                let g = try got.compute(scheduler: schedulers[trial % 4])
                #expect(g.shape == shape)
                for idx in allIndices(shape) {
                    var acc = prod ? 1.0 : 0.0
                    for j in 0...idx[axis] {
                        var i2 = idx
                        i2[axis] = j
                        acc = prod ? acc * an[i2] : acc + an[i2]
                    }
                    #expect(close(g[idx], acc), "\(shape) axis \(axis) \(idx)")
                }
            }
        }
        let ints = try ChunkedArray<Int32>([1, 2, 3, 4, 5], chunks: [2])
        #expect(try ints.cumsum(axis: 0).compute().scalars == [1, 3, 6, 10, 15])
        #expect(try ints.cumprod(axis: -1).compute().scalars == [1, 2, 6, 24, 120])
        #expect(throws: ArrayError.self) { try ints.cumsum(axis: 1) }
    }
}
