// The RLE/bit-packed hybrid encoding of definition levels, dictionary indices and RLE booleans.
// A run header is a varint: low bit 0 — a repeated run of `header >> 1` copies of one value
// stored in ceil(bitWidth / 8) bytes; low bit 1 — `header >> 1` groups of eight bit-packed values.

/// Where the runs of an RLE/bit-packed hybrid stream go: a repeated value, or a slice of
/// bit-packed values already unpacked. A sink writes them to its own output (dictionary values
/// gathered, codes copied), so no index array the size of the page is ever built.
protocol RLEHybridSink {
    /// `count` copies of `value`.
    mutating func repeated(_ value: UInt32, count: Int) throws
    /// Consecutive values of a bit-packed run.
    mutating func unpacked(_ values: UnsafeBufferPointer<UInt32>) throws
}

/// Decodes exactly `count` values of `bitWidth` bits from `data` into `sink`, bit-packed runs
/// unpacked through `scratch` (a multiple of eight values; a run longer than it is delivered in
/// several slices).
/// - Throws: `CorruptData` when the runs end before `count` values or a run is malformed, and
///   whatever `sink` throws.
/// - Complexity: O(count + bytes).
func decodeRLEHybrid<S: RLEHybridSink>(_ data: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
                                       scratch: UnsafeMutableBufferPointer<UInt32>, into sink: inout S, what: String) throws {
    guard (0...32).contains(bitWidth) else { throw CorruptData("\(what): bit width \(bitWidth) is impossible") }
    precondition(scratch.count >= 8 && scratch.count % 8 == 0, "scratch of \(scratch.count) values")
    var r = ByteReader(data)
    var filled = 0
    let valueBytes = (bitWidth + 7) / 8
    while filled < count {
        guard r.remaining > 0 else { throw CorruptData("\(what): the runs end after \(filled) of \(count) values") }
        let header = try r.varint()
        if header & 1 == 0 {
            let run = header >> 1
            var v: UInt32 = 0
            for k in 0..<valueBytes { v |= UInt32(try r.byte()) << UInt32(8 * k) }
            guard bitWidth == 32 || v >> UInt32(bitWidth) == 0 else {
                throw CorruptData("\(what): a repeated value \(v) wider than \(bitWidth) bits")
            }
            let n = Int(Swift.min(run, UInt64(count - filled)))
            if n > 0 { try sink.repeated(v, count: n) }
            filled += n
        } else {
            let groups = header >> 1
            guard groups <= UInt64(Int32.max) else { throw CorruptData("\(what): a bit-packed run of \(groups) groups") }
            let bytes = Int(groups) * bitWidth
            // Writers may cut the last run short of the padding values after the last one.
            let available = Swift.min(bytes, r.remaining)
            let runStart = r.position
            _ = try r.take(available, "\(what): bit-packed run")
            let n = Swift.min(Int(groups) * 8, count - filled)
            guard available * 8 >= n * bitWidth else {
                throw CorruptData("\(what): a bit-packed run ends early after \(filled) of \(count) values")
            }
            var done = 0
            while done < n {
                let m = Swift.min(scratch.count, n - done)
                // `done` is a multiple of eight, so the slice starts on a byte boundary. The
                // unpacker is handed the rest of the data, not just the run: a short run's last
                // groups then still take its fast path (their 64-bit loads may reach the bytes
                // after the run, whose bits the masks drop; the values come from the run alone).
                let offset = runStart + done / 8 * bitWidth
                unpackBits(UnsafeRawBufferPointer(rebasing: data[offset...]), bitWidth: bitWidth, count: m, into: scratch.baseAddress!)
                try sink.unpacked(UnsafeBufferPointer(rebasing: scratch[0..<m]))
                done += m
            }
            filled += n
        }
    }
}

/// Decodes exactly `count` values of `bitWidth` bits from `data` into `out` (levels, RLE
/// booleans, tests).
/// - Throws: `CorruptData` when the runs end before `count` values or a run is malformed.
/// - Complexity: O(count + bytes).
func decodeRLEHybrid(_ data: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
                     into out: UnsafeMutableBufferPointer<UInt64>, what: String) throws {
    guard out.count >= count else { throw CorruptData("\(what): room for \(out.count) values, \(count) asked") }
    struct Widen: RLEHybridSink {
        var next: UnsafeMutablePointer<UInt64>
        mutating func repeated(_ value: UInt32, count: Int) {
            next.update(repeating: UInt64(value), count: count)
            next += count
        }
        mutating func unpacked(_ values: UnsafeBufferPointer<UInt32>) {
            for (k, v) in values.enumerated() { next[k] = UInt64(v) }
            next += values.count
        }
    }
    guard count > 0 else { return }
    var sink = Widen(next: out.baseAddress!)
    try withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 256) { scratch in
        try decodeRLEHybrid(data, bitWidth: bitWidth, count: count, scratch: scratch, into: &sink, what: what)
    }
}

/// Encodes `values` (each < 2^bitWidth) with the RLE/bit-packed hybrid: runs of eight or more
/// equal values as RLE runs, the rest bit-packed in groups of eight.
/// - Complexity: O(values.count).
func encodeRLEHybrid<C: RandomAccessCollection>(_ values: C, bitWidth: Int) -> [UInt8] where C.Element == UInt32, C.Index == Int {
    var out: [UInt8] = []
    func varint(_ v: Int) {
        var x = UInt64(v)
        while x >= 0x80 { out.append(UInt8(x & 0x7F) | 0x80); x >>= 7 }
        out.append(UInt8(x))
    }
    let valueBytes = (bitWidth + 7) / 8
    var i = values.startIndex
    let end = values.endIndex
    var literal: [UInt32] = []  // pending bit-packed values (a multiple of 8 except at the end)
    func flushLiteral() {
        guard !literal.isEmpty else { return }
        let groups = (literal.count + 7) / 8
        while literal.count < groups * 8 { literal.append(0) }
        varint(groups << 1 | 1)
        var acc: UInt64 = 0
        var bits = 0
        for v in literal {
            acc |= UInt64(v) << UInt64(bits)
            bits += bitWidth
            while bits >= 8 { out.append(UInt8(truncatingIfNeeded: acc)); acc >>= 8; bits -= 8 }
        }
        if bits > 0 { out.append(UInt8(truncatingIfNeeded: acc)) }
        literal.removeAll(keepingCapacity: true)
    }
    while i < end {
        let v = values[i]
        var j = i + 1
        while j < end && values[j] == v { j += 1 }
        let run = j - i
        // A repeated run is worth it from eight values on, and only at a group boundary of the
        // pending literal values (bit-packed runs hold whole groups of eight).
        if run >= 8 && literal.count % 8 == 0 {
            flushLiteral()
            varint(run << 1)
            for k in 0..<valueBytes { out.append(UInt8(truncatingIfNeeded: v >> UInt32(8 * k))) }
            i = j
        } else {
            literal.append(v)
            i += 1
        }
    }
    flushLiteral()
    return out
}

/// Decodes `count` one-bit definition levels (a flat OPTIONAL column's) straight into validity
/// words, starting at bit `start`, and returns how many are set. A bit-packed run of one-bit
/// levels is already a validity bitmap, so it is copied a byte at a time; a run of ones fills
/// words. The words past `start` must be zero and hold `start + count` bits.
/// - Throws: `CorruptData` when the runs end before `count` levels or hold a level above 1.
func decodeDefinitionBits(_ data: UnsafeRawBufferPointer, count: Int, into words: UnsafeMutableBufferPointer<UInt64>,
                          start: Int) throws -> Int {
    var r = ByteReader(data)
    var filled = 0
    var present = 0
    while filled < count {
        guard r.remaining > 0 else { throw CorruptData("definition levels: the runs end after \(filled) of \(count) values") }
        let header = try r.varint()
        if header & 1 == 0 {
            let value = try r.byte()
            guard value <= 1 else { throw CorruptData("definition level \(value) in a flat column (the maximum is 1)") }
            let n = Int(Swift.min(header >> 1, UInt64(count - filled)))
            if value == 1 {
                var pos = start + filled
                let end = pos + n
                while pos < end {
                    let bit = pos & 63
                    let take = Swift.min(64 - bit, end - pos)
                    let mask: UInt64 = take == 64 ? ~0 : ((1 << UInt64(take)) - 1) << UInt64(bit)
                    words[pos >> 6] |= mask
                    pos += take
                }
                present += n
            }
            filled += n
        } else {
            let groups = header >> 1
            guard groups <= UInt64(Int32.max) else { throw CorruptData("definition levels: a bit-packed run of \(groups) groups") }
            let n = Swift.min(Int(groups) * 8, count - filled)
            let bytes = (n + 7) / 8
            let src = try r.take(bytes, "definition levels: a bit-packed run")
            // The run's declared bytes past the levels we need (padding of the last group) are skipped.
            _ = try? r.take(Swift.min(Int(groups) - bytes, r.remaining), "")
            // Eight bytes (64 levels) at a time while they are all levels; the last byte, which
            // may hold padding past `n`, goes through the byte loop with its mask.
            var k = 0
            while k + 8 < bytes {
                let b = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: k, as: UInt64.self))
                let pos = start + filled + 8 * k
                let bit = UInt64(pos & 63)
                words[pos >> 6] |= b << bit
                if bit > 0 { words[(pos >> 6) + 1] |= b >> (64 - bit) }
                present += b.nonzeroBitCount
                k += 8
            }
            for k in k..<bytes {
                var b = UInt64(src[k])
                if k == bytes - 1 && n & 7 != 0 { b &= (1 << UInt64(n & 7)) - 1 }
                if b == 0 { continue }
                let pos = start + filled + 8 * k
                let bit = UInt64(pos & 63)
                words[pos >> 6] |= b << bit
                if bit > 56, case let spill = b >> (64 - bit), spill != 0 { words[(pos >> 6) + 1] |= spill }
                present += b.nonzeroBitCount
            }
            filled += n
        }
    }
    return present
}
