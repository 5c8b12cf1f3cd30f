/// A page header (`PageHeader` and the header of its kind), decoded.
struct PageHeader: Sendable {
    var type: PageType
    var uncompressedSize: Int
    var compressedSize: Int
    var crc: UInt32?
    /// Values (levels, for v1 pages; rows for flat columns) in the page.
    var valueCount: Int
    var encoding: Encoding
    /// DATA_PAGE_V2 only: the level byte lengths (stored uncompressed) and whether the values are compressed.
    var definitionLevelsLength = 0
    var repetitionLevelsLength = 0
    var isCompressed = true
    /// DATA_PAGE v1 only: the encoding of the definition levels.
    var definitionLevelEncoding: Encoding = .rle

    init(_ s: ThriftStruct) throws {
        let rawType = try s.requiredInt(1, "PageHeader.type")
        guard let t = PageType(rawValue: rawType) else { throw CorruptData("unknown page type \(rawType)") }
        type = t
        uncompressedSize = Int(try s.requiredInt(2, "PageHeader.uncompressed_page_size"))
        compressedSize = Int(try s.requiredInt(3, "PageHeader.compressed_page_size"))
        guard uncompressedSize >= 0, compressedSize >= 0 else { throw CorruptData("negative page size") }
        crc = try s.int(4, "PageHeader.crc").map { UInt32(truncatingIfNeeded: $0) }
        func encoding(_ raw: Int64) throws -> Encoding {
            guard let e = Encoding(rawValue: raw) else { throw CorruptData("unknown encoding \(raw)") }
            return e
        }
        switch t {
        case .dataPage:
            guard let h = try s.structure(5, "PageHeader.data_page_header") else { throw CorruptData("data page without its header") }
            valueCount = Int(try h.requiredInt(1, "DataPageHeader.num_values"))
            self.encoding = try encoding(h.requiredInt(2, "DataPageHeader.encoding"))
            definitionLevelEncoding = try encoding(h.requiredInt(3, "DataPageHeader.definition_level_encoding"))
        case .dictionaryPage:
            guard let h = try s.structure(7, "PageHeader.dictionary_page_header") else { throw CorruptData("dictionary page without its header") }
            valueCount = Int(try h.requiredInt(1, "DictionaryPageHeader.num_values"))
            self.encoding = try encoding(h.requiredInt(2, "DictionaryPageHeader.encoding"))
        case .dataPageV2:
            guard let h = try s.structure(8, "PageHeader.data_page_header_v2") else { throw CorruptData("v2 data page without its header") }
            valueCount = Int(try h.requiredInt(1, "DataPageHeaderV2.num_values"))
            self.encoding = try encoding(h.requiredInt(4, "DataPageHeaderV2.encoding"))
            definitionLevelsLength = Int(try h.requiredInt(5, "DataPageHeaderV2.definition_levels_byte_length"))
            repetitionLevelsLength = Int(try h.requiredInt(6, "DataPageHeaderV2.repetition_levels_byte_length"))
            isCompressed = try h.bool(7, "DataPageHeaderV2.is_compressed") ?? true
            guard definitionLevelsLength >= 0, repetitionLevelsLength >= 0,
                  definitionLevelsLength + repetitionLevelsLength <= compressedSize else {
                throw CorruptData("v2 page levels longer than the page")
            }
        case .indexPage:
            valueCount = 0
            self.encoding = .plain
        }
        guard valueCount >= 0 else { throw CorruptData("negative value count") }
    }
}
