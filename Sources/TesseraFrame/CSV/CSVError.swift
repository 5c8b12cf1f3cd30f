/// Errors of reading and writing CSV. Messages start with `file:line:column:` where they apply
/// (lines 1-based, the header counted; columns 1-based).
public enum CSVError: Error, Equatable, CustomStringConvertible {
    /// A row with more or fewer fields than the header.
    case raggedRow(file: String, line: Int, expected: Int, found: Int)
    /// A quoted field that never closes.
    case unterminatedQuote(file: String, line: Int, column: Int)
    /// A value that doesn't fit the column's explicit dtype.
    case badValue(file: String, line: Int, column: Int, name: String, value: String, type: DataType)
    /// A file that can't be opened or read.
    case unreadable(file: String, reason: String)
    /// A directory without CSV files, or a glob that matches nothing.
    case noFiles(String)
    /// A file with no header line.
    case emptyFile(file: String)
    /// Files whose columns differ.
    case columnMismatch(file: String, columns: [String], otherFile: String, otherColumns: [String])
    /// A `usecols`, `dtypes` or `parseDates` name that isn't a column.
    case unknownColumn(file: String, name: String, available: [String])
    /// A bad option value.
    case invalidOption(String)
    /// Text that isn't valid UTF-8 (`CSVOptions.invalidUTF8 == .error`); `byteOffset` is where in
    /// the field the bad byte is.
    case invalidUTF8(file: String, line: Int, column: Int, name: String, byteOffset: Int, value: String)

    /// `file:line:column: message`, as the command line prints it.
    public var description: String {
        switch self {
        case .raggedRow(let f, let l, let e, let n):
            return "\(f):\(l):\(min(n, e) + 1): expected \(e) fields, saw \(n)"
        case .unterminatedQuote(let f, let l, let c):
            return "\(f):\(l):\(c): unterminated quoted field (a quote opened here never closes)"
        case .badValue(let f, let l, let c, let name, let v, let t):
            return "\(f):\(l):\(c): column '\(name)': cannot parse '\(v)' as \(t)"
        case .unreadable(let f, let r): return "\(f): cannot read: \(r)"
        case .noFiles(let p): return "\(p): no CSV files found"
        case .emptyFile(let f): return "\(f):1:1: empty file (no header line)"
        case .columnMismatch(let f, let c, let g, let d):
            return "\(g):1:1: columns \(d) differ from \(f)'s \(c); pass columnMismatch: .union (--column-mismatch union) to take the union"
        case .unknownColumn(let f, let n, let a):
            return "\(f):1:1: no column named '\(n)'; the columns are: \(a.joined(separator: ", "))"
        case .invalidOption(let m): return "invalid option: \(m)"
        case .invalidUTF8(let f, let l, let c, let name, let at, let v):
            return "\(f):\(l):\(c): column '\(name)': invalid UTF-8 at byte \(at) of '\(v)' (pass invalidUTF8: .keepBytes / --invalid-utf8 keep to keep the bytes as they are)"
        }
    }
}
