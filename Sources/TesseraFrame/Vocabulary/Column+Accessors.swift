// Typed views of a column's values for code that reads results: `t["DepDelay_mean"]!.doubles`
// instead of a switch over `Column.values`.

extension Column {
    /// The values as doubles, `nil` where a value is missing.
    ///
    /// Int64 values convert (exactly up to 2^53, rounded beyond), bools are 0 and 1. A text or
    /// timestamp column holds no numbers: every entry is `nil`.
    ///
    /// ```swift
    /// let means: [Double?] = table["DepDelay_mean"]!.doubles
    /// ```
    /// - Complexity: O(count).
    public var doubles: [Double?] {
        switch values {
        case .float64(let a): return a.indices.map { isValid($0) ? a[$0] : nil }
        case .int64(let a): return a.indices.map { isValid($0) ? Double(a[$0]) : nil }
        case .bool(let a): return a.indices.map { isValid($0) ? (a[$0] ? 1 : 0) : nil }
        case .string, .timestamp: return [Double?](repeating: nil, count: count)
        }
    }

    /// The values as 64-bit integers, `nil` where a value is missing.
    ///
    /// Bools are 0 and 1, timestamps their microseconds since the epoch; a double converts only
    /// when it is a whole number in range (`2.5` gives `nil`). A text column gives all `nil`.
    /// - Complexity: O(count).
    public var ints: [Int64?] {
        switch values {
        case .int64(let a), .timestamp(let a): return a.indices.map { isValid($0) ? a[$0] : nil }
        case .bool(let a): return a.indices.map { isValid($0) ? (a[$0] ? 1 : 0) : nil }
        case .float64(let a): return a.indices.map { isValid($0) ? Int64(exactly: a[$0]) : nil }
        case .string: return [Int64?](repeating: nil, count: count)
        }
    }

    /// The values as text, `nil` where a value is missing: a text column's strings, and for other
    /// types the text a CSV writer prints (`1.5`, `True`, ISO 8601 timestamps).
    /// - Complexity: O(count).
    public var strings: [String?] {
        if case .string(let s) = values { return (0..<count).map { isValid($0) ? s[$0] : nil } }
        return (0..<count).map { isValid($0) ? self[$0].description : nil }
    }

    /// The values as bools, `nil` where a value is missing; numbers are `true` when non-zero,
    /// text and timestamps give `nil`.
    /// - Complexity: O(count).
    public var bools: [Bool?] {
        switch values {
        case .bool(let a): return a.indices.map { isValid($0) ? a[$0] : nil }
        case .int64(let a): return a.indices.map { isValid($0) ? a[$0] != 0 : nil }
        case .float64(let a): return a.indices.map { isValid($0) ? a[$0] != 0 : nil }
        case .string, .timestamp: return [Bool?](repeating: nil, count: count)
        }
    }
}
