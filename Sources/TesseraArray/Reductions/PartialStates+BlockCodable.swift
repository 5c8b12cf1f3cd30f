import Tessera

/// A reduction's partial states cross processes as one raw copy of their memory: every state
/// type (`SumState`, `MomentState`, `ExtremeState`, `ProductState`) is a plain struct of numbers,
/// and the ranks of a job run the same binary, so the layout is the same on both sides.
extension PartialStates: BlockCodable {
    /// Writes the states' memory.
    /// - Parameter writer: where the bytes go.
    /// - Throws: `BlockCodecError.notEncodable` for a state type holding references.
    public func encode(to writer: inout BlockWriter) throws {
        guard _isPOD(S.self) else { throw BlockCodecError.notEncodable(type: String(reflecting: S.self)) }
        writer.write(Int64(states.count))
        writer.write(Int64(MemoryLayout<S>.stride))
        writer.align(to: 8)
        states.withUnsafeBytes { writer.appendRaw($0) }
    }

    /// Reads states written by `encode(to:)`.
    /// - Parameter reader: the bytes.
    /// - Returns: the partial states.
    /// - Throws: `BlockCodecError.malformed` when the state size differs (another build).
    public static func decode(from reader: inout BlockReader) throws -> PartialStates<S> {
        guard _isPOD(S.self) else { throw BlockCodecError.notEncodable(type: String(reflecting: S.self)) }
        let n = try reader.readCount()
        let stride = try reader.readCount()
        guard stride == MemoryLayout<S>.stride else { throw BlockCodecError.malformed("state stride \(stride), expected \(MemoryLayout<S>.stride)") }
        try reader.align(to: 8)
        let bytes = try reader.take(n * stride)
        // An empty Array(unsafeUninitializedCapacity:) would write into the shared empty storage.
        let states = n == 0 ? [] : [S](unsafeUninitializedCapacity: n) { buffer, count in
            if n > 0 { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes) }
            count = n
        }
        return PartialStates(states)
    }
}
