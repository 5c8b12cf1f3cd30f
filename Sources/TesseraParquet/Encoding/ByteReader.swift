/// A cursor over page bytes whose every read is bounds-checked: a corrupt page is a
/// `CorruptData` error, never a read past the buffer.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var position: Int

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var remaining: Int { bytes.count - position }

    func need(_ n: Int, _ what: @autoclosure () -> String) throws {
        guard n >= 0, n <= remaining else {
            throw CorruptData("\(what()) needs \(n) bytes, \(remaining) left in the page")
        }
    }

    mutating func byte() throws -> UInt8 {
        try need(1, "a byte")
        defer { position += 1 }
        return bytes[position]
    }

    /// A little-endian fixed-width integer.
    mutating func fixed<T: FixedWidthInteger>(_: T.Type) throws -> T {
        try need(MemoryLayout<T>.size, "a \(T.self)")
        defer { position += MemoryLayout<T>.size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: position, as: T.self))
    }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw CorruptData("a varint longer than 10 bytes") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return result }
            shift += 7
        }
    }

    mutating func zigzag() throws -> Int64 {
        let u = try varint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// The next `n` bytes as a sub-buffer.
    mutating func take(_ n: Int, _ what: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        try need(n, what())
        defer { position += n }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<position + n])
    }

    /// The bytes not yet read.
    var rest: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[position...]) }
}

/// Unpacks `count` values of `bitWidth` bits (LSB first, as Parquet packs them) from `src`
/// starting at bit 0, into `out`. `src` must hold `ceil(count * bitWidth / 8)` bytes; callers
/// check that before calling.
func unpackBits(_ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int, into out: UnsafeMutablePointer<UInt64>) {
    if bitWidth == 0 {
        out.update(repeating: 0, count: count)
        return
    }
    let mask: UInt64 = bitWidth >= 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
    let n = src.count
    var first = 0
    if bitWidth <= 56 && n >= 8 {
        // Values whose 8-byte load stays inside `src`: one load, shift and mask each, no branch.
        let fast = Swift.min(count, ((n - 8) * 8 + 7) / bitWidth + 1)
        let base = src.baseAddress!
        for i in 0..<fast {
            let bitOffset = i * bitWidth
            let word = UInt64(littleEndian: (base + (bitOffset >> 3)).loadUnaligned(as: UInt64.self))
            out[i] = (word >> UInt64(bitOffset & 7)) & mask
        }
        first = fast
    }
    for i in first..<count {
        let bitOffset = i * bitWidth
        let byte = bitOffset >> 3
        let shift = UInt64(bitOffset & 7)
        var word: UInt64
        if byte + 8 <= n {
            word = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: byte, as: UInt64.self))
        } else {
            // Near the end: assemble the bytes that exist (the rest of the word is never used).
            word = 0
            for k in 0..<Swift.max(0, Swift.min(8, n - byte)) { word |= UInt64(src[byte + k]) << UInt64(8 * k) }
        }
        var v = word >> shift
        if shift + UInt64(bitWidth) > 64, byte + 8 < n {
            v |= UInt64(src[byte + 8]) << (64 - shift)
        }
        out[i] = v & mask
    }
}
