import Foundation
import Tessera

/// A table handed from the task that makes it to its only consumer, which takes it out.
///
/// The scheduler keeps a task's value until its last consumer has finished, so a consumer that
/// concatenates its inputs would hold them and their copy at once: twice the rows. A group-by's
/// buckets, concatenated into fewer output partitions, are as big as the answer (a group per row
/// in db-benchmark's q10), so their finalize tasks hand their tables over in a `TableHandoff`:
/// the concatenation takes each table out (the scheduler then holds only the emptied box) and
/// frees every bucket's column as soon as it is copied (`Table.concatenate(consuming:)`).
final class TableHandoff: @unchecked Sendable {
    private let lock = NSLock()
    private var table: Table?

    /// A handoff holding `table`.
    init(_ table: Table) { self.table = table }

    /// The table, leaving the handoff empty.
    /// - Throws: `FrameError.invalidArgument` when it was taken already (a second consumer).
    func take() throws -> Table {
        try lock.withLock {
            guard let t = table else { throw FrameError.invalidArgument("internal: a group-by bucket's table was taken twice") }
            table = nil
            return t
        }
    }

    /// The table without taking it (encoding it for another process).
    var peek: Table? { lock.withLock { table } }
}

/// A handoff crosses processes as its table (a finalize task on one rank, the concatenation on
/// another).
extension TableHandoff: BlockCodable {
    /// Writes the table.
    /// - Parameter writer: where the bytes go.
    /// - Throws: `FrameError.invalidArgument` when the table was taken already.
    func encode(to writer: inout BlockWriter) throws {
        guard let t = peek else { throw FrameError.invalidArgument("internal: encoding a group-by bucket's table already taken") }
        t.encode(to: &writer)
    }

    /// Reads a handoff written by `encode(to:)`.
    /// - Parameter reader: the bytes.
    /// - Returns: a handoff holding the table.
    /// - Throws: `BlockCodecError` when truncated or malformed.
    static func decode(from reader: inout BlockReader) throws -> TableHandoff {
        TableHandoff(try Table.decode(from: &reader))
    }
}

// Wide dictionaries. A bucket's text key whose dictionary is about as long as the column (id3 at
// db-benchmark's K=10: a million distinct strings, 1.2M rows per bucket) is handed over as plain
// text: concatenating the buckets then copies bytes, where dictionaries would be merged entry by
// entry, hashing every bucket's strings in the one task that builds the answer.
extension Table {
    /// The table with its dictionary-encoded text columns whose dictionaries hold more entries
    /// than half the rows decoded to plain text; other columns as they are.
    /// - Complexity: O(rows + bytes) per such column.
    func decodingWideDictionaries() -> Table {
        decodingText { _, c in
            if case .string(.dictionary(_, let d)) = c.values { return 2 * d.count > c.count }
            return false
        }
    }

    /// The tables with each text column decoded to plain text in all of them when it is plain in
    /// any (concatenating plain with dictionary text otherwise appends string by string).
    /// - Complexity: O(rows + bytes) per decoded column.
    static func plainTextWhereAnyIs(_ tables: [Table]) -> [Table] {
        guard let first = tables.first else { return tables }
        let plain = (0..<first.columnCount).filter { j in
            tables.contains { t in
                if j < t.columnCount, case .string(.plain) = t.columns[j].values { return true }
                return false
            }
        }
        if plain.isEmpty { return tables }
        return tables.map { $0.decodingText { j, _ in plain.contains(j) } }
    }

    /// The table with the dictionary-encoded text columns that `decode` picks (given the
    /// column's index and the column) as plain text; a row whose code is -1 stays missing.
    func decodingText(where decode: (Int, Column) -> Bool) -> Table {
        let columns = self.columns.enumerated().map { j, c -> Column in
            guard case .string(.dictionary(let codes, let d)) = c.values, decode(j, c) else { return c }
            var validity = c.validity
            if validity == nil, codes.contains(where: { $0 < 0 }) { validity = Bitmap(codes.lazy.map { $0 >= 0 }) }
            return Column(values: .string(.plain(d.gathered(codes.map { Int($0) }))), validity: validity)
        }
        return Table(unchecked: names, columns, rowCount: rowCount)
    }
}
