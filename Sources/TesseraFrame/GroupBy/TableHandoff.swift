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
