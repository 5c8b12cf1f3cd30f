/// What `readCSV` does with a row that has more fields than the header (pandas' `on_bad_lines`).
/// A row with fewer fields is not bad: it is padded with missing values, as pandas does.
public enum OnBadLines: String, Sendable {
    /// Throw `CSVError.raggedRow` naming file, line and column (the default).
    case error
    /// Drop the row silently.
    case skip
    /// Drop the row and print a warning naming file and line to standard error.
    case warn
}

/// What `readCSV` does when files don't have the same columns in the same order.
public enum ColumnMismatch: String, Sendable {
    /// Throw `CSVError.columnMismatch` naming both files (the default).
    case error
    /// Take the union of the columns (in order of first appearance); a file without a column
    /// gives missing values there.
    case union
}

/// What `readCSV` does with text that isn't valid UTF-8.
public enum InvalidUTF8: String, Sendable {
    /// Throw `CSVError.invalidUTF8` naming file, line and column (the default, as pandas raises
    /// `UnicodeDecodeError`).
    case error
    /// Keep the bytes exactly: distinct byte strings stay distinct keys, and `Table.csvBytes`
    /// writes them back unchanged (a Swift `String` of such a value shows U+FFFD in their place).
    case keepBytes
}

/// Options of `readCSV`, named as in pandas.
///
/// ```swift
/// var options = CSVOptions()
/// options.usecols = ["Origin", "DepDelay"]
/// options.dtypes = ["DepDelay": .float64]
/// let df = try readCSV("flights/", options: options)
/// ```
public struct CSVOptions: Sendable {
    /// Whether the first line (after `skipRows`) holds the column names. Without a header, columns
    /// are named `names`, or "0", "1", … as pandas' `header=None` does.
    public var header: Bool = true
    /// Column names to use instead of the header's (or when there is none).
    public var names: [String]? = nil
    /// The field separator (one ASCII byte).
    public var delimiter: Character = ","
    /// The quote character (one ASCII byte); RFC 4180 quoting with doubled quotes inside.
    public var quote: Character = "\""
    /// Only these columns are kept; the others are skipped at the byte level and never converted.
    public var usecols: [String]? = nil
    /// Explicit column types; a value that doesn't fit is an error naming file, line and column.
    public var dtypes: [String: DataType] = [:]
    /// Columns to parse as ISO 8601 timestamps (a column that doesn't parse stays text).
    public var parseDates: [String] = []
    /// The spellings of a missing value (pandas' defaults: empty, NA, N/A, NaN, nan, null, NULL,
    /// None, #N/A, <NA>, …). Missing values set the validity bit and don't change the type.
    public var naValues: Set<String> = CSVOptions.pandasNAValues
    /// Lines to skip at the start of each file, before the header.
    public var skipRows: Int = 0
    /// Read at most this many data rows from each file (its files are then not split).
    public var nRows: Int? = nil
    /// Files larger than this many bytes are split into several partitions at row starts
    /// (found quote-aware): the fewest that hold at most `blocksize` bytes each, of equal size
    /// (a 100 MB file: two partitions of 50 MB). Default 64 MiB; at least 64 KiB (smaller values are raised to it:
    /// a partition per few bytes costs a task each and parses nothing faster), at most 1 GiB.
    public var blocksize: Int = 64 << 20
    /// The smallest block size `blocksize` is raised to (internal: tests lower it to cut small
    /// files into many partitions).
    var minimumBlocksize: Int = 64 << 10
    /// What to do with rows that have more fields than the header (rows with fewer are padded
    /// with missing values).
    public var onBadLines: OnBadLines = .error
    /// What to do when files have different columns.
    public var columnMismatch: ColumnMismatch = .error
    /// What to do with text that isn't valid UTF-8: an error naming file, line and column
    /// (default), or keep the bytes.
    public var invalidUTF8: InvalidUTF8 = .error
    /// Text columns with at most this fraction of distinct values (and any column with at
    /// most 256 distinct values) are dictionary-encoded.
    public var dictionaryRatio: Double = 0.5
    /// Bytes a partition streams through at a time (internal: tests shrink it to cross window
    /// edges often).
    var windowBytes: Int = 1 << 20
    /// Whether quote-free rows take the tokenizer's fast path (internal: tests compare both).
    var fastTokenizer = true

    /// The defaults, as pandas' `read_csv` has them: comma-separated, a header line, pandas'
    /// missing-value spellings, every column, types inferred, 64 MiB partitions.
    public init() {}

    /// `blocksize` within its limits: at least `minimumBlocksize`, at most 1 GiB.
    var effectiveBlocksize: Int { Swift.min(Swift.max(blocksize, minimumBlocksize), maxBlockBytes) }

    /// pandas' default missing-value spellings (`pandas._libs.parsers.STR_NA_VALUES`).
    public static let pandasNAValues: Set<String> = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
        "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    ]

    /// The delimiter as a byte. - Throws: `CSVError.invalidOption` when it isn't one ASCII byte.
    func byte(_ c: Character, _ what: String) throws -> UInt8 {
        guard let a = c.asciiValue, a != 10, a != 13 else {
            throw CSVError.invalidOption("\(what) must be one ASCII character other than CR or LF, got '\(c)'")
        }
        return a
    }
}
