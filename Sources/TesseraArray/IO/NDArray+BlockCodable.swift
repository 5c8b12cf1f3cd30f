import Tessera

/// An `NDArray` crosses processes as its dtype, shape and one raw copy of its row-major buffer.
extension NDArray: BlockCodable {
    /// Writes the dtype, the shape and the elements' memory.
    /// - Parameter writer: where the bytes go.
    /// - Complexity: O(n) bytes copied once.
    public func encode(to writer: inout BlockWriter) {
        writer.write(Scalar.dtype.rawValue)
        writer.write(raw: shape.map(Int64.init))
        writer.write(Int64(count))
        writer.align(to: 8)
        writer.appendRaw(UnsafeRawBufferPointer(start: pointer, count: count * MemoryLayout<Scalar>.stride), owner: self)
    }

    /// Reads an array written by `encode(to:)`.
    /// - Parameter reader: the bytes.
    /// - Returns: the array, element for element (NaN payloads included).
    /// - Throws: `BlockCodecError.malformed` when the dtype differs from `Scalar`'s or the shape
    ///   does not match the element count; `.truncated` when bytes are missing.
    public static func decode(from reader: inout BlockReader) throws -> NDArray<Scalar> {
        let dtype = try reader.read(String.self)
        guard dtype == Scalar.dtype.rawValue else {
            throw BlockCodecError.malformed("an NDArray of \(dtype) read as \(Scalar.dtype.rawValue)")
        }
        let shape = try reader.read(raw: Int64.self).map(Int.init)
        let n = try reader.readCount()
        guard shape.allSatisfy({ $0 >= 0 }), checkedProduct(shape) == n,
              n <= maximumElementCount(itemSize: MemoryLayout<Scalar>.stride) else {
            throw BlockCodecError.malformed("shape \(shape) for \(n) elements")
        }
        try reader.align(to: 8)
        try reader.checkRaw(n * MemoryLayout<Scalar>.stride)
        let array: NDArray<Scalar>
        if let received = try reader.readRawBuffer(n * MemoryLayout<Scalar>.stride) {
            // A transport's deferred tail, received into (warm) memory it lent: the array owns it as is.
            array = NDArray(shape: shape, storage: NDStorage(adopting: received, count: n))
        } else {
            // Straight into the array's storage: from the reader's bytes, or from a transport's deferred tail.
            array = try NDArray<Scalar>(shape: shape, unsafeUninitialized: { buffer in
                try reader.readRaw(into: UnsafeMutableRawBufferPointer(buffer))
            })
        }
        if Scalar.self == Bool.self {
            let bytes = UnsafeRawBufferPointer(start: array.pointer, count: n)
            if let bad = bytes.first(where: { $0 > 1 }) { throw BlockCodecError.malformed("a Bool element is \(bad)") }
        }
        return array
    }
}
