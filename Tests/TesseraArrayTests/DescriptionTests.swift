import Foundation
import Testing
import Tessera
@testable import TesseraArray

@Suite struct DescriptionTests {
    @Test func chunkedArrayDescribesLikeDask() throws {
        let x = try ChunkedArray<Double>.random(shape: [20_000, 20_000], chunks: [2_000, 2_000])
        #expect(x.description == "ChunkedArray<random, shape=(20000, 20000), dtype=float64, chunksize=(2000, 2000), blocks=100 (10×10), nbytes=3.20 GB>")
        let y = try (x + 1).sum(axis: 0)
        #expect(y.description.hasPrefix("ChunkedArray<sum-aggregate, shape=(20000,), dtype=float64"))
    }

    @Test func smallArraysPrintLikeNumPy() throws {
        #expect(try NDArray<Double>(shape: [2, 2], scalars: [1, 2, 3, 4]).description == "array([[1., 2.],\n       [3., 4.]])")
        #expect(NDArray<Double>([0.5, -1.25]).description == "array([ 0.50, -1.25])")
        #expect(NDArray<Int64>([1, -20, 300]).description == "array([  1, -20, 300])")
        #expect(NDArray<Bool>([true, false]).description == "array([ True, False])")
        #expect(NDArray<Double>(scalar: 2.5).description == "array(2.5)")
        #expect(NDArray<Double>(shape: [0, 3], repeating: 0).description == "array([], shape=(0, 3), dtype=float64)")
        #expect(NDArray<Double>([.nan, 1]).description == "array([nan,  1.])")
        let big = NDArray<Int64>((0..<2000).map(Int64.init))
        #expect(big.description == "array([   0,    1,    2, ..., 1997, 1998, 1999])")
        let cube = try NDArray<Int32>(shape: [2, 1, 2], scalars: [1, 2, 3, 4]).description
        #expect(cube == "array([[[1, 2]],\n\n       [[3, 4]]])")
    }

    @Test func ndarrayIsAnEagerArray() throws {
        let a = try NDArray<Double>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = NDArray<Double>([10, 20, 30])
        #expect(try (a + b).scalars == [11, 22, 33, 14, 25, 36])
        #expect((a * 2).scalars == [2, 4, 6, 8, 10, 12])
        #expect(try a.sum().scalar == 21)
        #expect(try a.sum(axis: 0).scalars == [5, 7, 9])
        #expect(try a.mean(axis: 1).scalars == [2, 5])
        #expect(try a.transpose().shape == [3, 2])
        #expect(try a.slice([.at(1), .slice(step: -1)]).scalars == [6, 5, 4])
        #expect(try a.argmax().scalar == 5)
        #expect(throws: ArrayError.broadcastMismatch(lhs: [2, 3], rhs: [2])) { try a + NDArray<Double>([1, 2]) }
        #expect(throws: ArrayError.self) { try NDArray<Double>(shape: [0], repeating: 0).max() }
        var m = a
        m[0, 0] = 100
        #expect(m[0, 0] == 100 && a[0, 0] == 1)
        #expect(throws: ArrayError.self) { try NDArray<Double>(shape: [2, 2], scalars: [1]) }
    }
}
