import Tessera

/// The fixed header in front of every message between ranks (40 bytes, so a body that follows
/// keeps its 8-byte alignment).
///
/// - `hello`: `task` is the plan's task count, `extra` its shape hash (sent to every rank before
///   any value moves).
/// - `value`: the body is `BlockCodec` bytes of task `task`'s value; `total` is the body's whole
///   length, of which this message carries the first piece (messages are at most
///   `MPIWorld.maxMessageBytes`; the rest follows in `part` messages from the same rank, which
///   MPI delivers in order). `extra`, when not 0, is the length of the value's tail
///   (`BlockWriter.tail`): bytes that follow the body in the encoding but travel as separate
///   messages without a header, on the tail tag, so each side sends and receives them in the
///   array's own storage.
/// - `abort`: task `task` failed on the sending rank; the body names its key and error.
/// - `side`: bytes for the receiving rank's side-message handler (`MPIWorld.sendSideMessage`),
///   outside any compute (`compute` is 0, `task` the handler's channel); split and reassembled
///   like values.
struct MessageHeader {
    enum Kind: UInt64 { case hello = 1, value = 2, part = 3, abort = 4, side = 5 }
    static let size = 40

    /// Where `extra` (a value's tail length) sits in the header's bytes.
    static let tailLengthOffset = 32

    var kind: Kind
    var compute: UInt64
    var task: UInt64
    var total: UInt64
    var extra: UInt64

    /// Appends the five words, little-endian (at the writer's start, or after whole headers, so
    /// no padding comes between them).
    func write(to w: inout BlockWriter) {
        w.write(kind.rawValue)
        w.write(compute)
        w.write(task)
        w.write(total)
        w.write(extra)
    }

    /// Reads a header from the first 40 bytes of `raw`; nil when it is not one.
    init?(_ raw: UnsafeRawBufferPointer) {
        guard raw.count >= Self.size else { return nil }
        func word(_ k: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * k, as: UInt64.self)) }
        guard let kind = Kind(rawValue: word(0)) else { return nil }
        self.init(kind: kind, compute: word(1), task: word(2), total: word(3), extra: word(4))
    }

    init(kind: Kind, compute: UInt64, task: UInt64, total: UInt64 = 0, extra: UInt64 = 0) {
        self.kind = kind
        self.compute = compute
        self.task = task
        self.total = total
        self.extra = extra
    }

    /// The header's bytes.
    var bytes: [UInt8] {
        var w = BlockWriter(capacity: Self.size)
        write(to: &w)
        return w.bytes
    }
}
