/// The type of a column's values.
///
/// Inference picks the narrowest of bool, int64, float64 (int64 ⊂ float64), string that holds every value;
/// `timestamp` comes only from `parseDates` or an explicit dtype. Columns of different types
/// unify by promotion (`unified(with:)`), never by failing.
public enum DataType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `true`/`false` (also `True`, `TRUE`, …).
    case bool
    /// 64-bit signed integers.
    case int64
    /// IEEE 754 doubles.
    case float64
    /// UTF-8 text, dictionary-encoded when a column has few distinct values.
    case string
    /// Instants as microseconds since 1970-01-01T00:00:00Z.
    case timestamp

    /// The name used by `tessera schema` and dtype options: `int64`, `float64`, `bool`, `string`, `timestamp`.
    public var description: String { rawValue }

    /// Parses a dtype name; accepts the pandas spellings `int`, `float`, `str`, `object`, `datetime64`.
    public init?(name: String) {
        switch name.lowercased() {
        case "bool", "boolean": self = .bool
        case "int64", "int", "integer", "i8": self = .int64
        case "float64", "float", "double", "f8": self = .float64
        case "string", "str", "object", "text", "category": self = .string
        case "timestamp", "datetime", "datetime64", "date": self = .timestamp
        default: return nil
        }
    }

    /// Whether values are numbers (`int64` or `float64`).
    public var isNumeric: Bool { self == .int64 || self == .float64 }

    /// The narrowest type that holds the values of both: int64 with float64 gives float64;
    /// any other pair of different types (bool with a number, a timestamp with anything else,
    /// anything with string) gives string — the same answer inference gives when the values
    /// meet in one partition, so results don't depend on where partitions split.
    public func unified(with other: DataType) -> DataType {
        if self == other { return self }
        if (self == .int64 && other == .float64) || (self == .float64 && other == .int64) { return .float64 }
        return .string
    }
}
