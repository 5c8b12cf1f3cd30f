// DELTA_BINARY_PACKED (integers), DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY (byte arrays),
// and BYTE_STREAM_SPLIT: the encodings Parquet's version 2 writers choose.

/// Decodes DELTA_BINARY_PACKED integers (wrapping 64-bit arithmetic, as the spec requires) and
/// returns them with the number of bytes the encoding took.
/// - Throws: `CorruptData` for a malformed header or blocks that end early.
func decodeDeltaBinaryPacked(_ data: UnsafeRawBufferPointer, what: String) throws -> (values: [Int64], consumed: Int) {
    var r = ByteReader(data)
    let blockSize = Int(clamping: try r.varint())
    let miniblocks = Int(clamping: try r.varint())
    let total = try r.varint()
    var last = try r.zigzag()
    guard blockSize > 0, blockSize % 128 == 0, miniblocks > 0, blockSize % miniblocks == 0,
          (blockSize / miniblocks) % 32 == 0 else {
        throw CorruptData("\(what): DELTA_BINARY_PACKED block of \(blockSize) values in \(miniblocks) miniblocks")
    }
    guard total <= UInt64(data.count) * 64 + 1 else { throw CorruptData("\(what): DELTA_BINARY_PACKED claims \(total) values") }
    let count = Int(total)
    var values: [Int64] = []
    values.reserveCapacity(count)
    if count == 0 { return (values, r.position) }
    values.append(last)
    let perMini = blockSize / miniblocks
    var buffer = [UInt64](repeating: 0, count: perMini)
    while values.count < count {
        let minDelta = try r.zigzag()
        let widths = try r.take(miniblocks, "\(what): miniblock bit widths")
        for m in 0..<miniblocks where values.count < count {
            let w = Int(widths[m])
            guard w <= 64 else { throw CorruptData("\(what): miniblock bit width \(w)") }
            let bytes = perMini * w / 8
            // The last miniblock holding values may be cut short of its padding.
            let src = try r.take(Swift.min(bytes, r.remaining), "\(what): miniblock")
            let n = Swift.min(perMini, count - values.count)
            guard src.count * 8 >= n * w else { throw CorruptData("\(what): DELTA_BINARY_PACKED miniblock ends early") }
            buffer.withUnsafeMutableBufferPointer { unpackBits(src, bitWidth: w, count: n, into: $0.baseAddress!) }
            for k in 0..<n {
                last = last &+ minDelta &+ Int64(bitPattern: buffer[k])
                values.append(last)
            }
        }
    }
    return (values, r.position)
}

/// Byte-array values as offsets into one byte buffer (what every byte-array decoder produces).
struct ByteArrays: Sendable {
    var offsets: [Int] = [0]
    var data: [UInt8] = []
    var count: Int { offsets.count - 1 }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        data.append(contentsOf: bytes)
        offsets.append(data.count)
    }

    mutating func append(_ other: ByteArrays, _ i: Int) {
        data.append(contentsOf: other.data[other.offsets[i]..<other.offsets[i + 1]])
        offsets.append(data.count)
    }
}

/// Decodes DELTA_LENGTH_BYTE_ARRAY: the lengths delta-packed, then the bytes back to back.
func decodeDeltaLengthByteArray(_ data: UnsafeRawBufferPointer, count: Int, into out: inout ByteArrays, what: String) throws {
    let (lengths, used) = try decodeDeltaBinaryPacked(data, what: what)
    guard lengths.count >= count else { throw CorruptData("\(what): \(lengths.count) lengths for \(count) values") }
    var r = ByteReader(data, position: used)
    for k in 0..<count {
        guard lengths[k] >= 0, lengths[k] <= Int64(r.remaining) else { throw CorruptData("\(what): byte array length \(lengths[k]) past the page") }
        out.append(try r.take(Int(lengths[k]), what))
    }
}

/// Decodes DELTA_BYTE_ARRAY: prefix lengths shared with the previous value, then the suffixes as
/// DELTA_LENGTH_BYTE_ARRAY.
func decodeDeltaByteArray(_ data: UnsafeRawBufferPointer, count: Int, into out: inout ByteArrays, what: String) throws {
    let (prefixes, used) = try decodeDeltaBinaryPacked(data, what: what)
    guard prefixes.count >= count else { throw CorruptData("\(what): \(prefixes.count) prefixes for \(count) values") }
    var suffixes = ByteArrays()
    try decodeDeltaLengthByteArray(UnsafeRawBufferPointer(rebasing: data[used...]), count: count, into: &suffixes, what: what)
    var previous: [UInt8] = []
    for k in 0..<count {
        let p = prefixes[k]
        guard p >= 0, p <= Int64(previous.count) else { throw CorruptData("\(what): prefix length \(p) longer than the previous value") }
        var value = Array(previous[0..<Int(p)])
        value.append(contentsOf: suffixes.data[suffixes.offsets[k]..<suffixes.offsets[k + 1]])
        value.withUnsafeBytes { out.append($0) }
        previous = value
    }
}

/// Undoes BYTE_STREAM_SPLIT: `count` values of `width` bytes, byte `j` of every value in stream `j`.
func decodeByteStreamSplit(_ data: UnsafeRawBufferPointer, count: Int, width: Int, what: String) throws -> [UInt8] {
    guard data.count >= count * width else { throw CorruptData("\(what): BYTE_STREAM_SPLIT needs \(count * width) bytes, has \(data.count)") }
    var out = [UInt8](repeating: 0, count: count * width)
    for j in 0..<width {
        for i in 0..<count { out[i * width + j] = data[j * count + i] }
    }
    return out
}
