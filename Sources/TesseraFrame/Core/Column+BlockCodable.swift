import Tessera

/// A column crosses processes as its type tag, its buffers copied raw (numbers, the UTF-8 bytes
/// and offsets of text, a dictionary's codes and entries as they are — never re-encoded) and its
/// validity bitmap's words.
///
/// A column parsed from a CSV file loses the way to re-read its original text
/// (`OriginalText`, a closure over the file): a rank that receives it and later promotes it to
/// text renders the numbers instead.
extension Column: BlockCodable {
    private enum Tag: UInt8 { case bool, int64, float64, plainString, dictionaryString, timestamp }

    /// Writes the values and the validity bitmap.
    /// - Parameter writer: where the bytes go.
    /// - Complexity: O(bytes of the buffers), one copy each.
    public func encode(to writer: inout BlockWriter) {
        switch values {
        case .bool(let a): writer.write(Tag.bool.rawValue); writer.write(raw: a)
        case .int64(let a): writer.write(Tag.int64.rawValue); writer.write(raw: a)
        case .float64(let a): writer.write(Tag.float64.rawValue); writer.write(raw: a)
        case .timestamp(let a): writer.write(Tag.timestamp.rawValue); writer.write(raw: a)
        case .string(.plain(let b)):
            writer.write(Tag.plainString.rawValue)
            Self.encode(b, to: &writer)
        case .string(.dictionary(let codes, let dictionary)):
            writer.write(Tag.dictionaryString.rawValue)
            writer.write(raw: codes)
            Self.encode(dictionary, to: &writer)
        }
        writer.write(validity != nil)
        if let v = validity {
            writer.write(Int64(v.count))
            writer.write(raw: v.words)
        }
    }

    static func encode(_ b: StringBuffer, to writer: inout BlockWriter) {
        writer.write(raw: b.offsets)
        writer.write(raw: b.bytes)
    }

    static func decodeStrings(from reader: inout BlockReader) throws -> StringBuffer {
        let offsets = try reader.read(raw: Int.self)
        let bytes = try reader.read(raw: UInt8.self)
        guard offsets.first == 0, offsets.last == bytes.count, zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw BlockCodecError.malformed("string offsets do not fit \(bytes.count) bytes")
        }
        return StringBuffer(offsets: offsets, bytes: bytes)
    }

    /// Reads a column written by `encode(to:)`.
    /// - Parameter reader: the bytes.
    /// - Returns: the column, with the same values, validity and string encoding.
    /// - Throws: `BlockCodecError` when truncated or malformed (a code outside the dictionary,
    ///   a bitmap of the wrong length).
    public static func decode(from reader: inout BlockReader) throws -> Column {
        guard let tag = Tag(rawValue: try reader.read(UInt8.self)) else {
            throw BlockCodecError.malformed("unknown column type tag")
        }
        let values: Values
        switch tag {
        case .bool:
            let a = try reader.read(raw: Bool.self)
            guard a.allSatisfy({ unsafeBitCast($0, to: UInt8.self) <= 1 }) else { throw BlockCodecError.malformed("a Bool value is not 0 or 1") }
            values = .bool(a)
        case .int64: values = .int64(try reader.read(raw: Int64.self))
        case .float64: values = .float64(try reader.read(raw: Double.self))
        case .timestamp: values = .timestamp(try reader.read(raw: Int64.self))
        case .plainString: values = .string(.plain(try decodeStrings(from: &reader)))
        case .dictionaryString:
            let codes = try reader.read(raw: Int32.self)
            let dictionary = try decodeStrings(from: &reader)
            guard codes.allSatisfy({ $0 >= -1 && Int($0) < dictionary.count }) else {
                throw BlockCodecError.malformed("a dictionary code outside \(dictionary.count) entries")
            }
            values = .string(.dictionary(codes: codes, dictionary: dictionary))
        }
        var validity: Bitmap?
        if try reader.read(Bool.self) {
            let count = try reader.readCount()
            let words = try reader.read(raw: UInt64.self)
            guard words.count == (count + 63) >> 6 else { throw BlockCodecError.malformed("\(words.count) bitmap words for \(count) bits") }
            validity = Bitmap(words: words, count: count)
        }
        let column = Column(values: values, validity: nil)
        guard validity.map({ $0.count == column.count }) ?? true else {
            throw BlockCodecError.malformed("a validity bitmap of \(validity!.count) bits for \(column.count) values")
        }
        return Column(values: values, validity: validity)
    }
}

/// A table crosses processes as its row count, its column names and its columns.
extension Table: BlockCodable {
    /// Writes the row count, the names and every column.
    /// - Parameter writer: where the bytes go.
    /// - Complexity: O(bytes of the columns).
    public func encode(to writer: inout BlockWriter) {
        writer.write(Int64(rowCount))
        writer.write(Int64(columnCount))
        for (name, column) in zip(names, columns) {
            writer.write(name)
            column.encode(to: &writer)
        }
    }

    /// Reads a table written by `encode(to:)`.
    /// - Parameter reader: the bytes.
    /// - Returns: the table.
    /// - Throws: `BlockCodecError` when truncated or malformed (columns of different lengths,
    ///   duplicate names).
    public static func decode(from reader: inout BlockReader) throws -> Table {
        let rows = try reader.readCount()
        let n = try reader.readCount(limit: reader.remaining)
        var names: [String] = []
        var columns: [Column] = []
        for _ in 0..<n {
            names.append(try reader.read(String.self))
            columns.append(try Column.decode(from: &reader))
        }
        do {
            return try Table(names: names, columns: columns, rowCount: rows)
        } catch {
            throw BlockCodecError.malformed("\(error)")
        }
    }
}
