import Foundation
import Testing
import Tessera
@testable import TesseraArray

@Suite struct StatisticsTests {
    @Test(arguments: schedulers)
    func topkMatchesSorting(scheduler: Scheduler) throws {
        var rng = TestRNG(51)
        for _ in 0..<10 {
            var shape = randomShape(&rng)
            if shape.reduce(1, *) == 0 { shape = [3] }
            let v = randomDoubles(shape.reduce(1, *), &rng)
            let a = try ChunkedArray(v, shape: shape, chunks: randomChunks(shape, &rng))
            let k = Int.random(in: 1...v.count, using: &rng)
            #expect(try a.topk(k, fanIn: 2).compute(scheduler: scheduler).scalars == Array(v.sorted(by: >).prefix(k)))
            #expect(try a.topk(-k).compute(scheduler: scheduler).scalars == Array(v.sorted().prefix(k)))
        }
        let a = try ChunkedArray<Double>([1, 2])
        #expect(throws: ArrayError.self) { try a.topk(3) }
        #expect(throws: ArrayError.self) { try a.topk(0) }
    }

    @Test func percentilesMatchNumPy() throws {
        let a = try ChunkedArray<Double>([10, 2, 4, 1, 3], chunks: [2])
        // np.percentile([1, 2, 3, 4, 10], [0, 25, 50, 90, 100])
        #expect(allClose(try a.percentile([0, 25, 50, 90, 100]).compute().scalars, [1, 2, 3, 7.6, 10]))
        #expect(allClose(try a.quantile([0.5]).compute().scalars, [3]))
        let ints = try ChunkedArray<Int32>([4, 1, 3, 2], chunks: [3])
        #expect(try ints.percentile([50]).compute().scalars == [2.5])
        #expect(try ChunkedArray<Double>([1, .nan]).percentile([50]).compute().scalars[0].isNaN)
        #expect(throws: ArrayError.self) { try a.percentile([101]) }
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>.zeros(shape: [0]).quantile([0.5]) }
    }

    @Test(arguments: schedulers)
    func uniqueAndBincountMatchNaiveCounts(scheduler: Scheduler) throws {
        var rng = TestRNG(61)
        let v = (0..<200).map { _ in Int64.random(in: 0..<17, using: &rng) }
        let a = try ChunkedArray(v, chunks: [23])
        #expect(try a.unique(fanIn: 3).compute(scheduler: scheduler).scalars == Array(Set(v)).sorted())
        let counts = try a.bincount(minlength: 20).compute(scheduler: scheduler).scalars
        #expect(counts.count == 20)
        for i in 0..<20 { #expect(counts[i] == Int64(v.filter { $0 == i }.count)) }
        #expect(try a.bincount().compute(scheduler: scheduler).count == Int(v.max()!) + 1)
        let d = try ChunkedArray<Double>([2, .nan, 1, 2, .nan], chunks: [2])
        let u = try d.unique().compute(scheduler: scheduler).scalars
        #expect(u.count == 3 && u[0] == 1 && u[1] == 2 && u[2].isNaN)
        let neg = try ChunkedArray<Int64>([1, -1])
        #expect(throws: TaskFailure.self) { try neg.bincount().compute(scheduler: scheduler) }
    }

    @Test func histogramMatchesNumPy() throws {
        let a = try ChunkedArray<Double>([0, 0.5, 1, 1.5, 2, 2.5, 3, -1, 4], chunks: [4])
        let (c, e) = try a.histogram(bins: 3, range: (0, 3))
        // np.histogram([0, .5, 1, 1.5, 2, 2.5, 3, -1, 4], bins=3, range=(0, 3))
        #expect(try c.compute().scalars == [2, 2, 3])
        #expect(e.scalars == [0, 1, 2, 3])
        let b = try ChunkedArray<Double>([0.1, 0.2, 0.3, 0.7, .nan], chunks: [2])
        // np.histogram([0.1, 0.2, 0.3, 0.7], bins=10, range=(0, 1))
        #expect(try b.histogram(bins: 10, range: (0, 1)).counts.compute().scalars == [0, 1, 2, 0, 0, 0, 1, 0, 0, 0])
        #expect(throws: ArrayError.self) { try a.histogram(bins: 0, range: (0, 1)) }
        #expect(throws: ArrayError.self) { try a.histogram(bins: 3, range: (1, 1)) }
    }
}
