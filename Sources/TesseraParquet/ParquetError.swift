/// What went wrong reading or writing a Parquet file, naming the file and, where it applies, the
/// row group, column and page, so that a corrupt file is located without a debugger.
///
/// Every malformed input the reader can meet (a truncated file, wrong magic bytes, a footer
/// length past the file, corrupt Thrift, a page whose decompressed size lies, a bad CRC,
/// dictionary indices out of range, more levels than the page holds) surfaces as one of these,
/// never as a crash or an over-read.
public struct ParquetError: Error, Equatable, CustomStringConvertible {
    /// The file involved.
    public var path: String
    /// The row group, when the error is inside one.
    public var rowGroup: Int?
    /// The column's dotted path, when the error is inside a column chunk.
    public var column: String?
    /// The page's position in its column chunk (0 is the first page, dictionary included).
    public var page: Int?
    /// What is wrong, in words.
    public var message: String

    /// An error about `path`; the location fields may be filled in later by `located(…)`.
    /// - Parameters:
    ///   - path: the file involved.
    ///   - rowGroup: the row group, if known.
    ///   - column: the column's dotted path, if known.
    ///   - page: the page's position in its column chunk, if known.
    ///   - message: what is wrong.
    public init(path: String, rowGroup: Int? = nil, column: String? = nil, page: Int? = nil, message: String) {
        self.path = path
        self.rowGroup = rowGroup
        self.column = column
        self.page = page
        self.message = message
    }

    /// `file.parquet, row group 2, column 'Origin', page 5: message`.
    public var description: String {
        var s = path
        if let g = rowGroup { s += ", row group \(g)" }
        if let c = column { s += ", column '\(c)'" }
        if let p = page { s += ", page \(p)" }
        return s + ": " + message
    }
}

/// A decoding failure before the file and position are known; `ParquetError` is built from it
/// where they are. Kept separate so that the byte-level decoders don't carry paths around.
struct CorruptData: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

extension ParquetError {
    /// Runs `body`, turning a `CorruptData` it throws into a `ParquetError` at this location.
    static func locating<T>(path: String, rowGroup: Int? = nil, column: String? = nil, page: Int? = nil,
                            _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as CorruptData {
            throw ParquetError(path: path, rowGroup: rowGroup, column: column, page: page, message: e.message)
        }
    }
}
