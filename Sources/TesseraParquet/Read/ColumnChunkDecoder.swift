// One column chunk, page by page: each page header is decoded, its bytes checked (CRC when
// present) and decompressed to exactly the size the header promises (into the task's reused
// page buffer), its definition levels become validity bits, and its present values are
// appended to one `PhysicalValues` whose room for the whole row group was reserved once,
// uninitialised. Dictionary indices are unpacked a block at a time and turned into values as
// they are decoded. At the end the present values are spread over the rows in place.
// Text read through a dictionary keeps the dictionary: its codes are collected as they are, and
// only a page written PLAIN (a writer's fallback once the dictionary grew too large) turns the
// chunk into plain text.

import TesseraFrame

/// Decodes the pages of one column chunk of a flat column.
struct ColumnChunkDecoder {
    let leaf: LeafColumn
    let codec: CompressionCodec
    /// The row group's row count: the pages must hold exactly this many.
    let rowCount: Int
    let scratch: ReadScratch
    private(set) var values: PhysicalValues
    private var dictionary: PhysicalValues?
    /// Dictionary codes of text values, while every page so far was dictionary-encoded.
    private var codes = DenseBuffer<Int32>()
    private var textIsPlain: Bool
    /// Validity bits of an OPTIONAL column's rows (empty for a REQUIRED column: all present).
    private var validityWords: [UInt64] = []
    private var rows = 0
    private var nulls = 0

    init(leaf: LeafColumn, codec: CompressionCodec, rowCount: Int, scratch: ReadScratch) {
        self.leaf = leaf
        self.codec = codec
        self.rowCount = rowCount
        self.scratch = scratch
        values = PhysicalValues(leaf.physical)
        if leaf.conversion == .string { codes.reserve(rowCount) } else { values.reserve(rowCount) }
        // Only text keeps its dictionary codes; byte arrays that are decimals gather values.
        textIsPlain = leaf.conversion != .string
        if leaf.maxDefinitionLevel > 0 { validityWords = [UInt64](repeating: 0, count: (rowCount + 63) >> 6) }
    }

    /// Decodes every page in `chunk` (the column chunk's bytes) and returns the column.
    /// - Parameter scratch: the calling task's reusable buffers.
    /// - Throws: `ParquetError` naming `path`, `rowGroup`, the column and the page.
    static func decode(_ chunk: UnsafeRawBufferPointer, leaf: LeafColumn, codec: CompressionCodec, rowCount: Int,
                       path: String, rowGroup: Int, scratch: ReadScratch = ReadScratch()) throws -> Column {
        var d = ColumnChunkDecoder(leaf: leaf, codec: codec, rowCount: rowCount, scratch: scratch)
        var position = 0
        var page = 0
        while position < chunk.count && d.rows < rowCount {
            try ParquetError.locating(path: path, rowGroup: rowGroup, column: leaf.name, page: page) {
                let (s, headerSize) = try ThriftStruct.decode(UnsafeRawBufferPointer(rebasing: chunk[position...]))
                let header = try PageHeader(s)
                let start = position + headerSize
                guard header.compressedSize <= chunk.count - start else {
                    throw CorruptData("the page's \(header.compressedSize) bytes run past its column chunk")
                }
                let body = UnsafeRawBufferPointer(rebasing: chunk[start..<(start + header.compressedSize)])
                if let crc = header.crc, crc32Checksum(body) != crc {
                    throw CorruptData("CRC mismatch (the page is corrupt)")
                }
                try d.decodePage(header, body)
                position = start + header.compressedSize
            }
            page += 1
        }
        return try ParquetError.locating(path: path, rowGroup: rowGroup, column: leaf.name) { try d.finish() }
    }

    private mutating func decodePage(_ h: PageHeader, _ body: UnsafeRawBufferPointer) throws {
        if h.type == .dataPage || h.type == .dataPageV2 { scratch.dataPagesDecoded += 1 }
        switch h.type {
        case .indexPage:
            return
        case .dictionaryPage:
            guard dictionary == nil else { throw CorruptData("a second dictionary page") }
            guard h.encoding == .plain || h.encoding == .plainDictionary else { throw CorruptData("dictionary page encoded \(h.encoding)") }
            let raw = try codec.decompress(body, size: h.uncompressedSize, scratch: scratch)
            var dict = PhysicalValues(leaf.physical)
            var r = ByteReader(raw)
            try dict.appendPlain(&r, count: h.valueCount, leaf: leaf)
            dictionary = dict
        case .dataPage:
            let raw = try codec.decompress(body, size: h.uncompressedSize, scratch: scratch)
            var r = ByteReader(raw)
            var levels = UnsafeRawBufferPointer(start: nil, count: 0)
            if leaf.maxDefinitionLevel > 0 {
                guard h.definitionLevelEncoding == .rle else {
                    throw CorruptData("definition levels encoded \(h.definitionLevelEncoding) (only RLE is supported)")
                }
                let length = try r.fixed(UInt32.self)
                levels = try r.take(Int(length), "definition levels of \(length) bytes")
            }
            let present = try appendLevels(levels, count: h.valueCount)
            try decodeValues(r.rest, encoding: h.encoding, count: present)
        case .dataPageV2:
            let levelBytes = h.repetitionLevelsLength + h.definitionLevelsLength
            guard h.repetitionLevelsLength == 0 else { throw CorruptData("repetition levels in a flat column") }
            let levels = UnsafeRawBufferPointer(rebasing: body[h.repetitionLevelsLength..<levelBytes])
            let rest = UnsafeRawBufferPointer(rebasing: body[levelBytes...])
            let valueSize = h.uncompressedSize - levelBytes
            guard valueSize >= 0 else { throw CorruptData("page levels longer than the page") }
            let present = try appendLevels(leaf.maxDefinitionLevel > 0 ? levels : UnsafeRawBufferPointer(start: nil, count: 0),
                                           count: h.valueCount)
            if h.isCompressed {
                try decodeValues(try codec.decompress(rest, size: valueSize, scratch: scratch), encoding: h.encoding, count: present)
            } else {
                guard rest.count == valueSize else { throw CorruptData("uncompressed v2 page of \(rest.count) value bytes, header says \(valueSize)") }
                try decodeValues(rest, encoding: h.encoding, count: present)
            }
        }
    }

    /// Appends `count` rows' validity from RLE definition levels (all present for a REQUIRED
    /// column) and returns how many are present.
    private mutating func appendLevels(_ levels: UnsafeRawBufferPointer, count: Int) throws -> Int {
        guard count <= rowCount - rows else {
            throw CorruptData("the page holds \(count) levels, more than the \(rowCount - rows) rows left in the row group")
        }
        if leaf.maxDefinitionLevel == 0 {
            rows += count
            return count
        }
        let start = rows
        let present = try validityWords.withUnsafeMutableBufferPointer {
            try decodeDefinitionBits(levels, count: count, into: $0, start: start)
        }
        rows += count
        nulls += count - present
        return present
    }

    /// Appends `count` present values encoded as `encoding`.
    private mutating func decodeValues(_ data: UnsafeRawBufferPointer, encoding: Encoding, count n: Int) throws {
        switch encoding {
        case .plain:
            if values.kind == .bytes && !textIsPlain { materialiseText() }
            var r = ByteReader(data)
            try values.appendPlain(&r, count: n, leaf: leaf)
        case .plainDictionary, .rleDictionary:
            guard let dict = dictionary else { throw CorruptData("dictionary-encoded page without a dictionary page") }
            var r = ByteReader(data)
            let width = n == 0 && r.remaining == 0 ? 0 : Int(try r.byte())
            if values.kind == .bytes && !textIsPlain {
                try codes.appendDictionaryCodes(r.rest, bitWidth: width, count: n, dictionarySize: dict.count, scratch: scratch.indices)
            } else {
                try values.appendDictionaryIndices(r.rest, bitWidth: width, count: n, from: dict, scratch: scratch.indices)
            }
        case .rle:
            guard leaf.physical == .boolean else { throw CorruptData("RLE values in a \(leaf.physical) column") }
            var r = ByteReader(data)
            let length = try r.fixed(UInt32.self)
            let runs = try r.take(Int(length), "RLE booleans of \(length) bytes")
            // Booleans are a dictionary of two values: index 0 is false, 1 is true.
            var falseTrue = PhysicalValues(.boolean)
            falseTrue.bools.append(false)
            falseTrue.bools.append(true)
            try values.appendDictionaryIndices(runs, bitWidth: 1, count: n, from: falseTrue, scratch: scratch.indices)
        case .deltaBinaryPacked:
            guard values.kind == .int, leaf.physical != .int96 else { throw CorruptData("DELTA_BINARY_PACKED values in a \(leaf.physical) column") }
            let (decoded, _) = try decodeDeltaBinaryPacked(data, what: "DELTA_BINARY_PACKED values")
            guard decoded.count >= n else { throw CorruptData("\(decoded.count) DELTA_BINARY_PACKED values for \(n) present rows") }
            let int32 = leaf.physical == .int32
            values.ints.append(n) { o in for k in 0..<n { o[k] = int32 ? Int64(Int32(truncatingIfNeeded: decoded[k])) : decoded[k] } }
        case .deltaLengthByteArray, .deltaByteArray:
            guard values.kind == .bytes else { throw CorruptData("\(encoding) values in a \(leaf.physical) column") }
            if !textIsPlain { materialiseText() }
            if encoding == .deltaLengthByteArray {
                try decodeDeltaLengthByteArray(data, count: n, into: &values.bytes, what: "DELTA_LENGTH_BYTE_ARRAY values")
            } else {
                try decodeDeltaByteArray(data, count: n, into: &values.bytes, what: "DELTA_BYTE_ARRAY values")
            }
        case .byteStreamSplit:
            let width: Int
            switch leaf.physical {
            case .float, .int32: width = 4
            case .double, .int64: width = 8
            case .fixedLenByteArray: width = leaf.typeLength
            default: throw CorruptData("BYTE_STREAM_SPLIT values in a \(leaf.physical) column")
            }
            if values.kind == .bytes && !textIsPlain { materialiseText() }
            let joined = try decodeByteStreamSplit(data, count: n, width: width, what: "BYTE_STREAM_SPLIT values")
            try joined.withUnsafeBytes { b in
                var r = ByteReader(b)
                try values.appendPlain(&r, count: n, leaf: leaf)
            }
        case .bitPacked:
            throw CorruptData("BIT_PACKED values (deprecated, levels only)")
        }
    }

    /// Turns the dictionary codes gathered so far into plain text, so later PLAIN pages append.
    private mutating func materialiseText() {
        textIsPlain = true
        guard let dict = dictionary else { return }
        codes.withUnsafeBufferPointer { for c in $0 { values.bytes.append(dict.bytes, Int(c)) } }
        codes = DenseBuffer()
    }

    /// The column: values converted to their Tessera type and spread over the rows.
    mutating func finish() throws -> Column {
        guard rows == rowCount else {
            throw CorruptData("the pages hold \(rows) rows, the row group \(rowCount)")
        }
        let present = rows - nulls
        let textCodes = !textIsPlain && dictionary != nil
        let decoded = textCodes ? codes.count : values.count
        guard decoded == present else {
            throw CorruptData("\(decoded) values for \(present) present rows")
        }
        let validity: Bitmap? = nulls == 0 ? nil : Bitmap(words: validityWords, count: rows)
        var textCodesBuffer: DenseBuffer<Int32>?
        if textCodes {
            textCodesBuffer = DenseBuffer()
            swap(&textCodesBuffer!, &codes)
        }
        return try buildColumn(&values, codes: &textCodesBuffer, dictionary: textCodes ? dictionary : nil,
                               validity: validity, rowCount: rows, leaf: leaf)
    }
}
