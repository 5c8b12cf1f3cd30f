/// A column expression: what `df["DepDelay"] > 15 && df["Origin"] == "JFK"` builds.
///
/// Expressions are descriptions; `filter`, `assign` and friends evaluate them on each partition
/// with one vectorised pass per operator over the typed buffers (comparisons on dictionary-encoded
/// text compare each distinct value once, then map the codes).
///
/// Missing values follow pandas: arithmetic with a missing operand is missing; a comparison with a
/// missing operand is false (`!=` is true); `&&`/`||` treat missing as false.
///
/// ```swift
/// let late = try df.filter(df["DepDelay"] > 15 && df["Origin"] == "JFK")
/// let withGain = try df.assign("Gain", df["DepDelay"] - df["ArrDelay"])
/// ```
public indirect enum Expr: Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral
{
    /// A column by name.
    case column(String)
    /// A constant.
    case literal(Value)
    /// Arithmetic: `+ - * /` (int64 with int64 stays int64 except `/`; anything else is float64).
    case arithmetic(ArithmeticOperator, Expr, Expr)
    /// A comparison giving a bool column.
    case comparison(ComparisonOperator, Expr, Expr)
    /// Logical and / or of bool columns.
    case and(Expr, Expr)
    /// Logical or of bool columns.
    case or(Expr, Expr)
    /// Logical not of a bool column (missing stays false).
    case not(Expr)
    /// Whether each value is missing (`isna`).
    case isMissing(Expr)

    /// The operator of an ``Expr/arithmetic(_:_:_:)`` node: `add` (`+`), `subtract` (`-`),
    /// `multiply` (`*`) or `divide` (`/`); the raw value is the symbol.
    public enum ArithmeticOperator: String, Sendable { case add = "+", subtract = "-", multiply = "*", divide = "/" }
    /// The operator of an ``Expr/comparison(_:_:_:)`` node: `lt` (`<`), `le` (`<=`), `gt` (`>`),
    /// `ge` (`>=`), `eq` (`==`) or `ne` (`!=`); the raw value is the symbol.
    public enum ComparisonOperator: String, Sendable { case lt = "<", le = "<=", gt = ">", ge = ">=", eq = "==", ne = "!=" }

    /// An int64 constant, so that `df["x"] > 15` needs no wrapping.
    public init(integerLiteral value: Int64) { self = .literal(.int64(value)) }
    /// A float64 constant.
    public init(floatLiteral value: Double) { self = .literal(.float64(value)) }
    /// A string constant, so that `df["Origin"] == "JFK"` needs no wrapping.
    public init(stringLiteral value: String) { self = .literal(.string(value)) }
    /// A bool constant.
    public init(booleanLiteral value: Bool) { self = .literal(.bool(value)) }

    /// A column by name (same as `df["name"]`).
    public static func col(_ name: String) -> Expr { .column(name) }

    /// The column names the expression reads.
    public var columns: [String] {
        switch self {
        case .column(let n): return [n]
        case .literal: return []
        case .arithmetic(_, let a, let b), .comparison(_, let a, let b), .and(let a, let b), .or(let a, let b):
            return a.columns + b.columns
        case .not(let a), .isMissing(let a): return a.columns
        }
    }

    /// Whether each value is missing.
    public func isna() -> Expr { .isMissing(self) }
    /// Whether each value is present.
    public func notna() -> Expr { .not(.isMissing(self)) }

    /// The expression as code, such as `(df["DepDelay"] > 15)`.
    public var description: String {
        switch self {
        case .column(let n): return "df[\"\(n)\"]"
        case .literal(let v):
            if case .string(let s) = v { return "\"\(s)\"" }
            return v.description
        case .arithmetic(let op, let a, let b): return "(\(a) \(op.rawValue) \(b))"
        case .comparison(let op, let a, let b): return "(\(a) \(op.rawValue) \(b))"
        case .and(let a, let b): return "(\(a) && \(b))"
        case .or(let a, let b): return "(\(a) || \(b))"
        case .not(let a): return "!\(a)"
        case .isMissing(let a): return "\(a).isna()"
        }
    }

    /// The element-wise sum; int64 + int64 stays int64, anything else is float64.
    public static func + (a: Expr, b: Expr) -> Expr { .arithmetic(.add, a, b) }
    /// The element-wise difference; int64 - int64 stays int64, anything else is float64.
    public static func - (a: Expr, b: Expr) -> Expr { .arithmetic(.subtract, a, b) }
    /// The element-wise product; int64 * int64 stays int64, anything else is float64.
    public static func * (a: Expr, b: Expr) -> Expr { .arithmetic(.multiply, a, b) }
    /// The element-wise quotient, always float64.
    public static func / (a: Expr, b: Expr) -> Expr { .arithmetic(.divide, a, b) }
    /// Whether each value of `a` is less than `b`: a bool column; a filter counts missing rows as false.
    public static func < (a: Expr, b: Expr) -> Expr { .comparison(.lt, a, b) }
    /// Whether each value of `a` is at most `b`: a bool column; a filter counts missing rows as false.
    public static func <= (a: Expr, b: Expr) -> Expr { .comparison(.le, a, b) }
    /// Whether each value of `a` is greater than `b`: a bool column; a filter counts missing rows as false.
    public static func > (a: Expr, b: Expr) -> Expr { .comparison(.gt, a, b) }
    /// Whether each value of `a` is at least `b`: a bool column; a filter counts missing rows as false.
    public static func >= (a: Expr, b: Expr) -> Expr { .comparison(.ge, a, b) }
    /// Whether each value of `a` equals `b`: a bool column; a filter counts missing rows as false.
    public static func == (a: Expr, b: Expr) -> Expr { .comparison(.eq, a, b) }
    /// Whether each value of `a` differs from `b`: a bool column; a filter counts missing rows as false.
    public static func != (a: Expr, b: Expr) -> Expr { .comparison(.ne, a, b) }
    /// Logical and of two bool columns.
    public static func && (a: Expr, b: Expr) -> Expr { .and(a, b) }
    /// Logical or of two bool columns.
    public static func || (a: Expr, b: Expr) -> Expr { .or(a, b) }
    /// Logical not of a bool column (missing stays false).
    public static prefix func ! (a: Expr) -> Expr { .not(a) }
}

extension Expr {
    /// The type this expression is expected to have over columns of `schema` (a column's own
    /// type; arithmetic of integers stays integral except division; comparisons are bool).
    /// - Complexity: O(size of the expression).
    func expectedType(in schema: Schema) -> DataType {
        switch self {
        case .column(let n): return schema[n]?.type ?? .float64
        case .literal(let v):
            switch v {
            case .bool: return .bool
            case .int64: return .int64
            case .string: return .string
            case .timestamp: return .timestamp
            default: return .float64
            }
        case .arithmetic(let op, let a, let b):
            return op != .divide && a.expectedType(in: schema) != .float64 && b.expectedType(in: schema) != .float64 ? .int64 : .float64
        case .comparison, .and, .or, .not, .isMissing: return .bool
        }
    }
}
