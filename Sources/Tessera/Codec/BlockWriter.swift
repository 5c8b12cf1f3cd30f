/// Bytes under construction for one value crossing a process boundary.
///
/// Fixed-width integers and floats are written little-endian at their natural alignment (the
/// writer pads), so a reader can hand out aligned raw buffers; a whole numeric buffer is one
/// `memcpy`, never a loop over elements.
///
/// ```swift
/// var w = BlockWriter()
/// w.write(Int64(3))
/// w.write(raw: [1.0, 2.0, 3.0])
/// let bytes = w.bytes
/// ```
public struct BlockWriter: Sendable {
    /// The bytes written so far; with `tail` set, the encoding is these bytes followed by the tail's.
    public private(set) var bytes: [UInt8] = []
    /// A large buffer that ends the encoding, left in its owner's storage rather than copied
    /// (only in a writer made with `deferringTailsFrom:`, and only while nothing follows it).
    public private(set) var tail: BlockRawTail?
    private let tailMinimum: Int?

    /// An empty writer.
    /// - Parameters:
    ///   - capacity: bytes to reserve up front.
    ///   - tailMinimum: when set, a buffer of at least this many bytes written last by
    ///     `appendRaw(_:owner:)` stays in its owner's storage (see `tail`), for a transport that
    ///     sends it from there, uncopied; nil: every byte is copied into `bytes`.
    public init(capacity: Int = 0, deferringTailsFrom tailMinimum: Int? = nil) {
        self.tailMinimum = tailMinimum
        bytes.reserveCapacity(capacity)
    }

    /// Copies a deferred tail into `bytes`: something is written after it.
    private mutating func settle() {
        guard let t = tail else { return }
        tail = nil
        bytes.append(contentsOf: t.bytes)
    }

    /// Appends a buffer that belongs to `owner`: a writer deferring its tail keeps a large one
    /// in place (holding `owner`, whose storage must not change while the writer's result lives);
    /// otherwise the bytes are copied as by `appendRaw(_:)`.
    /// - Parameters:
    ///   - raw: the bytes, inside `owner`'s storage.
    ///   - owner: the value that keeps `raw` alive and unmoved (an array, an `NDArray`).
    public mutating func appendRaw(_ raw: UnsafeRawBufferPointer, owner: Any) {
        settle()
        if let m = tailMinimum, raw.count >= max(m, 1) {
            tail = BlockRawTail(owner: owner, bytes: raw)
        } else {
            bytes.append(contentsOf: raw)
        }
    }

    /// Pads with zero bytes to a multiple of `alignment`, counted from the writer's start.
    ///
    /// An encoding may travel behind a prefix whose length is a multiple of 8 (a message
    /// header), so alignments above 8 would not survive: use at most 8.
    /// - Parameter alignment: a power of two, at most 8.
    public mutating func align(to alignment: Int) {
        settle()
        let pad = (alignment - bytes.count % alignment) % alignment
        if pad > 0 { bytes.append(contentsOf: repeatElement(0, count: pad)) }
    }

    /// Writes one fixed-width integer, aligned, little-endian.
    /// - Parameter value: the integer.
    public mutating func write<T: FixedWidthInteger>(_ value: T) {
        settle()
        align(to: MemoryLayout<T>.size)
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Writes a `Double` as its IEEE bit pattern (NaN payloads and signed zeros survive).
    /// - Parameter value: the number.
    public mutating func write(_ value: Double) { write(value.bitPattern) }

    /// Writes a `Float` as its IEEE bit pattern.
    /// - Parameter value: the number.
    public mutating func write(_ value: Float) { write(value.bitPattern) }

    /// Writes a `Bool` as one byte.
    /// - Parameter value: the flag.
    public mutating func write(_ value: Bool) { settle(); bytes.append(value ? 1 : 0) }

    /// Writes a string as its UTF-8 byte count and bytes (no normalisation: both Unicode forms
    /// of a letter stay distinct).
    /// - Parameter value: the string.
    public mutating func write(_ value: String) {
        settle()
        var s = value
        s.withUTF8 { u in
            write(Int64(u.count))
            bytes.append(contentsOf: u)
        }
    }

    /// Writes a count, then the elements' memory as it is, aligned to 8 bytes: one copy.
    /// - Parameter values: elements of a trivially copyable type (numbers, `Bool`).
    /// - Complexity: O(n) bytes copied, no per-element work.
    public mutating func write<T: BitwiseCopyable>(raw values: [T]) {
        values.withUnsafeBufferPointer { write(raw: $0) }
    }

    /// Writes a count, then the buffer's memory, aligned to 8 bytes.
    /// - Parameter values: elements of a trivially copyable type.
    public mutating func write<T: BitwiseCopyable>(raw values: UnsafeBufferPointer<T>) {
        write(Int64(values.count))
        align(to: 8)
        bytes.append(contentsOf: UnsafeRawBufferPointer(values))
    }

    /// Overwrites 8 bytes written earlier with `value`, little-endian: a length in a header that
    /// is known only once what follows it was written.
    /// - Parameters:
    ///   - value: the word.
    ///   - offset: where it goes; the 8 bytes from there must have been written.
    public mutating func overwrite(_ value: UInt64, at offset: Int) {
        precondition(offset >= 0 && offset + 8 <= bytes.count, "overwrite at \(offset) of \(bytes.count) bytes")
        withUnsafeBytes(of: value.littleEndian) { word in
            bytes.withUnsafeMutableBytes { $0.baseAddress!.advanced(by: offset).copyMemory(from: word.baseAddress!, byteCount: 8) }
        }
    }

    /// Appends bytes as they are (the caller wrote their length and alignment).
    /// - Parameter raw: the bytes.
    public mutating func appendRaw(_ raw: UnsafeRawBufferPointer) {
        settle()
        bytes.append(contentsOf: raw)
    }
}

/// The large buffer ending an encoding, left where its owner keeps it (see `BlockWriter.tail`).
public final class BlockRawTail: @unchecked Sendable {
    // Immutable after init; `owner` only keeps the storage alive.
    private let owner: Any
    /// The buffer's bytes, valid while this object lives.
    public let bytes: UnsafeRawBufferPointer

    init(owner: Any, bytes: UnsafeRawBufferPointer) {
        self.owner = owner
        self.bytes = bytes
    }
}
