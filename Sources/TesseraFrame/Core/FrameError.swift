/// Errors of frame operations (CSV errors are `CSVError`).
public enum FrameError: Error, Equatable, CustomStringConvertible {
    /// A column name that isn't there; lists the columns that are.
    case unknownColumn(String, available: [String])
    /// An operation that doesn't apply to a column's type.
    case typeMismatch(column: String, expected: String, found: DataType)
    /// Two frames or partitions whose columns don't line up.
    case schemaMismatch(String)
    /// A value that can't be converted by `astype` or `fillna`.
    case invalidConversion(column: String, row: Int, value: String, to: DataType)
    /// Anything else the caller got wrong (bad argument).
    case invalidArgument(String)
    /// Columns of different lengths in one table.
    case lengthMismatch(column: String, count: Int, expected: Int)
    /// An I/O failure while writing.
    case io(path: String, message: String)
    /// An int64 sum that doesn't fit in 64 bits, naming the column and the group's key.
    case overflow(column: String, group: String)

    /// What went wrong, naming the column, key or path involved.
    public var description: String {
        switch self {
        case .unknownColumn(let name, let available):
            return "no column named '\(name)'; the columns are: \(available.joined(separator: ", "))"
        case .typeMismatch(let c, let expected, let found):
            return "column '\(c)' is \(found), expected \(expected)"
        case .schemaMismatch(let m): return "schema mismatch: \(m)"
        case .invalidConversion(let c, let row, let v, let t):
            return "column '\(c)', row \(row): cannot convert '\(v)' to \(t)"
        case .invalidArgument(let m): return m
        case .lengthMismatch(let c, let n, let e):
            return "column '\(c)' has \(n) rows, expected \(e)"
        case .io(let p, let m): return "\(p): \(m)"
        case .overflow(let c, let g):
            return "column '\(c)', group \(g): int64 sum overflows (convert the column with astype(.float64) for a float sum)"
        }
    }
}
