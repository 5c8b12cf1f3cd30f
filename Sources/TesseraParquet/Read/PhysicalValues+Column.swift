// The last step of reading a chunk: present values converted by the column's logical type and
// spread over the rows (missing rows get the placeholder Tessera's columns expect: 0, NaN,
// false, "" or dictionary code -1). A floating NaN is marked missing, as pandas reads it.

import Foundation
import TesseraFrame

/// Builds the Tessera column of one chunk.
/// - Parameters:
///   - values: the present values, in row order.
///   - codes: dictionary codes of present text values (then `dictionary` holds the text).
///   - dictionary: the chunk's dictionary, for text read through its codes.
///   - validity: which rows are present (nil: all).
///   - rowCount: the number of rows.
///   - leaf: the column, for its conversion and name.
/// - Throws: `CorruptData` for a value its type can't hold (an unsigned 64-bit value past
///   Int64.max, a timestamp past the representable range).
func buildColumn(_ values: inout PhysicalValues, codes: inout DenseBuffer<Int32>?, dictionary: PhysicalValues?,
                 validity: Bitmap?, rowCount: Int, leaf: LeafColumn) throws -> Column {
    // Buffers are taken out of `values` and `codes` in place (mutating calls), so each column
    // array is its storage's only owner and is neither copied nor written twice.
    let conversion = leaf.conversion
    switch conversion {
    case .bool:
        return Column(values: .bool(values.bools.takeExpanded(over: validity, rowCount: rowCount, placeholder: false)), validity: validity)
    case .signed, .unsigned32, .unsigned64, .date, .timestamp, .int96:
        try values.ints.withUnsafeMutableBufferPointer { try convertIntegers($0, conversion, leaf.name) }
        let spread = values.ints.takeExpanded(over: validity, rowCount: rowCount, placeholder: 0)
        return Column(values: conversion.dataType == .timestamp ? .timestamp(spread) : .int64(spread), validity: validity)
    case .float:
        return floatColumn(values.doubles.takeExpanded(over: validity, rowCount: rowCount, placeholder: .nan), validity)
    case .decimal(let scale):
        var doubles = DenseBuffer<Double>()
        switch values.kind {
        case .int:
            values.ints.withUnsafeBufferPointer { a in for v in a { doubles.append(decimalDouble(String(v), scale)) } }
        case .bytes:
            for i in 0..<values.bytes.count { doubles.append(decimalDouble(bigEndianInteger(values.bytes, i), scale)) }
        default: throw CorruptData("a DECIMAL annotation on a \(leaf.physical) column")
        }
        return floatColumn(doubles.takeExpanded(over: validity, rowCount: rowCount, placeholder: .nan), validity)
    case .string:
        if codes != nil, let dict = dictionary {
            let text = StringBuffer(offsets: dict.bytes.offsets, bytes: dict.bytes.data)
            return Column(values: .string(.dictionary(codes: codes!.takeExpanded(over: validity, rowCount: rowCount, placeholder: -1),
                                                      dictionary: text)),
                          validity: validity)
        }
        let b = values.bytes
        guard let v = validity else {
            return Column(values: .string(.plain(StringBuffer(offsets: b.offsets, bytes: b.data))), validity: nil)
        }
        // Missing rows are empty strings: repeat the previous offset.
        var offsets = [Int](repeating: 0, count: rowCount + 1)
        var k = 0
        for i in 0..<rowCount {
            if v[i] { k += 1 }
            offsets[i + 1] = b.offsets[k]
        }
        return Column(values: .string(.plain(StringBuffer(offsets: offsets, bytes: b.data))), validity: v)
    }
}

/// Converts raw integers in place to what the column holds (microseconds for dates and timestamps).
private func convertIntegers(_ a: UnsafeMutableBufferPointer<Int64>, _ conversion: ValueConversion, _ name: String) throws {
    switch conversion {
    case .unsigned32:
        for i in a.indices { a[i] = a[i] & 0xFFFF_FFFF }
    case .unsigned64:
        if let bad = a.first(where: { $0 < 0 }) {
            throw CorruptData("unsigned value \(UInt64(bitPattern: bad)) is larger than Int64.max (Tessera's integers are signed 64-bit)")
        }
    case .date:
        try multiply(a, by: 86_400_000_000)
    case .timestamp(let perSecond):
        if perSecond == 1000 { try multiply(a, by: 1000) }
        if perSecond == 1_000_000_000 {
            // Nanoseconds to microseconds, rounding down as pandas' `// 1000` does.
            for i in a.indices { a[i] = a[i] >= 0 ? a[i] / 1000 : (a[i] - 999) / 1000 }
        }
    default: break
    }
}

private func multiply(_ a: UnsafeMutableBufferPointer<Int64>, by factor: Int64) throws {
    for i in a.indices {
        let (r, o) = a[i].multipliedReportingOverflow(by: factor)
        guard !o else { throw CorruptData("value \(a[i]) is out of the timestamp range") }
        a[i] = r
    }
}

/// A float column whose NaNs are missing (pandas' reading).
private func floatColumn(_ a: [Double], _ validity: Bitmap?) -> Column {
    var v = validity
    a.withUnsafeBufferPointer { p in
        for i in 0..<p.count where p[i].isNaN {
            if v == nil { v = Bitmap(count: p.count, value: true) }
            v![i] = false
        }
    }
    return Column(values: .float64(a), validity: v)
}

/// The nearest Double to `unscaled × 10^-scale`, correctly rounded (Swift's parser is).
private func decimalDouble(_ unscaled: String, _ scale: Int) -> Double {
    Double("\(unscaled)e\(-scale)") ?? .nan
}

/// The decimal text of a big-endian two's-complement integer (DECIMAL in a byte array).
private func bigEndianInteger(_ b: ByteArrays, _ i: Int) -> String {
    let bytes = b.data[b.offsets[i]..<b.offsets[i + 1]]
    guard let first = bytes.first else { return "0" }
    let negative = first & 0x80 != 0
    // Magnitude in base 10^9 limbs: repeated multiply-add, then print.
    var limbs: [UInt64] = [0]
    var carryOne = negative  // two's complement: invert and add one
    for byte in bytes.reversed().map({ negative ? ~$0 : $0 }).reversed() {
        var carry = UInt64(byte)
        for k in limbs.indices {
            let v = limbs[k] * 256 + carry
            limbs[k] = v % 1_000_000_000
            carry = v / 1_000_000_000
        }
        while carry > 0 { limbs.append(carry % 1_000_000_000); carry /= 1_000_000_000 }
    }
    if carryOne {
        var k = 0
        while carryOne {
            if k == limbs.count { limbs.append(0) }
            limbs[k] += 1
            if limbs[k] == 1_000_000_000 { limbs[k] = 0; k += 1 } else { carryOne = false }
        }
    }
    var s = String(limbs.last!)
    for limb in limbs.dropLast().reversed() {
        let t = String(limb)
        s += String(repeating: "0", count: 9 - t.count) + t
    }
    return negative ? "-" + s : s
}
