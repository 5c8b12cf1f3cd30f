// Bit-packed values (LSB first, as Parquet packs them), the inner loop of every dictionary page.
// Eight values of width w fill exactly w bytes, so packed data is a sequence of w-byte groups,
// each unpacked the same way. `unpackGroups` is written for a width the compiler knows: the
// dispatch below calls it once per width 1…32 with a literal, and each copy compiles to eight
// unaligned 64-bit loads, constant shifts and one mask (value k of a group starts at bit k·w, so
// its load address and shift are constants) with no loop-carried state but the pointers.
// The generic per-value path handles the last groups (whose 64-bit loads would read past the
// data), widths above 32 (delta-encoded miniblocks) and counts that end inside a group.

/// Unpacks `count` values of `bitWidth` bits from `src` (starting at bit 0) into `out`.
/// `src` must hold `ceil(count × bitWidth / 8)` bytes; callers check that before calling.
/// - Complexity: O(count); about one cycle per value at widths up to 32.
func unpackBits<T: FixedWidthInteger & UnsignedInteger>(_ src: UnsafeRawBufferPointer, bitWidth: Int, count: Int,
                                                       into out: UnsafeMutablePointer<T>) {
    precondition(bitWidth <= T.bitWidth, "a \(bitWidth)-bit value does not fit \(T.self)")
    if bitWidth == 0 {
        out.update(repeating: 0, count: count)
        return
    }
    // Whole groups whose last load (8 bytes from byte ⌊7w/8⌋ of the group) stays inside `src`.
    var groups = 0
    if bitWidth <= 32, src.count >= (7 * bitWidth) >> 3 + 8 {
        groups = Swift.min(count >> 3, (src.count - ((7 * bitWidth) >> 3) - 8) / bitWidth + 1)
    }
    if groups > 0 {
        let base = src.baseAddress!
        switch bitWidth {
        case 1: unpackGroups(base, 1, groups, out)
        case 2: unpackGroups(base, 2, groups, out)
        case 3: unpackGroups(base, 3, groups, out)
        case 4: unpackGroups(base, 4, groups, out)
        case 5: unpackGroups(base, 5, groups, out)
        case 6: unpackGroups(base, 6, groups, out)
        case 7: unpackGroups(base, 7, groups, out)
        case 8: unpackGroups(base, 8, groups, out)
        case 9: unpackGroups(base, 9, groups, out)
        case 10: unpackGroups(base, 10, groups, out)
        case 11: unpackGroups(base, 11, groups, out)
        case 12: unpackGroups(base, 12, groups, out)
        case 13: unpackGroups(base, 13, groups, out)
        case 14: unpackGroups(base, 14, groups, out)
        case 15: unpackGroups(base, 15, groups, out)
        case 16: unpackGroups(base, 16, groups, out)
        case 17: unpackGroups(base, 17, groups, out)
        case 18: unpackGroups(base, 18, groups, out)
        case 19: unpackGroups(base, 19, groups, out)
        case 20: unpackGroups(base, 20, groups, out)
        case 21: unpackGroups(base, 21, groups, out)
        case 22: unpackGroups(base, 22, groups, out)
        case 23: unpackGroups(base, 23, groups, out)
        case 24: unpackGroups(base, 24, groups, out)
        case 25: unpackGroups(base, 25, groups, out)
        case 26: unpackGroups(base, 26, groups, out)
        case 27: unpackGroups(base, 27, groups, out)
        case 28: unpackGroups(base, 28, groups, out)
        case 29: unpackGroups(base, 29, groups, out)
        case 30: unpackGroups(base, 30, groups, out)
        case 31: unpackGroups(base, 31, groups, out)
        default: unpackGroups(base, 32, groups, out)
        }
    }
    unpackEach(src, bitWidth: bitWidth, from: groups * 8, to: count, into: out)
}

/// Unpacks `groups` groups of eight `width`-bit values; every load must lie inside the data.
@inline(__always)
private func unpackGroups<T: FixedWidthInteger & UnsignedInteger>(_ base: UnsafeRawPointer, _ width: Int, _ groups: Int,
                                                                  _ out: UnsafeMutablePointer<T>) {
    let mask: UInt64 = (1 << UInt64(width)) &- 1
    var src = base
    var o = out
    for _ in 0..<groups {
        for k in 0..<8 {
            let bit = k * width
            let word = UInt64(littleEndian: (src + (bit >> 3)).loadUnaligned(as: UInt64.self))
            o[k] = T(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
        }
        src += width
        o += 8
    }
}

/// Values `first..<count`, one at a time, never reading past `src`.
private func unpackEach<T: FixedWidthInteger & UnsignedInteger>(_ src: UnsafeRawBufferPointer, bitWidth: Int, from first: Int,
                                                                to count: Int, into out: UnsafeMutablePointer<T>) {
    let mask: UInt64 = bitWidth >= 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
    let n = src.count
    for i in first..<Swift.max(first, count) {
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
        out[i] = T(truncatingIfNeeded: v & mask)
    }
}
