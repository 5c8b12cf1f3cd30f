import Tessera

/// The small side of a broadcast join, gathered into one table with its keys indexed once: every
/// partition of the other side probes the same index, read-only, instead of hashing the small
/// side again.
struct JoinBuildSide: @unchecked Sendable {
    let table: Table
    /// The names of `table`'s key columns, in key order.
    let keys: [String]
    let index: JoinIndex

    /// Indexes `table` on `keys`.
    /// - Throws: `FrameError.unknownColumn` for a key that isn't a column.
    /// - Complexity: O(rows × keys) expected.
    init(table: Table, keys: [String]) throws {
        self.table = table
        self.keys = keys
        index = JoinIndex(keys: try keys.map { try table.column($0) })
    }
}

/// A build side crosses processes as its table and key names; the index is made again on arrival
/// (it is derived, and cheaper to rebuild than to send).
extension JoinBuildSide: BlockCodable {
    /// Writes the key names and the table.
    /// - Parameter writer: where the bytes go.
    func encode(to writer: inout BlockWriter) throws {
        try keys.encode(to: &writer)
        table.encode(to: &writer)
    }

    /// Reads a build side written by `encode(to:)` and indexes it again.
    /// - Parameter reader: the bytes.
    /// - Returns: the build side.
    /// - Throws: `BlockCodecError` when truncated or malformed (a key that isn't a column).
    static func decode(from reader: inout BlockReader) throws -> JoinBuildSide {
        let keys = try [String].decode(from: &reader)
        let table = try Table.decode(from: &reader)
        do { return try JoinBuildSide(table: table, keys: keys) } catch { throw BlockCodecError.malformed("\(error)") }
    }
}
