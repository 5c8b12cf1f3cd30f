extension CSVError {
    /// Where in the file the error is, for reporting the first of several in file order; nil for
    /// errors about a whole file or an option.
    var position: (line: Int, column: Int)? {
        switch self {
        case .raggedRow(_, let l, _, _): return (l, 0)
        case .unterminatedQuote(_, let l, let c), .badValue(_, let l, let c, _, _, _), .invalidUTF8(_, let l, let c, _, _, _):
            return (l, c)
        default: return nil
        }
    }
}
