import Foundation
import Testing
import Tessera
@testable import TesseraArray

@Suite struct ChunkedArrayTests {
    @Test func fromArrayRoundTripsOverRandomChunkings() throws {
        var rng = TestRNG(1)
        for _ in 0..<40 {
            let shape = randomShape(&rng)
            let values = randomDoubles(shape.reduce(1, *), &rng)
            let a = try ChunkedArray(values, shape: shape, chunks: randomChunks(shape, &rng))
            #expect(a.chunks.map { $0.reduce(0, +) } == shape)
            let back = try a.compute(scheduler: .synchronous)
            #expect(back.shape == shape)
            #expect(back.scalars == values)
        }
    }

    @Test func chunkSpecs() throws {
        #expect(try Chunks.blockShape([4, 3]).resolve(shape: [10, 3], itemSize: 8) == [[4, 4, 2], [3]])
        #expect(try Chunks.blockShape([-1, 2]).resolve(shape: [5, 5], itemSize: 8) == [[5], [2, 2, 1]])
        #expect(try Chunks.sizes([[2, 3]]).resolve(shape: [5], itemSize: 8) == [[2, 3]])
        #expect(try Chunks.blockShape([3]).resolve(shape: [0], itemSize: 8) == [[0]])
        let auto = try Chunks.auto.resolve(shape: [20_000, 20_000], itemSize: 8)
        let bytes = auto[0][0] * auto[1][0] * 8
        #expect(bytes <= Chunks.autoBytes && bytes > Chunks.autoBytes / 2)
        #expect(try Chunks.auto.resolve(shape: [100], itemSize: 8) == [[100]])
        #expect(throws: ArrayError.self) { try Chunks.sizes([[2, 2]]).resolve(shape: [5], itemSize: 8) }
        #expect(throws: ArrayError.self) { try Chunks.blockShape([0]).resolve(shape: [5], itemSize: 8) }
        #expect(throws: ArrayError.self) { try Chunks.blockShape([2, 2, 2]).resolve(shape: [5, 5], itemSize: 8) }
    }

    /// A long list of sizes that fails shows a few of them and their count, not all of them (a
    /// million entries once made an error message of megabytes, built even when nothing failed).
    @Test func errorsAbbreviateLongSizeLists() throws {
        let sizes = [Int](repeating: 1, count: 1_000_000)
        do {
            _ = try Chunks.sizes([sizes]).resolve(shape: [999_999], itemSize: 8)
            Issue.record("sizes summing to 1,000,000 tiled an axis of 999,999")
        } catch let error as ArrayError {
            let text = "\(error)"
            #expect(text.contains("1000000 sizes"))
            #expect(text.count < 400)
        }
        #expect(try Chunks.sizes([sizes]).resolve(shape: [1_000_000], itemSize: 8)[0].count == 1_000_000)
        #expect(Chunks.abbreviated([[1, 2], [3]]) == "[[1, 2], [3]]")
    }

    @Test func layerFoundation() throws {
        let grid = BlockGrid([[2, 1], [3]])
        let layer = Layer(kind: "blocks", count: 2, grid: [2, 1]) { i in
            TaskSpec { _ in NDArray<Double>(shape: grid.shape(grid.index(i)), repeating: Double(i)) }
        }
        let a = try ChunkedArray<Double>(layer: layer, shape: [3, 3], chunks: [[2, 1], [3]])
        #expect(a.blockRef(1, 0).index == 1)
        #expect(try a.compute().scalars == [0, 0, 0, 0, 0, 0, 1, 1, 1])
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>(layer: layer, shape: [3, 3], chunks: [[3], [3]]) }
    }

    @Test func creation() throws {
        #expect(try ChunkedArray<Double>.zeros(shape: [2, 3], chunks: [1, 2]).compute().scalars == [Double](repeating: 0, count: 6))
        #expect(try ChunkedArray<Int32>.ones(shape: [3], chunks: [2]).compute().scalars == [1, 1, 1])
        #expect(try ChunkedArray<Bool>.full(shape: [2], value: true).compute().scalars == [true, true])
        #expect(try ChunkedArray<Double>.arange(0, 5, chunks: [2]).compute().scalars == [0, 1, 2, 3, 4])
        #expect(try ChunkedArray<Int64>.arange(10, 0, step: -3, chunks: [3]).compute().scalars == [10, 7, 4, 1])
        #expect(try ChunkedArray<Double>.linspace(0, 1, num: 5, chunks: [2]).compute().scalars == [0, 0.25, 0.5, 0.75, 1])
        #expect(try ChunkedArray<Double>.linspace(0, 1, num: 4, endpoint: false, chunks: [3]).compute().scalars == [0, 0.25, 0.5, 0.75])
        let eye = try ChunkedArray<Double>.eye(3, 4, k: 1, chunks: [2, 3]).compute()
        for r in 0..<3 { for c in 0..<4 { #expect(eye[r, c] == (c == r + 1 ? 1 : 0)) } }
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>.arange(0, 5, step: 0) }
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>.zeros(shape: [-1]) }
        #expect(throws: ArrayError.self) { try ChunkedArray<Int64>.randomIntegers(low: 5, high: 5, shape: [3]) }
    }

    @Test(arguments: schedulers)
    func randomDoesNotDependOnChunkingOrScheduler(scheduler: Scheduler) throws {
        let a = try ChunkedArray<Double>.randomUniform(shape: [7, 9], chunks: [7, 9], seed: 42).compute(scheduler: .synchronous)
        let b = try ChunkedArray<Double>.randomUniform(shape: [7, 9], chunks: [2, 4], seed: 42).compute(scheduler: scheduler)
        #expect(a == b)
        #expect(a.scalars.allSatisfy { $0 >= 0 && $0 < 1 })
        let c = try ChunkedArray<Double>.randomUniform(shape: [7, 9], chunks: [3, 3], seed: 43).compute(scheduler: scheduler)
        #expect(a != c)
        let n = try ChunkedArray<Double>.randomNormal(shape: [2000], chunks: [300], seed: 1).compute(scheduler: scheduler).scalars
        let mean = n.reduce(0, +) / 2000
        let variance = n.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 2000
        #expect(Swift.abs(mean) < 0.1 && Swift.abs(variance - 1) < 0.15)
        let ints = try ChunkedArray<Int64>.randomIntegers(low: -3, high: 4, shape: [500], chunks: [77], seed: 9).compute(scheduler: scheduler).scalars
        #expect(ints.allSatisfy { $0 >= -3 && $0 < 4 } && Set(ints).count == 7)
        let f = try ChunkedArray<Float>.randomUniform(shape: [5], seed: 42).compute().scalars
        #expect(f.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func persistComputesOnce() throws {
        let x = try ChunkedArray<Double>.random(shape: [50], chunks: [7], seed: 2) * 3
        let p = try x.persist(scheduler: .threads(2))
        #expect(p.graph.plan(optimize: false).count == p.blockCount)
        #expect(try p.compute() == x.compute())
        #expect(p.chunks == x.chunks)
    }

    @Test func everyElementTypeComputes() throws {
        let f = try ChunkedArray<Float>([1.5, -2, 4], chunks: [2])
        #expect(try (f * 2 + 1).compute().scalars == [4, -3, 9])
        #expect(try f.sqrt().compute().scalars[2] == 2)
        #expect(try f.exp().compute().scalars[0] == Float(Foundation.exp(1.5)))
        #expect(try f.mean().compute().scalar == Float(3.5 / 3))
        let i = try ChunkedArray<Int32>([7, -3, 2], chunks: [1])
        #expect(try (i * i - 1).compute().scalars == [48, 8, 3])
        #expect(try i.abs().max().compute().scalar == 7)
        #expect(try (i .> 0).sum().compute().scalar == Int64(2))
        #expect(try i.astype(Double.self).compute().scalars == [7, -3, 2])
        #expect(try i.astype(Bool.self).compute().scalars == [true, true, true])
        let b = try ChunkedArray<Bool>([true, false], chunks: [1])
        #expect(try (.!b).compute().scalars == [false, true])
        #expect(try b.astype(Int64.self).compute().scalars == [1, 0])
    }

    @Test func longChainsOfOperationsStayCheap() throws {
        var y = try ChunkedArray<Double>.zeros(shape: [10], chunks: [3])
        for _ in 0..<1000 { y = y + 1 }
        #expect(try y.compute().scalars == [Double](repeating: 1000, count: 10))
        #expect(try y.sum().compute().scalar == 10_000)
    }
}
