// The enumerations of parquet.thrift that the reader and writer act on, with their wire values.

/// A column's physical (storage) type.
enum PhysicalType: Int64, Sendable {
    case boolean = 0, int32, int64, int96, float, double, byteArray, fixedLenByteArray
}

/// How a page's values are encoded.
enum Encoding: Int64, Sendable {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, deltaBinaryPacked = 5
    case deltaLengthByteArray = 6, deltaByteArray = 7, rleDictionary = 8, byteStreamSplit = 9
}

/// How a column chunk's pages are compressed.
enum CompressionCodec: Int64, Sendable {
    case uncompressed = 0, snappy = 1, gzip = 2, lzo = 3, brotli = 4, lz4 = 5, zstd = 6, lz4Raw = 7
}

/// Whether a schema node may be missing or repeated.
enum Repetition: Int64, Sendable {
    case required = 0, optional = 1, repeated = 2
}

/// The kind of a page.
enum PageType: Int64, Sendable {
    case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3
}

/// The legacy annotation (`ConvertedType`), used when a column has no `LogicalType`.
enum ConvertedType: Int64, Sendable {
    case utf8 = 0, map, mapKeyValue, list, enumeration, decimal, date, timeMillis, timeMicros
    case timestampMillis, timestampMicros, uint8, uint16, uint32, uint64, int8, int16, int32, int64
    case json, bson, interval
}
