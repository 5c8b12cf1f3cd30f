/// Reads back what a ``BlockWriter`` wrote, in the same order, checking every length against
/// the bytes present.
public struct BlockReader {
    private let base: UnsafeRawBufferPointer
    private let tail: BlockTailSource?
    /// The position of the next read.
    public private(set) var offset: Int

    /// A reader over `bytes`, which must stay valid while the reader is used.
    /// - Parameter bytes: what a writer produced.
    public init(_ bytes: UnsafeRawBufferPointer) {
        base = bytes
        offset = 0
        tail = nil
    }

    /// A reader over the head of an encoding whose tail (written as `BlockWriter.tail`) the
    /// transport has not fetched yet: `readRaw(into:)` at the end of the head asks `tail` to
    /// put it straight into the destination's storage.
    /// - Parameters:
    ///   - bytes: the head, valid while the reader is used.
    ///   - tail: the tail's source.
    public init(_ bytes: UnsafeRawBufferPointer, tail: BlockTailSource) {
        base = bytes
        offset = 0
        self.tail = tail
    }

    /// Checks that `count` bytes can be read by `readRaw(into:)`, before a decoder allocates for them.
    /// - Parameter count: the bytes needed.
    /// - Throws: `BlockCodecError.truncated` when they are not there.
    public func checkRaw(_ count: Int) throws {
        if !tailHolds(count) { try need(count) }
    }

    private func tailHolds(_ count: Int) -> Bool {
        guard remaining == 0, let t = tail else { return false }
        return !t.taken && t.count == count && count > 0
    }

    /// Fills `destination` with the next `destination.count` bytes: a copy from the reader's
    /// bytes, or, at the end of a head, the deferred tail fetched straight into it.
    /// - Parameter destination: where the bytes go.
    /// - Throws: `BlockCodecError.truncated` when neither holds that many bytes; what the tail's
    ///   source throws.
    public mutating func readRaw(into destination: UnsafeMutableRawBufferPointer) throws {
        if tailHolds(destination.count), let t = tail {
            try t.take(into: destination)
            return
        }
        let bytes = try take(destination.count)
        if !bytes.isEmpty { destination.copyMemory(from: bytes) }
    }

    /// The next `count` bytes as memory the caller may adopt as a value's storage: the deferred
    /// tail, fetched into a buffer its source lends (see ``BlockBuffer``); nil when the next bytes
    /// are not such a tail, which the caller then reads with `readRaw(into:)`.
    /// - Parameter count: the bytes needed.
    /// - Returns: the filled buffer, exactly `count` bytes, or nil.
    /// - Throws: what the tail's source throws.
    public mutating func readRawBuffer(_ count: Int) throws -> BlockBuffer? {
        guard tailHolds(count), let t = tail, let buffer = t.lend?(count) else { return nil }
        try t.take(into: buffer.bytes)
        return buffer
    }

    /// The bytes not read yet.
    public var remaining: Int { base.count - offset }

    /// Skips the padding a writer added to reach `alignment`.
    /// - Parameter alignment: a power of two.
    /// - Throws: `BlockCodecError.truncated` past the end.
    public mutating func align(to alignment: Int) throws {
        let pad = (alignment - offset % alignment) % alignment
        try need(pad)
        offset += pad
    }

    private func need(_ n: Int) throws {
        guard n >= 0, n <= base.count - offset else { throw BlockCodecError.truncated(needed: n, remaining: remaining) }
    }

    /// Reads a fixed-width integer.
    /// - Returns: the integer.
    /// - Throws: `BlockCodecError.truncated` past the end.
    public mutating func read<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
        try align(to: MemoryLayout<T>.size)
        try need(MemoryLayout<T>.size)
        defer { offset += MemoryLayout<T>.size }
        return T(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// Reads a `Double` from its bit pattern.
    /// - Returns: the number.
    /// - Throws: `BlockCodecError.truncated` past the end.
    public mutating func read(_: Double.Type) throws -> Double { Double(bitPattern: try read(UInt64.self)) }

    /// Reads a `Float` from its bit pattern.
    /// - Returns: the number.
    /// - Throws: `BlockCodecError.truncated` past the end.
    public mutating func read(_: Float.Type) throws -> Float { Float(bitPattern: try read(UInt32.self)) }

    /// Reads a `Bool` byte.
    /// - Returns: the flag.
    /// - Throws: `BlockCodecError.truncated` past the end, `.malformed` for a byte other than 0 or 1.
    public mutating func read(_: Bool.Type) throws -> Bool {
        try need(1)
        let b = base[offset]
        offset += 1
        guard b <= 1 else { throw BlockCodecError.malformed("a Bool byte is \(b)") }
        return b == 1
    }

    /// Reads a count that must be non-negative and at most `limit`.
    /// - Returns: the count.
    /// - Throws: `BlockCodecError.malformed` for a count out of range.
    public mutating func readCount(limit: Int = .max) throws -> Int {
        let n = try read(Int64.self)
        guard n >= 0, n <= Int64(limit) else { throw BlockCodecError.malformed("count \(n) out of range") }
        return Int(n)
    }

    /// Reads a UTF-8 string.
    /// - Returns: the string, byte for byte.
    /// - Throws: `BlockCodecError.truncated` past the end.
    public mutating func read(_: String.Type) throws -> String {
        let n = try readCount()
        try need(n)
        defer { offset += n }
        return String(decoding: UnsafeRawBufferPointer(rebasing: base[offset..<offset + n]), as: UTF8.self)
    }

    /// Reads what `BlockWriter.write(raw:)` wrote: one copy into a new array.
    /// - Returns: the elements.
    /// - Throws: `BlockCodecError.truncated` when fewer bytes remain than the count needs.
    public mutating func read<T: BitwiseCopyable>(raw _: T.Type) throws -> [T] {
        let bytes = try readRawBytes(of: T.self)
        if bytes.isEmpty { return [] }  // an empty uninitialized array would write the shared empty storage
        return [T](unsafeUninitializedCapacity: bytes.count / MemoryLayout<T>.stride) { buffer, count in
            if !bytes.isEmpty { UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes) }
            count = bytes.count / MemoryLayout<T>.stride
        }
    }

    /// Reads the header of a raw buffer and returns its bytes in place (valid as long as the
    /// reader's bytes are), for a caller that copies them into storage of its own.
    /// - Returns: the buffer's bytes, a multiple of `T`'s stride.
    /// - Throws: `BlockCodecError.truncated` when fewer bytes remain than the count needs.
    public mutating func readRawBytes<T: BitwiseCopyable>(of _: T.Type) throws -> UnsafeRawBufferPointer {
        let n = try readCount(limit: Int.max / MemoryLayout<T>.stride)
        try align(to: 8)
        let size = n * MemoryLayout<T>.stride
        try need(size)
        defer { offset += size }
        return UnsafeRawBufferPointer(rebasing: base[offset..<offset + size])
    }

    /// The next `count` bytes, in place (valid as long as the reader's bytes are).
    /// - Parameter count: how many bytes.
    /// - Returns: the bytes.
    /// - Throws: `BlockCodecError.truncated` past the end.
    public mutating func take(_ count: Int) throws -> UnsafeRawBufferPointer {
        try need(count)
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: base[offset..<offset + count])
    }
}

/// Where a reader gets a deferred tail of `count` bytes from (a transport receiving it into the
/// destination's storage); taken at most once.
public final class BlockTailSource {
    /// The tail's length in bytes.
    public let count: Int
    /// Whether the tail was fetched (a decoder that failed before it leaves it for the caller to drain).
    public private(set) var taken = false
    private let fetch: (UnsafeMutableRawBufferPointer) throws -> Void
    /// Lends memory of a given byte count for the tail, which a decoder's value may adopt.
    let lend: ((Int) -> BlockBuffer?)?

    /// A source of `count` bytes.
    /// - Parameters:
    ///   - count: the tail's length.
    ///   - lend: when set, gives a buffer of exactly the byte count asked (or nil) for a decoder
    ///     whose value can own foreign storage (`BlockReader.readRawBuffer(_:)`), such as warm
    ///     memory from the transport's pool.
    ///   - fetch: fills a buffer of exactly `count` bytes.
    public init(count: Int, lend: ((Int) -> BlockBuffer?)? = nil, fetch: @escaping (UnsafeMutableRawBufferPointer) throws -> Void) {
        self.count = count
        self.lend = lend
        self.fetch = fetch
    }

    /// Fetches the tail into `destination` (exactly `count` bytes).
    /// - Parameter destination: where it goes.
    /// - Throws: what the fetch throws.
    public func take(into destination: UnsafeMutableRawBufferPointer) throws {
        taken = true
        try fetch(destination)
    }
}
