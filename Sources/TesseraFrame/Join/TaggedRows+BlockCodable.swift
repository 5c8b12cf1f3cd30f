import Tessera

/// A hash join's pieces cross ranks under MPI: each shuffle output (the join of bucket `b`, the
/// order restore of partition `p`) gathers its pieces from every rank.
extension TaggedRows: BlockCodable {
    /// Writes the rows' table, then their origins as raw 64-bit integers.
    /// - Parameter writer: where the bytes go.
    /// - Complexity: O(bytes of the table + rows).
    func encode(to writer: inout BlockWriter) throws {
        table.encode(to: &writer)
        writer.write(raw: origins)
    }

    /// Reads rows written by `encode(to:)`.
    /// - Parameter reader: the bytes.
    /// - Returns: the rows.
    /// - Throws: `BlockCodecError` when truncated or malformed (origins for some rows only).
    static func decode(from reader: inout BlockReader) throws -> TaggedRows {
        let table = try Table.decode(from: &reader)
        let origins = try reader.read(raw: Int64.self)
        guard origins.isEmpty || origins.count == table.rowCount else {
            throw BlockCodecError.malformed("\(origins.count) row origins for \(table.rowCount) joined rows")
        }
        return TaggedRows(table: table, origins: origins)
    }
}
