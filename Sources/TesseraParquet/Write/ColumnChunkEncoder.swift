// One column chunk as Tessera writes it, the way pyarrow does: OPTIONAL columns, version 1 data
// pages of at most `pageRows` rows, definition levels RLE-encoded, values through a PLAIN
// dictionary page and RLE_DICTIONARY pages, or PLAIN pages for the whole chunk when the
// dictionary would pass 1 MiB (booleans are always PLAIN). Statistics: null count and min/max.

import TesseraFrame

/// The parts of one encoded column chunk, ready to be placed in a file.
struct EncodedChunk {
    /// The pages (headers included), dictionary first.
    var bytes: [UInt8]
    var uncompressedSize: Int
    var hasDictionary: Bool
    /// Offset of the first data page within `bytes`.
    var dataPageStart: Int
    var encodings: [Encoding]
    var statistics: ThriftStruct
}

/// The physical type and annotations Tessera writes for a column type.
func parquetType(of type: DataType) -> (PhysicalType, logical: ThriftStruct?, converted: ConvertedType?) {
    switch type {
    case .bool: return (.boolean, nil, nil)
    case .int64:
        return (.int64, ThriftStruct([(10, .struct(ThriftStruct([(1, .i8(64)), (2, .bool(true))])))]), .int64)
    case .float64: return (.double, nil, nil)
    case .string: return (.byteArray, ThriftStruct([(1, .struct(ThriftStruct()))]), .utf8)
    case .timestamp:
        let micros = ThriftStruct([(2, .struct(ThriftStruct()))])
        return (.int64, ThriftStruct([(8, .struct(ThriftStruct([(1, .bool(true)), (2, .struct(micros))])))]), .timestampMicros)
    }
}

/// The most dictionary bytes a chunk may have before it is written PLAIN (pyarrow's default).
let dictionaryLimit = 1 << 20

/// Encodes `rows` of `column` as one column chunk.
func encodeColumnChunk(_ column: Column, rows: Range<Int>, codec: CompressionCodec, level: Int32, pageRows: Int) throws -> EncodedChunk {
    let n = rows.count
    // Present rows (in order) and the definition levels.
    var levels = [UInt32](repeating: 1, count: n)
    var present: [Int] = []
    present.reserveCapacity(n)
    for (k, i) in rows.enumerated() {
        if column.isValid(i) { present.append(i) } else { levels[k] = 0 }
    }
    let plain = PlainValues(column)
    let dict = plain.dictionary(present)
    var out: [UInt8] = []
    var uncompressed = 0
    func emit(header: ThriftStruct, raw: [UInt8]) throws {
        let body = try codec.compress(raw, level: level)
        var h = header
        h.fields.insert((2, .i32(Int32(raw.count))), at: 1)
        h.fields.insert((3, .i32(Int32(body.count))), at: 2)
        h.fields.insert((4, .i32(Int32(bitPattern: body.withUnsafeBytes { crc32Checksum($0) }))), at: 3)
        let encodedHeader = h.encoded
        out.append(contentsOf: encodedHeader)
        out.append(contentsOf: body)
        uncompressed += encodedHeader.count + raw.count
    }
    if let d = dict {
        try emit(header: ThriftStruct([(1, .i32(Int32(PageType.dictionaryPage.rawValue))),
                                       (7, .struct(ThriftStruct([(1, .i32(Int32(d.count))), (2, .i32(Int32(Encoding.plainDictionary.rawValue)))])))]),
                 raw: d.plain)
    }
    let dataStart = out.count
    var start = 0
    var nextPresent = 0
    repeat {
        let end = Swift.min(start + pageRows, n)
        let pageLevels = levels[start..<end]
        let presentCount = pageLevels.reduce(0) { $0 + Int($1) }
        let pagePresent = present[nextPresent..<(nextPresent + presentCount)]
        nextPresent += presentCount
        var raw: [UInt8] = []
        let levelBytes = encodeRLEHybrid(Array(pageLevels), bitWidth: 1)
        withUnsafeBytes(of: UInt32(levelBytes.count).littleEndian) { raw.append(contentsOf: $0) }
        raw.append(contentsOf: levelBytes)
        let encoding: Encoding
        if let d = dict {
            let indices = (pagePresent.startIndex..<pagePresent.endIndex).map { UInt32(d.index[$0]) }
            let width = d.count <= 1 ? 0 : Int.bitWidth - (d.count - 1).leadingZeroBitCount
            raw.append(UInt8(width))
            raw.append(contentsOf: encodeRLEHybrid(indices, bitWidth: width))
            encoding = .rleDictionary
        } else {
            plain.appendPlain(pagePresent, to: &raw)
            encoding = .plain
        }
        let header = ThriftStruct([(1, .i32(Int32(PageType.dataPage.rawValue))),
                                   (5, .struct(ThriftStruct([(1, .i32(Int32(end - start))), (2, .i32(Int32(encoding.rawValue))),
                                                             (3, .i32(Int32(Encoding.rle.rawValue))), (4, .i32(Int32(Encoding.rle.rawValue)))])))])
        try emit(header: header, raw: raw)
        start = end
    } while start < n
    var stats = ThriftStruct([(3, .i64(Int64(n - present.count)))])
    if let (lo, hi) = plain.bounds(present) {
        stats.set(5, .binary(hi))
        stats.set(6, .binary(lo))
    }
    return EncodedChunk(bytes: out, uncompressedSize: uncompressed, hasDictionary: dict != nil, dataPageStart: dataStart,
                        encodings: dict != nil ? [.plainDictionary, .rle, .rleDictionary] : [.plain, .rle], statistics: stats)
}

/// A column's values as PLAIN bytes, value by value.
struct PlainValues {
    let column: Column

    init(_ column: Column) { self.column = column }

    /// The PLAIN bytes of row `i` (for a byte array: with its length prefix when `prefixed`).
    func bytes(_ i: Int, prefixed: Bool, into out: inout [UInt8]) {
        switch column.values {
        case .bool(let a): out.append(a[i] ? 1 : 0)
        case .int64(let a), .timestamp(let a): withUnsafeBytes(of: a[i].littleEndian) { out.append(contentsOf: $0) }
        case .float64(let a): withUnsafeBytes(of: a[i].bitPattern.littleEndian) { out.append(contentsOf: $0) }
        case .string(let s):
            s.withBytes(i) { b in
                if prefixed { withUnsafeBytes(of: UInt32(b.count).littleEndian) { out.append(contentsOf: $0) } }
                out.append(contentsOf: b)
            }
        }
    }

    /// Appends the PLAIN encoding of `rows` (booleans bit-packed).
    func appendPlain<C: Collection>(_ rows: C, to out: inout [UInt8]) where C.Element == Int {
        if case .bool(let a) = column.values {
            var byte: UInt8 = 0
            var k = 0
            for i in rows {
                if a[i] { byte |= 1 << UInt8(k & 7) }
                k += 1
                if k & 7 == 0 { out.append(byte); byte = 0 }
            }
            if k & 7 != 0 { out.append(byte) }
            return
        }
        for i in rows { bytes(i, prefixed: true, into: &out) }
    }

    /// A dictionary of the present values: its PLAIN page, its size, and each present row's
    /// index (by position in `present`); nil for booleans or when it would pass `dictionaryLimit`.
    /// Text that is dictionary-encoded already keeps its dictionary's order (its used entries).
    func dictionary(_ present: [Int]) -> (plain: [UInt8], count: Int, index: [Int32])? {
        var plain: [UInt8] = []
        var index = [Int32](repeating: 0, count: present.count)
        var count = 0
        func build<K: Hashable>(_ key: (Int) -> K) -> Bool {
            var ids: [K: Int32] = [:]
            for (k, i) in present.enumerated() {
                let key = key(i)
                if let id = ids[key] { index[k] = id; continue }
                let id = Int32(ids.count)
                ids[key] = id
                bytes(i, prefixed: true, into: &plain)
                if plain.count > dictionaryLimit { return false }
                index[k] = id
            }
            count = ids.count
            return true
        }
        let ok: Bool
        switch column.values {
        case .bool: return nil
        case .int64(let a), .timestamp(let a): ok = build { a[$0] }
        case .float64(let a): ok = build { a[$0].bitPattern }
        case .string(.dictionary(let codes, _)): ok = build { codes[$0] }
        case .string(.plain(let b)): ok = build { b.bytes[b.range($0)] }
        }
        return ok ? (plain, count, index) : nil
    }

    /// The PLAIN bytes (without length prefix) of the smallest and largest present value, in
    /// Parquet's order for the type (signed integers, IEEE doubles with -0 < +0, bytes unsigned).
    func bounds(_ present: [Int]) -> ([UInt8], [UInt8])? {
        var present = present
        // NaNs have no place in an order: like pyarrow, leave them out of min/max.
        if case .float64(let a) = column.values { present.removeAll { a[$0].isNaN } }
        guard let first = present.first else { return nil }
        var lo = first, hi = first
        switch column.values {
        case .bool(let a):
            for i in present { if !a[i] { lo = i }; if a[i] { hi = i } }
        case .int64(let a), .timestamp(let a):
            for i in present { if a[i] < a[lo] { lo = i }; if a[i] > a[hi] { hi = i } }
        case .float64(let a):
            for i in present {
                if a[i] < a[lo] || (a[i] == a[lo] && a[i].sign == .minus) { lo = i }
                if a[i] > a[hi] || (a[i] == a[hi] && a[i].sign == .plus) { hi = i }
            }
        case .string(let s):
            func less(_ x: Int, _ y: Int) -> Bool {
                s.withBytes(x) { bx in s.withBytes(y) { by in bx.lexicographicallyPrecedes(by) } }
            }
            for i in present { if less(i, lo) { lo = i }; if less(hi, i) { hi = i } }
        }
        var a: [UInt8] = [], b: [UInt8] = []
        bytes(lo, prefixed: false, into: &a)
        bytes(hi, prefixed: false, into: &b)
        return (a, b)
    }
}
