// The aggregations `GroupBy.agg` knows, and how each one's output is named and typed.

/// One aggregation function, as pandas names them: `.sum`, `.mean`, `.count` (non-missing values),
/// `.size` (rows), `.min`, `.max`, `.std` and `.var` (ddof 1 unless given), `.first` and `.last`
/// (first and last non-missing value in row order), `.nunique` (distinct non-missing values),
/// `.median` (exact), `.largest(n)` and `.smallest(n)` (a group's n best values, one row each),
/// `.corr(with:)` (Pearson correlation with another column) and `.custom(...)`.
///
/// ```swift
/// let out = try df.groupby("Origin").agg(["DepDelay": .mean, "ArrDelay": .std(ddof: 0)]).compute()
/// ```
public struct Aggregation: Sendable {
    enum Kind: Sendable {
        case sum, mean, count, size, min, max, first, last, nunique, median
        /// The value of the group's first row, missing or not (dropDuplicates).
        case firstRow
        case variance(ddof: Int)
        case std(ddof: Int)
        /// The n largest (or smallest) non-missing values, one output row each.
        case best(Int, largest: Bool)
        /// Pearson's correlation with the named column, over the rows where both have values.
        case corr(String)
        case custom(CustomAggregation)
    }

    let kind: Kind

    init(_ kind: Kind) { self.kind = kind }

    /// Sum of non-missing values (0 for a group without any); int64 for integer and bool columns.
    public static let sum = Aggregation(.sum)
    /// Mean of non-missing values (missing for a group without any).
    public static let mean = Aggregation(.mean)
    /// Number of non-missing values.
    public static let count = Aggregation(.count)
    /// Number of rows, missing values included.
    public static let size = Aggregation(.size)
    /// Smallest non-missing value (numbers, bools, text by UTF-8 bytes, timestamps).
    public static let min = Aggregation(.min)
    /// Largest non-missing value.
    public static let max = Aggregation(.max)
    /// First non-missing value in row order.
    public static let first = Aggregation(.first)
    /// Last non-missing value in row order.
    public static let last = Aggregation(.last)
    /// Number of distinct non-missing values.
    public static let nunique = Aggregation(.nunique)
    /// Exact median of non-missing values (holds every value of a group until it finalises).
    public static let median = Aggregation(.median)
    /// Sample standard deviation (ddof 1).
    public static let std = Aggregation(.std(ddof: 1))
    /// Sample variance (ddof 1).
    public static let `var` = Aggregation(.variance(ddof: 1))
    /// Standard deviation with `ddof` delta degrees of freedom (0: population).
    public static func std(ddof: Int) -> Aggregation { Aggregation(.std(ddof: ddof)) }
    /// Variance with `ddof` delta degrees of freedom (0: population).
    public static func `var`(ddof: Int) -> Aggregation { Aggregation(.variance(ddof: ddof)) }
    /// The `n` largest non-missing values of each group, largest first, one output row each:
    /// pandas' `df.groupby(keys)[col].nlargest(n)` (`keep="first"`: among equal values the
    /// earlier rows come first). NaN and missing values are skipped; a group with fewer values
    /// gives fewer rows, and one without any gives none. The other aggregations of the same
    /// `agg` repeat on each of a group's rows, and key columns repeat too.
    ///
    /// ```swift
    /// let top2 = try df.groupby("id6").agg([NamedAggregation("v3", .largest(2))]).compute()
    /// // id6, v3_largest: two rows per id6 (fewer for groups with fewer values)
    /// ```
    /// - Parameter n: how many values per group, at least 1 (`agg` throws
    ///   `FrameError.invalidArgument` otherwise).
    /// - Returns: an aggregation named `largest` for numeric, bool and timestamp columns, whose
    ///   output has the input's type; each partial state holds at most `n` values per group.
    public static func largest(_ n: Int) -> Aggregation { Aggregation(.best(n, largest: true)) }
    /// The `n` smallest non-missing values of each group, smallest first, one output row each
    /// (pandas' `nsmallest`); see `largest(_:)`.
    /// - Parameter n: how many values per group, at least 1.
    /// - Returns: an aggregation named `smallest`.
    public static func smallest(_ n: Int) -> Aggregation { Aggregation(.best(n, largest: false)) }
    /// Pearson's correlation coefficient of the aggregated column with `other` per group, over
    /// the rows where both are present and not NaN (pandas' `x.corr(y)` per group). A group with
    /// fewer than two such rows, or in which either column is constant, gets a missing value
    /// (pandas' NaN).
    ///
    /// ```swift
    /// let r = try df.groupby(["id2", "id4"]).agg([NamedAggregation("v1", .corr(with: "v2"))]).compute()
    /// // id2, id4, v1_corr
    /// ```
    /// - Parameter other: the second column (numeric or bool, as the aggregated one).
    /// - Returns: an aggregation named `corr` with float64 output; its partial state is the
    ///   pair count, both means, both sums of squared deviations and the co-moment, merged with
    ///   Chan et al.'s formulas, so the answer doesn't depend on partitioning.
    public static func corr(with other: String) -> Aggregation { Aggregation(.corr(other)) }
    /// A user-defined aggregation (see `CustomAggregation`).
    public static func custom(_ c: CustomAggregation) -> Aggregation { Aggregation(.custom(c)) }

    /// The function's name as used in output column names (`DepDelay_mean`): `sum`, `mean`, …,
    /// or the custom aggregation's name.
    public var name: String {
        switch kind {
        case .sum: return "sum"
        case .mean: return "mean"
        case .count: return "count"
        case .size: return "size"
        case .min: return "min"
        case .max: return "max"
        case .first, .firstRow: return "first"
        case .last: return "last"
        case .nunique: return "nunique"
        case .median: return "median"
        case .variance: return "var"
        case .std: return "std"
        case .best(_, let largest): return largest ? "largest" : "smallest"
        case .corr: return "corr"
        case .custom(let c): return c.name
        }
    }

    /// The second input column (`corr`'s), nil for functions of one column.
    var pairedColumn: String? {
        if case .corr(let other) = kind { return other }
        return nil
    }

    /// How many output rows per group at most (`largest(n)`: n); nil for one row per group.
    var rowsPerGroup: Int? {
        if case .best(let n, _) = kind { return n }
        return nil
    }

    /// The aggregation named `name` (`sum`, `mean`, `count`, `size`, `min`, `max`, `std`, `var`,
    /// `first`, `last`, `nunique`, `median`, `largest(N)`, `smallest(N)`, `corr(COLUMN)`), as the
    /// command line spells them; nil otherwise. Function names are case-insensitive; `corr`'s
    /// column name is taken as written.
    /// - Parameter name: the spelling, for example `mean`, `largest(2)` or `corr(v2)`.
    public init?(name: String) {
        if let open = name.firstIndex(of: "("), name.last == ")" {
            let function = name[..<open].lowercased()
            let argument = String(name[name.index(after: open)..<name.index(before: name.endIndex)])
            switch function {
            case "largest", "smallest":
                guard let n = Int(argument.trimmingCharacters(in: .whitespaces)), n >= 1 else { return nil }
                self = function == "largest" ? .largest(n) : .smallest(n)
            case "corr":
                guard !argument.isEmpty else { return nil }
                self = .corr(with: argument)
            default: return nil
            }
            return
        }
        switch name.lowercased() {
        case "sum": self = .sum
        case "mean", "avg": self = .mean
        case "count": self = .count
        case "size": self = .size
        case "min": self = .min
        case "max": self = .max
        case "first": self = .first
        case "last": self = .last
        case "nunique": self = .nunique
        case "median": self = .median
        case "std": self = .std
        case "var": self = .var
        default: return nil
        }
    }

    /// The names `init(name:)` accepts (`N` a count of at least 1, `COLUMN` a column name).
    public static let knownNames = ["sum", "mean", "count", "size", "min", "max", "std", "var",
                                    "first", "last", "nunique", "median", "largest(N)", "smallest(N)", "corr(COLUMN)"]

    /// The type of the output column for an input column of type `input`.
    /// - Throws: `FrameError.typeMismatch` when the function doesn't apply to that type.
    func outputType(for input: DataType, column: String) throws -> DataType {
        switch kind {
        case .count, .size, .nunique: return .int64
        case .min, .max, .first, .last, .firstRow: return input
        case .best:
            guard input != .string else {
                throw FrameError.typeMismatch(column: column, expected: "a numeric, bool or timestamp column for \(name)", found: input)
            }
            return input
        case .sum:
            switch input {
            case .int64, .bool: return .int64
            case .float64: return .float64
            default: throw FrameError.typeMismatch(column: column, expected: "a numeric or bool column for sum", found: input)
            }
        case .mean, .median, .variance, .std, .corr:
            guard input.isNumeric || input == .bool else {
                throw FrameError.typeMismatch(column: column, expected: "a numeric or bool column for \(name)", found: input)
            }
            return .float64
        case .custom(let c): return c.outputType
        }
    }
}

/// A user-defined aggregation in three steps, like `dask.dataframe.Aggregation`:
/// `chunk` summarises one group's values within one partition, `combine` merges summaries
/// (of consecutive partitions, in row order), `finalize` turns the last summary into a value.
///
/// ```swift
/// // The range (max − min) of each group.
/// let range = CustomAggregation(name: "range", outputType: .float64,
///     chunk: { col in
///         let v = (0..<col.count).compactMap { col[$0].doubleValue }
///         return (v.min() ?? .infinity, v.max() ?? -.infinity)
///     },
///     combine: { parts in
///         let p = parts.map { $0 as! (Double, Double) }
///         return (p.map(\.0).min()!, p.map(\.1).max()!)
///     },
///     finalize: { s in
///         let (lo, hi) = s as! (Double, Double)
///         return lo > hi ? .missing : .float64(hi - lo)
///     })
/// let out = try df.groupby("Origin").agg([NamedAggregation("DepDelay", .custom(range))])  // DepDelay_range
/// ```
///
/// `chunk` runs once per group and partition on the group's rows (gathered, so it costs a copy);
/// a group met in one partition only goes from `chunk` straight to `finalize`.
public struct CustomAggregation: @unchecked Sendable {
    /// The name used in output column names (`COL_name`).
    public let name: String
    /// The type of the values `finalize` returns (`.missing` is allowed too).
    public let outputType: DataType
    /// Summarises the values of one group within one partition (missing values included; check
    /// `Column.isValid`).
    public let chunk: (Column) throws -> Any
    /// Merges summaries, given in row order.
    public let combine: ([Any]) throws -> Any
    /// The group's final value from its merged summary.
    public let finalize: (Any) throws -> Value

    /// Defines an aggregation from its three steps.
    /// - Parameters:
    /// - name: the name used in output column names (`COL_name`).
    /// - outputType: the type of the values `finalize` returns.
    /// - chunk: summarises one group's values within one partition.
    /// - combine: merges summaries, given in row order.
    /// - finalize: the group's final value from its merged summary.
    public init(name: String, outputType: DataType, chunk: @escaping @Sendable (Column) throws -> Any,
                combine: @escaping @Sendable ([Any]) throws -> Any, finalize: @escaping @Sendable (Any) throws -> Value) {
        self.name = name
        self.outputType = outputType
        self.chunk = chunk
        self.combine = combine
        self.finalize = finalize
    }
}

/// One output of `GroupBy.agg`: a function applied to a column, with the output column's name
/// (`COL_FUNC` unless given).
public struct NamedAggregation: Sendable {
    /// The input column.
    public var column: String
    /// The function.
    public var function: Aggregation
    /// The output column's name.
    public var name: String

    /// Applies `function` to `column`.
    /// - Parameters:
    /// - column: the input column.
    /// - function: the aggregation.
    /// - name: the output column's name; `COL_FUNC` (`DepDelay_mean`) when nil.
    public init(_ column: String, _ function: Aggregation, name: String? = nil) {
        self.column = column
        self.function = function
        self.name = name ?? "\(column)_\(function.name)"
    }

    /// The columns it reads: `column`, and `corr`'s other column.
    public var inputs: [String] { [column] + (function.pairedColumn.map { [$0] } ?? []) }
}
