import Testing
import Tessera
@testable import TesseraArray

@Suite struct NDArrayCodecTests {
    static func roundTrip<S: ArrayScalar>(_ a: NDArray<S>) throws -> NDArray<S> {
        try BlockCodec.decode(BlockCodec.encode(a)) as! NDArray<S>
    }

    static func check<S: ArrayScalar>(_ make: (Int) -> S) throws {
        for shape in [[], [0], [7], [3, 4], [2, 0, 5], [2, 3, 4]] {
            let n = shape.reduce(1, *)
            let a = try NDArray(shape: shape, scalars: (0..<n).map(make))
            let b = try roundTrip(a)
            #expect(b.shape == shape)
            // Compared byte for byte: NaNs equal themselves here, unlike with ==.
            let bytesA = a.scalars.withUnsafeBytes { Array($0) }, bytesB = b.scalars.withUnsafeBytes { Array($0) }
            #expect(bytesA == bytesB)
        }
    }

    @Test func everyDTypeAndShapeRoundTrips() throws {
        try Self.check { i -> Double in [Double.nan, -0.0, .infinity, -.infinity, .leastNonzeroMagnitude, Double(i) * 1.5][i % 6] }
        try Self.check { i -> Float in [Float.nan, -0.0, .infinity, Float(i)][i % 4] }
        try Self.check { i -> Int64 in [Int64.min, .max, -1, Int64(i)][i % 4] }
        try Self.check { i -> Int32 in [Int32.min, .max, Int32(i)][i % 3] }
        try Self.check { i -> Bool in i % 3 == 0 }
        #expect(DType.allCases.count == 5)  // a new dtype must be added above
    }

    /// A deferring writer leaves the elements in the array's storage as the tail; a reader
    /// fetches them straight into the decoded array; the bytes are the ordinary encoding's.
    @Test func aLargeArrayTravelsAsATail() throws {
        let a = try NDArray(shape: [400, 401], scalars: (0..<160_400).map { i -> Double in [Double.nan, -0.0, .infinity, Double(i) / 3][i % 4] })
        var w = BlockWriter(deferringTailsFrom: 1 << 20)
        try BlockCodec.encode(a, into: &w)
        let tail = try #require(w.tail)
        #expect(tail.bytes.baseAddress == UnsafeRawPointer(a.pointer))
        #expect(w.bytes + [UInt8](tail.bytes) == (try BlockCodec.encode(a)))
        let source = BlockTailSource(count: tail.bytes.count) { $0.copyMemory(from: tail.bytes) }
        let b = try w.bytes.withUnsafeBytes { raw in
            var r = BlockReader(raw, tail: source)
            return try BlockCodec.decode(from: &r) as! NDArray<Double>
        }
        #expect(source.taken && b.shape == [400, 401])
        #expect(a.scalars.map(\.bitPattern) == b.scalars.map(\.bitPattern))
    }

    /// With a source that lends memory (a transport's pool of warm buffers), the decoded array
    /// adopts the buffer the tail was received into: no allocation of its own, no copy; the
    /// buffer goes back to the pool when the last copy of the array is freed.
    @Test func aReceivedTailBecomesTheArraysStorage() throws {
        let a = try NDArray(shape: [2, 70_001], scalars: (0..<140_002).map { i -> Float in [Float.nan, -0.0, -.infinity, Float(i) / 7][i % 4] })
        var w = BlockWriter(deferringTailsFrom: 1 << 19)
        try BlockCodec.encode(a, into: &w)
        let tail = try #require(w.tail)
        let pool = BlockBufferPool(limit: 1 << 30)
        var lentAt: UnsafeMutableRawPointer?
        let source = BlockTailSource(count: tail.bytes.count, lend: { n in
            let b = pool.buffer(count: n)
            lentAt = b?.bytes.baseAddress
            return b
        }) { $0.copyMemory(from: tail.bytes) }
        var b: NDArray<Float>? = try w.bytes.withUnsafeBytes { raw in
            var r = BlockReader(raw, tail: source)
            return try BlockCodec.decode(from: &r) as? NDArray<Float>
        }
        #expect(b!.shape == [2, 70_001] && UnsafeRawPointer(b!.pointer) == UnsafeRawPointer(lentAt))
        #expect(a.scalars.map(\.bitPattern) == b!.scalars.map(\.bitPattern))
        // Copy on write still holds for adopted storage.
        var c = b!
        c[[0, 0]] = 5
        #expect(b![[0, 0]].isNaN && c[[0, 0]] == 5)
        #expect(pool.idleByteCount == 0)
        b = nil
        #expect(pool.idleByteCount >= tail.bytes.count)
        // The next array of that size is received into the same memory.
        #expect(pool.buffer(count: tail.bytes.count)?.bytes.baseAddress == lentAt)
    }

    @Test func aDTypeMismatchOrBadShapeIsAnError() throws {
        var w = BlockWriter()
        NDArray<Double>([1, 2, 3]).encode(to: &w)
        #expect(throws: BlockCodecError.self) {
            _ = try w.bytes.withUnsafeBytes { raw in var r = BlockReader(raw); return try NDArray<Float>.decode(from: &r) }
        }
        var bad = BlockWriter()
        bad.write("float64")
        bad.write(raw: [Int64(2), 2])
        bad.write(Int64(3))
        #expect(throws: BlockCodecError.self) {
            _ = try bad.bytes.withUnsafeBytes { raw in var r = BlockReader(raw); return try NDArray<Double>.decode(from: &r) }
        }
    }
}
