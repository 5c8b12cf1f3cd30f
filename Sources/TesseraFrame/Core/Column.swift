/// One column of one partition: a typed contiguous buffer and a validity bitmap.
///
/// Missing values have their validity bit cleared (`validity == nil` means none is missing); the
/// buffer still holds a placeholder there (0, NaN, `false`, an empty string, dictionary code -1),
/// so kernels can run branch-free over the buffer and consult the bitmap only where it matters.
///
/// ```swift
/// let delays = Column(float64: [1.5, nil, -3])
/// delays.count        // 3
/// delays.nullCount    // 1
/// delays[1]           // .missing
/// ```
public struct Column: Sendable {
    /// The values, one buffer per type. Kernels switch on this once per column, never per value.
    public enum Values: Sendable {
        /// A bool column.
        case bool([Bool])
        /// An int64 column.
        case int64([Int64])
        /// A float64 column.
        case float64([Double])
        /// A text column.
        case string(StringValues)
        /// Microseconds since 1970-01-01T00:00:00Z.
        case timestamp([Int64])
    }

    /// The values of a text column, plain or dictionary-encoded.
    public enum StringValues: Sendable {
        /// One entry per row.
        case plain(StringBuffer)
        /// `codes[i]` indexes `dictionary` (-1 where the row is missing). Chosen automatically by the
        /// CSV reader for columns with few distinct values; group-by on it is an array index.
        case dictionary(codes: [Int32], dictionary: StringBuffer)

        /// The number of rows.
        public var count: Int {
            switch self {
            case .plain(let b): return b.count
            case .dictionary(let codes, _): return codes.count
            }
        }

        /// The string of row `i` (the placeholder for missing rows is "").
        public subscript(i: Int) -> String {
            switch self {
            case .plain(let b): return b[i]
            case .dictionary(let codes, let d): return codes[i] < 0 ? "" : d[Int(codes[i])]
            }
        }

        /// Calls `body` with the UTF-8 bytes of row `i`.
        @inlinable
        public func withBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
            switch self {
            case .plain(let b): return try b.withBytes(i, body)
            case .dictionary(let codes, let d):
                if codes[i] < 0 { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
                return try d.withBytes(Int(codes[i]), body)
            }
        }
    }

    /// The values.
    public var values: Values { didSet { originalText = nil } }
    /// The validity bitmap: bit `i` set when row `i` has a value; nil when no value is missing.
    public var validity: Bitmap? { didSet { originalText = nil } }
    /// Where the text these values were parsed from can be read again, when they came from a
    /// file (see `OriginalText`); dropped by any change to the values.
    var originalText: OriginalText?

    /// A column from its buffer and validity. A validity with every bit set is dropped.
    public init(values: Values, validity: Bitmap? = nil) {
        self.values = values
        if let v = validity, v.allSet { self.validity = nil } else { self.validity = validity }
        if let v = self.validity { precondition(v.count == count, "validity of \(v.count) bits for \(count) values") }
    }

    /// The type of the values.
    public var type: DataType {
        switch values {
        case .bool: return .bool
        case .int64: return .int64
        case .float64: return .float64
        case .string: return .string
        case .timestamp: return .timestamp
        }
    }

    /// The number of rows.
    public var count: Int {
        switch values {
        case .bool(let a): return a.count
        case .int64(let a): return a.count
        case .float64(let a): return a.count
        case .string(let s): return s.count
        case .timestamp(let a): return a.count
        }
    }

    /// How many values are missing. - Complexity: O(count / 64).
    public var nullCount: Int { validity.map { count - $0.nonzeroBitCount } ?? 0 }

    /// Whether row `i` has a value.
    @inlinable public func isValid(_ i: Int) -> Bool { validity?[i] ?? true }

    /// Whether the column is dictionary-encoded text.
    public var isDictionaryEncoded: Bool {
        if case .string(.dictionary) = values { return true }
        return false
    }

    /// Row `i` as a `Value` (convenient, not for hot loops).
    public subscript(i: Int) -> Value {
        if !isValid(i) { return .missing }
        switch values {
        case .bool(let a): return .bool(a[i])
        case .int64(let a): return .int64(a[i])
        case .float64(let a): return .float64(a[i])
        case .string(let s): return .string(s[i])
        case .timestamp(let a): return .timestamp(a[i])
        }
    }

    /// All rows as `Value`s.
    public var elements: [Value] { (0..<count).map { self[$0] } }
}

// MARK: - Convenience initialisers (tests, small frames, results of aggregations)

extension Column {
    /// A column of integers; nil entries are missing.
    public init(int64 items: [Int64?]) {
        self.init(values: .int64(items.map { $0 ?? 0 }), validity: Bitmap(items.map { $0 != nil }))
    }
    /// A column of doubles; nil entries are missing.
    public init(float64 items: [Double?]) {
        // A NaN is a missing value, as in pandas.
        self.init(values: .float64(items.map { $0 ?? .nan }), validity: Bitmap(items.map { $0.map { !$0.isNaN } ?? false }))
    }
    /// A column of booleans; nil entries are missing.
    public init(bool items: [Bool?]) {
        self.init(values: .bool(items.map { $0 ?? false }), validity: Bitmap(items.map { $0 != nil }))
    }
    /// A column of timestamps (microseconds since the Unix epoch); nil entries are missing.
    public init(timestamp items: [Int64?]) {
        self.init(values: .timestamp(items.map { $0 ?? 0 }), validity: Bitmap(items.map { $0 != nil }))
    }
    /// A plain text column; nil entries are missing.
    public init(string items: [String?]) {
        self.init(values: .string(.plain(StringBuffer(items.map { $0 ?? "" }))), validity: Bitmap(items.map { $0 != nil }))
    }
    /// A dictionary-encoded text column; nil entries are missing.
    public init(dictionaryEncoding items: [String?]) {
        var index: [[UInt8]: Int32] = [:]  // keyed by bytes: String's == would merge Unicode forms
        var dict = StringBuffer()
        var codes: [Int32] = []
        codes.reserveCapacity(items.count)
        for item in items {
            guard let s = item else { codes.append(-1); continue }
            if let c = index[Array(s.utf8)] { codes.append(c) } else {
                let c = Int32(dict.count)
                index[Array(s.utf8)] = c
                dict.append(s)
                codes.append(c)
            }
        }
        self.init(values: .string(.dictionary(codes: codes, dictionary: dict)), validity: Bitmap(items.map { $0 != nil }))
    }
    /// A column of `count` missing values of `type`.
    public init(missing type: DataType, count: Int) {
        let values: Values
        switch type {
        case .bool: values = .bool(.init(repeating: false, count: count))
        case .int64: values = .int64(.init(repeating: 0, count: count))
        case .float64: values = .float64(.init(repeating: .nan, count: count))
        case .timestamp: values = .timestamp(.init(repeating: 0, count: count))
        case .string: values = .string(.dictionary(codes: .init(repeating: -1, count: count), dictionary: StringBuffer()))
        }
        self.init(values: values, validity: count == 0 ? nil : Bitmap(count: count, value: false))
    }
}

/// One cell of a frame, for printing, tests and small results. Kernels use the typed buffers instead.
public enum Value: Sendable, Hashable, CustomStringConvertible {
    /// A missing value (pandas' `NA`).
    case missing
    /// A bool.
    case bool(Bool)
    /// A 64-bit integer.
    case int64(Int64)
    /// A double.
    case float64(Double)
    /// A string.
    case string(String)
    /// Microseconds since the Unix epoch.
    case timestamp(Int64)

    /// Whether the value is missing.
    public var isMissing: Bool { if case .missing = self { return true } else { return false } }

    /// The value as a Double when it is numeric (bool counts as 0/1).
    public var doubleValue: Double? {
        switch self {
        case .int64(let v): return Double(v)
        case .float64(let v): return v
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// The text a CSV writer prints: empty for missing, shortest round-trip for doubles,
    /// ISO 8601 for timestamps.
    public var description: String {
        switch self {
        case .missing: return ""
        case .bool(let b): return b ? "True" : "False"
        case .int64(let v): return String(v)
        case .float64(let v): return formatDouble(v)
        case .string(let s): return s
        case .timestamp(let t): return formatTimestamp(t)
        }
    }
}

extension Value {
    /// Equal when the same case holds the same data; text compares as UTF-8 bytes, not as
    /// Unicode-canonical `String`s, so "\u{E9}" and "e\u{301}" are two values, as in pandas.
    public static func == (a: Value, b: Value) -> Bool {
        switch (a, b) {
        case (.missing, .missing): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int64(let x), .int64(let y)): return x == y
        case (.float64(let x), .float64(let y)): return x == y
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.timestamp(let x), .timestamp(let y)): return x == y
        default: return false
        }
    }

    /// Hashes what `==` compares: text by its UTF-8 bytes.
    public func hash(into h: inout Hasher) {
        switch self {
        case .missing: h.combine(0)
        case .bool(let x): h.combine(1); h.combine(x)
        case .int64(let x): h.combine(2); h.combine(x)
        case .float64(let x): h.combine(3); h.combine(x)
        case .string(let x):
            h.combine(4)
            var s = x
            s.withUTF8 { h.combine(bytes: UnsafeRawBufferPointer($0)) }
        case .timestamp(let x): h.combine(5); h.combine(x)
        }
    }
}

/// Shortest round-trip text of a double, with pandas-style `inf`/`-inf`/`nan` spellings.
public func formatDouble(_ v: Double) -> String {
    if v.isNaN { return "nan" }
    if v.isInfinite { return v > 0 ? "inf" : "-inf" }
    return "\(v)"
}
