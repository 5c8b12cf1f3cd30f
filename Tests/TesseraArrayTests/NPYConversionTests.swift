import Foundation
import Testing
import Tessera
@testable import TesseraArray

/// `fromNPY(_:chunks:converting:)` reads NumPy's fixture files of every dtype as another type.
@Suite struct NPYConversionTests {
    @Test func convertsEveryStoredDtypeOnRequest() throws {
        // The fixtures' values by the formula of npy_fixtures.py, as doubles.
        for (name, type, shape) in [("f8_2d_v1.npy", DType.float64, [3, 4]), ("f4_1d_v1.npy", .float32, [5]),
                                    ("i8_3d_v2.npy", .int64, [2, 3, 2]), ("b1_1d_v1.npy", .bool, [7])] {
            let n = shape.reduce(1, *)
            let want: [Double] = (0..<n).map { i in
                switch type {
                case .float64, .float32: return Double(i) * 0.5 - 3
                case .int64, .int32: return Double(i * 7 - 20)
                case .bool: return i % 3 == 0 ? 1 : 0
                }
            }
            let x = try ChunkedArray<Double>.fromNPY(fixture(name), chunks: .blockShape(shape.map { _ in 2 }), converting: true)
            #expect(x.shape == shape)
            #expect(try x.compute().scalars == want, "\(name)")
        }
        // Doubles to integers truncate, as NumPy's astype: -3, -2.5, -2, … become -3, -2, -2, …
        let ints = try ChunkedArray<Int64>.fromNPY(fixture("f4_1d_v1.npy"), converting: true).compute().scalars
        #expect(ints == [-3, -2, -2, -1, -1])
        // Without `converting`, another dtype stays an error naming it; an unknown dtype always is.
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>.fromNPY(fixture("i8_3d_v2.npy"), converting: false) }
        #expect(throws: ArrayError.self) { try ChunkedArray<Double>.fromNPY(fixture("bad_complex.npy"), converting: true) }
    }
}
