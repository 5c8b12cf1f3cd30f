/// CRC-32C (Castagnoli), the checksum of Zarr's `crc32c` codec: four little-endian bytes after
/// the data. Table-driven, one byte at a time; chunks are checksummed once per read, where the
/// decompression that follows costs far more.
enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { i -> UInt32 in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    /// The checksum of `bytes`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { t in
            for b in bytes { c = t[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        }
        return c ^ 0xFFFF_FFFF
    }

    /// `bytes` without its trailing checksum, after checking it.
    /// - Throws: `CodecError` when the bytes are too short or the checksum differs.
    static func strip(_ bytes: UnsafeRawBufferPointer) throws -> [UInt8] {
        guard bytes.count >= 4 else { throw CodecError("crc32c: \(bytes.count) bytes, too short to hold a checksum") }
        let body = UnsafeRawBufferPointer(rebasing: bytes[0..<(bytes.count - 4)])
        let stored = UInt32(bytes[bytes.count - 4]) | UInt32(bytes[bytes.count - 3]) << 8
            | UInt32(bytes[bytes.count - 2]) << 16 | UInt32(bytes[bytes.count - 1]) << 24
        let actual = checksum(body)
        guard stored == actual else {
            throw CodecError("crc32c: checksum mismatch (stored \(hex(stored)), computed \(hex(actual))): the chunk is corrupt")
        }
        return Array(body)
    }

    /// `bytes` followed by their checksum.
    static func append(_ bytes: [UInt8]) -> [UInt8] {
        let c = bytes.withUnsafeBytes { checksum($0) }
        return bytes + [UInt8(c & 0xFF), UInt8((c >> 8) & 0xFF), UInt8((c >> 16) & 0xFF), UInt8(c >> 24)]
    }

    private static func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }
}
