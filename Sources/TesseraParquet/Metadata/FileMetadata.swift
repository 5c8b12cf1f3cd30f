// The footer's model: only what reading and pruning use, each read from the Thrift tree by the
// field ids of parquet.thrift. Anything else in the footer is skipped.

/// A node of the file's schema tree (`SchemaElement`).
struct SchemaElement: Sendable {
    var name: String
    var type: PhysicalType?
    var typeLength: Int
    var repetition: Repetition
    var childCount: Int
    var convertedType: ConvertedType?
    var scale: Int
    var precision: Int
    var logicalType: ThriftStruct?

    init(_ s: ThriftStruct) throws {
        let name = try s.string(4, "SchemaElement.name") ?? ""
        self.name = name
        type = try s.int(1, "SchemaElement.type").map {
            guard let t = PhysicalType(rawValue: $0) else { throw CorruptData("unknown physical type \($0) for '\(name)'") }
            return t
        }
        typeLength = Int(try s.int(2, "SchemaElement.type_length") ?? 0)
        repetition = try Repetition(rawValue: s.int(3, "SchemaElement.repetition_type") ?? 0) ?? .required
        childCount = Int(try s.int(5, "SchemaElement.num_children") ?? 0)
        convertedType = try s.int(6, "SchemaElement.converted_type").flatMap { ConvertedType(rawValue: $0) }
        scale = Int(try s.int(7, "SchemaElement.scale") ?? 0)
        precision = Int(try s.int(8, "SchemaElement.precision") ?? 0)
        logicalType = try s.structure(10, "SchemaElement.logicalType")
    }
}

/// Min, max and null count of a column chunk, as the writer recorded them.
struct ChunkStatistics: Sendable {
    /// PLAIN-encoded bounds (`min_value`/`max_value`, or the deprecated `min`/`max` when the column's
    /// order makes them trustworthy).
    var min: [UInt8]?
    var max: [UInt8]?
    var nullCount: Int64?
    /// The bounds come from the deprecated fields (signed order, whatever the logical type).
    var legacy = false

    /// Bounds given directly (a page's, from a column index).
    init(min: [UInt8]?, max: [UInt8]?, nullCount: Int64?) {
        self.min = min
        self.max = max
        self.nullCount = nullCount
    }

    init(_ s: ThriftStruct, legacyBoundsUsable: Bool) throws {
        min = try s.binary(6, "Statistics.min_value")
        max = try s.binary(5, "Statistics.max_value")
        if min == nil && max == nil && legacyBoundsUsable {
            min = try s.binary(2, "Statistics.min")
            max = try s.binary(1, "Statistics.max")
            legacy = min != nil || max != nil
        }
        nullCount = try s.int(3, "Statistics.null_count")
    }
}

/// One column chunk's metadata (`ColumnChunk` + `ColumnMetaData`).
struct ColumnChunkMeta: Sendable {
    var path: [String]
    var type: PhysicalType
    var codec: CompressionCodec
    var valueCount: Int64
    var totalCompressedSize: Int64
    /// The chunk's pages decompressed (headers, levels and dictionary included): what a byte
    /// array column costs in memory, about.
    var totalUncompressedSize: Int64
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64?
    var statistics: ChunkStatistics?
    /// Where the chunk's page index lies (`OffsetIndex`, `ColumnIndex`), when the writer wrote one.
    var offsetIndexRange: Range<Int64>?
    var columnIndexRange: Range<Int64>?

    /// The byte range holding the chunk's pages, dictionary first.
    var byteRange: Range<Int64> {
        let start = dictionaryPageOffset.map { Swift.min($0, dataPageOffset) } ?? dataPageOffset
        return start..<(start + totalCompressedSize)
    }

    init(_ c: ThriftStruct, legacyBoundsUsable: (PhysicalType) -> Bool) throws {
        if try c.string(1, "ColumnChunk.file_path") != nil {
            throw CorruptData("column chunks in other files (ColumnChunk.file_path) are not supported")
        }
        func range(_ offsetField: Int16, _ lengthField: Int16, _ what: String) throws -> Range<Int64>? {
            guard let offset = try c.int(offsetField, "ColumnChunk.\(what)_offset"),
                  let length = try c.int(lengthField, "ColumnChunk.\(what)_length"),
                  offset >= 4, offset < Int64(Int32.max) << 24, length > 0, length <= Int64(Int32.max) else { return nil }
            return offset..<(offset + length)
        }
        offsetIndexRange = try range(4, 5, "offset_index")
        columnIndexRange = try range(6, 7, "column_index")
        guard let m = try c.structure(3, "ColumnChunk.meta_data") else {
            throw CorruptData("column chunk without metadata (encrypted columns are not supported)")
        }
        let rawType = try m.requiredInt(1, "ColumnMetaData.type")
        guard let t = PhysicalType(rawValue: rawType) else { throw CorruptData("unknown physical type \(rawType)") }
        type = t
        path = try (m.list(3, "ColumnMetaData.path_in_schema") ?? []).map {
            guard case .binary(let b) = $0 else { throw CorruptData("path_in_schema holds a non-string") }
            return String(decoding: b, as: UTF8.self)
        }
        let rawCodec = try m.requiredInt(4, "ColumnMetaData.codec")
        guard let codec = CompressionCodec(rawValue: rawCodec) else { throw CorruptData("unknown compression codec \(rawCodec)") }
        self.codec = codec
        valueCount = try m.requiredInt(5, "ColumnMetaData.num_values")
        totalUncompressedSize = try m.requiredInt(6, "ColumnMetaData.total_uncompressed_size")
        totalCompressedSize = try m.requiredInt(7, "ColumnMetaData.total_compressed_size")
        dataPageOffset = try m.requiredInt(9, "ColumnMetaData.data_page_offset")
        dictionaryPageOffset = try m.int(11, "ColumnMetaData.dictionary_page_offset")
        // Some writers record 0 for "no dictionary page"; a page can't start inside the magic.
        if let d = dictionaryPageOffset, d < 4 { dictionaryPageOffset = nil }
        statistics = try m.structure(12, "ColumnMetaData.statistics").map {
            try ChunkStatistics($0, legacyBoundsUsable: legacyBoundsUsable(t))
        }
        guard totalCompressedSize >= 0, totalUncompressedSize >= 0, dataPageOffset >= 4, valueCount >= 0 else {
            throw CorruptData("column chunk has a negative size or offset")
        }
    }
}

/// One row group: its row count and its column chunks in schema-leaf order.
struct RowGroupMeta: Sendable {
    var rowCount: Int64
    var columns: [ColumnChunkMeta]
}

/// The decoded footer of one file.
struct FileMetadata: Sendable {
    var schema: [SchemaElement]
    var rowCount: Int64
    var rowGroups: [RowGroupMeta]
    var createdBy: String?

    init(_ s: ThriftStruct) throws {
        schema = try (s.structs(2, "FileMetaData.schema") ?? []).map(SchemaElement.init)
        guard !schema.isEmpty else { throw CorruptData("the footer has no schema") }
        rowCount = try s.requiredInt(3, "FileMetaData.num_rows")
        createdBy = try s.string(6, "FileMetaData.created_by")
        // Before PARQUET-251 (parquet-mr 1.8, 2015) byte-array min/max were compared as signed bytes;
        // the deprecated fields are trusted only for numeric columns, where the order never changed.
        let legacyOK: (PhysicalType) -> Bool = { $0 != .byteArray && $0 != .fixedLenByteArray }
        rowGroups = try (s.structs(4, "FileMetaData.row_groups") ?? []).map { g in
            RowGroupMeta(rowCount: try g.requiredInt(3, "RowGroup.num_rows"),
                         columns: try (g.structs(1, "RowGroup.columns") ?? []).map { try ColumnChunkMeta($0, legacyBoundsUsable: legacyOK) })
        }
    }
}
