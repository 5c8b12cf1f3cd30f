import Tessera

/// A sort's splitter (its boundary key rows and directions) crosses ranks as its columns.
extension RangeSplitter: BlockCodable {
    /// Writes the boundary columns and directions.
    /// - Parameter writer: where the bytes go.
    func encode(to writer: inout BlockWriter) throws {
        try bounds.encode(to: &writer)
        try ascending.encode(to: &writer)
    }

    /// Reads a splitter written by `encode(to:)`.
    /// - Parameter reader: the bytes.
    /// - Returns: the splitter.
    /// - Throws: `BlockCodecError` when truncated or malformed.
    static func decode(from reader: inout BlockReader) throws -> RangeSplitter {
        let bounds = try [Column].decode(from: &reader)
        let ascending = try [Bool].decode(from: &reader)
        guard bounds.count == ascending.count else { throw BlockCodecError.malformed("\(bounds.count) sort keys, \(ascending.count) directions") }
        return RangeSplitter(bounds: bounds, ascending: ascending)
    }
}
