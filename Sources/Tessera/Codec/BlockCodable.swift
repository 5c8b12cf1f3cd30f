/// A value that can cross a process boundary as bytes: a block, a partial state, a scalar.
///
/// Executors that run a plan over several processes (MPI ranks) encode a task's value once on
/// the rank that made it and decode it on each rank that consumes it, through ``BlockCodec``.
/// Conformances write numeric buffers with `BlockWriter/write(raw:)` (one copy, no per-element
/// work) and read them back in the same order. Types that are only `Codable` cross too, more
/// slowly (see ``BlockCodec``).
///
/// ```swift
/// struct MeanState: BlockCodable {
///     var sum: Double, count: Int64
///     func encode(to writer: inout BlockWriter) { writer.write(sum); writer.write(count) }
///     static func decode(from reader: inout BlockReader) throws -> MeanState {
///         MeanState(sum: try reader.read(Double.self), count: try reader.read(Int64.self))
///     }
/// }
/// ```
public protocol BlockCodable {
    /// Appends the value's bytes.
    /// - Parameter writer: where the bytes go.
    /// - Throws: when a part of the value cannot be encoded.
    func encode(to writer: inout BlockWriter) throws

    /// Reads a value written by `encode(to:)`.
    /// - Parameter reader: positioned where `encode` started writing.
    /// - Returns: a value equal to the one encoded.
    /// - Throws: `BlockCodecError` when the bytes are truncated or malformed.
    static func decode(from reader: inout BlockReader) throws -> Self
}

/// Integers and floats of every width travel as their little-endian bit patterns.
public protocol BlockCodableScalar: BlockCodable, BitwiseCopyable {}

extension BlockCodableScalar where Self: FixedWidthInteger {
    /// Writes the integer little-endian.
    /// - Parameter writer: where the bytes go.
    public func encode(to writer: inout BlockWriter) { writer.write(self) }
    /// Reads the integer back.
    /// - Parameter reader: the bytes.
    /// - Returns: the integer.
    /// - Throws: `BlockCodecError.truncated` past the end.
    public static func decode(from reader: inout BlockReader) throws -> Self { try reader.read(Self.self) }
}

extension Int: BlockCodableScalar {}
extension Int8: BlockCodableScalar {}
extension Int16: BlockCodableScalar {}
extension Int32: BlockCodableScalar {}
extension Int64: BlockCodableScalar {}
extension UInt: BlockCodableScalar {}
extension UInt8: BlockCodableScalar {}
extension UInt16: BlockCodableScalar {}
extension UInt32: BlockCodableScalar {}
extension UInt64: BlockCodableScalar {}

/// Floats travel as their IEEE bit patterns: NaN payloads and signed zeros survive.
extension BlockCodableScalar where Self: BinaryFloatingPoint, Self.RawSignificand: FixedWidthInteger {
    /// Writes the IEEE bit pattern.
    /// - Parameter writer: where the bytes go.
    public func encode(to writer: inout BlockWriter) {
        withUnsafeBytes(of: self) { writer.align(to: $0.count); writer.appendRaw($0) }
    }
    /// Reads the IEEE bit pattern back.
    /// - Parameter reader: the bytes.
    /// - Returns: the number, bit for bit.
    /// - Throws: `BlockCodecError.truncated` past the end.
    public static func decode(from reader: inout BlockReader) throws -> Self {
        try reader.align(to: MemoryLayout<Self>.size)
        return try reader.take(MemoryLayout<Self>.size).loadUnaligned(as: Self.self)
    }
}

extension Double: BlockCodableScalar {}
extension Float: BlockCodableScalar {}

extension Bool: BlockCodableScalar {
    /// Writes one byte.
    /// - Parameter writer: where the bytes go.
    public func encode(to writer: inout BlockWriter) { writer.write(self) }
    /// Reads one byte back.
    /// - Parameter reader: the bytes.
    /// - Returns: the flag.
    /// - Throws: `BlockCodecError` past the end or for a byte other than 0 or 1.
    public static func decode(from reader: inout BlockReader) throws -> Bool { try reader.read(Bool.self) }
}

extension String: BlockCodable {
    /// Writes the UTF-8 bytes.
    /// - Parameter writer: where the bytes go.
    public func encode(to writer: inout BlockWriter) { writer.write(self) }
    /// Reads the UTF-8 bytes back.
    /// - Parameter reader: the bytes.
    /// - Returns: the string, byte for byte.
    /// - Throws: `BlockCodecError.truncated` past the end.
    public static func decode(from reader: inout BlockReader) throws -> String { try reader.read(String.self) }
}

extension Array: BlockCodable where Element: BlockCodable {
    /// Writes the count and the elements; arrays of numbers are one raw copy.
    /// - Parameter writer: where the bytes go.
    /// - Throws: what an element's encoding throws.
    public func encode(to writer: inout BlockWriter) throws {
        if Element.self is any BlockCodableScalar.Type {
            withUnsafeBytes { raw in
                writer.write(Int64(count))
                writer.write(Int64(raw.count))
                writer.align(to: 8)
                writer.appendRaw(raw, owner: self)
            }
            return
        }
        writer.write(Int64(count))
        for e in self { try e.encode(to: &writer) }
    }

    /// Reads what `encode(to:)` wrote.
    /// - Parameter reader: the bytes.
    /// - Returns: the array.
    /// - Throws: `BlockCodecError` when truncated or malformed.
    public static func decode(from reader: inout BlockReader) throws -> [Element] {
        let n = try reader.readCount()
        if Element.self is any BlockCodableScalar.Type {
            let size = try reader.readCount()
            guard size == n * MemoryLayout<Element>.stride else {
                throw BlockCodecError.malformed("\(size) bytes for \(n) elements of \(Element.self)")
            }
            try reader.align(to: 8)
            try reader.checkRaw(size)
            // An empty Array(unsafeUninitializedCapacity:) would write into the shared empty storage.
            if n == 0 { return [] }
            return try [Element](unsafeUninitializedCapacity: n) { buffer, count in
                try reader.readRaw(into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[0..<size]))
                count = n
            }
        }
        var out: [Element] = []
        out.reserveCapacity(Swift.min(n, reader.remaining))
        for _ in 0..<n { out.append(try Element.decode(from: &reader)) }
        return out
    }
}

extension Optional: BlockCodable where Wrapped: BlockCodable {
    /// Writes a presence byte and the value.
    /// - Parameter writer: where the bytes go.
    /// - Throws: what the wrapped value's encoding throws.
    public func encode(to writer: inout BlockWriter) throws {
        writer.write(self != nil)
        if let v = self { try v.encode(to: &writer) }
    }

    /// Reads what `encode(to:)` wrote.
    /// - Parameter reader: the bytes.
    /// - Returns: the optional value.
    /// - Throws: `BlockCodecError` when truncated or malformed.
    public static func decode(from reader: inout BlockReader) throws -> Wrapped? {
        try reader.read(Bool.self) ? try Wrapped.decode(from: &reader) : nil
    }
}
