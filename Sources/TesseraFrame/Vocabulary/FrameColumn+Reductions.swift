import Tessera

// Column reductions: the group-by functions through `aggregateAll` (one group), plus the ones
// that need a row position (argmax, argmin) or every value in order (unique).

extension FrameColumn {
    /// The one value of `function` over the column, lazily.
    func reduce(_ function: Aggregation) throws -> Delayed<Value> {
        try frame.aggregateAll([NamedAggregation(name, function, name: "value")]).map(name: "\(function.name)-value") { $0.columns[0][0] }
    }

    /// `reduce` read as a double (missing is NaN).
    func reduceToDouble(_ function: Aggregation) throws -> Delayed<Double> {
        try reduce(function).map(name: "to-double") { $0.doubleValue ?? .nan }
    }

    /// `reduce` read as an integer (counts are never missing).
    func reduceToInt(_ function: Aggregation) throws -> Delayed<Int> {
        try reduce(function).map(name: "to-int") { v -> Int in
            guard case .int64(let n) = v else { return 0 }
            return Int(n)
        }
    }

    /// The mean of the non-missing values (NaN when there is none), pandas' `s.mean()`.
    ///
    /// ```swift
    /// let m: Double = try df["DepDelay"].mean().compute()
    /// ```
    /// - Throws: `FrameError.unknownColumn`; `.typeMismatch` for a text column.
    /// - Complexity: one pass; O(partitions) tasks.
    public func mean() throws -> Delayed<Double> { try reduceToDouble(.mean) }

    /// The sum of the non-missing values (0 when there is none), as a double: an int64
    /// column's sum is exact up to 2^53.
    /// - Throws: `FrameError.unknownColumn`; `.typeMismatch` for a text column; an int64 sum
    ///   that overflows fails the compute with `FrameError.overflow`.
    public func sum() throws -> Delayed<Double> { try reduceToDouble(.sum) }

    /// The smallest non-missing value as a double (NaN when there is none).
    /// - Throws: `FrameError.unknownColumn`; a text column fails the compute.
    public func min() throws -> Delayed<Double> { try reduceToDouble(.min) }

    /// The largest non-missing value as a double (NaN when there is none).
    /// - Throws: `FrameError.unknownColumn`; a text column fails the compute.
    public func max() throws -> Delayed<Double> { try reduceToDouble(.max) }

    /// The standard deviation, `ddof` 1 by default (NaN with `ddof` or fewer values).
    /// - Parameter ddof: delta degrees of freedom (0: population).
    /// - Throws: `FrameError.unknownColumn`; `.typeMismatch` for a text column.
    public func std(ddof: Int = 1) throws -> Delayed<Double> { try reduceToDouble(.std(ddof: ddof)) }

    /// The variance, `ddof` 1 by default (NaN with `ddof` or fewer values).
    /// - Parameter ddof: delta degrees of freedom (0: population).
    /// - Throws: `FrameError.unknownColumn`; `.typeMismatch` for a text column.
    public func `var`(ddof: Int = 1) throws -> Delayed<Double> { try reduceToDouble(.var(ddof: ddof)) }

    /// The exact median of the non-missing values (NaN when there is none).
    /// - Throws: `FrameError.unknownColumn`; `.typeMismatch` for a text column.
    /// - Complexity: every non-missing value meets in one task.
    public func median() throws -> Delayed<Double> { try reduceToDouble(.median) }

    /// The exact `q` quantile of the non-missing values, interpolating linearly between order
    /// statistics (pandas' and NumPy's default); NaN when there is no value.
    /// - Parameter q: the quantile, in 0...1.
    /// - Throws: `FrameError.invalidArgument` for `q` outside 0...1; `.unknownColumn`;
    ///   `.typeMismatch` for a text column.
    /// - Complexity: every non-missing value meets in one task.
    public func quantile(_ q: Double) throws -> Delayed<Double> {
        guard (0...1).contains(q) else { throw FrameError.invalidArgument("quantile of column '\(name)': q must lie in [0, 1], got \(q)") }
        return try reduceToDouble(.quantile(q))
    }

    /// The number of non-missing values.
    /// - Throws: `FrameError.unknownColumn`.
    public func count() throws -> Delayed<Int> { try reduceToInt(.count) }

    /// The number of distinct non-missing values (pandas' `s.nunique()`).
    /// - Parameter dropna: whether missing values are left out (true) or count as one value.
    /// - Throws: `FrameError.unknownColumn`.
    public func nunique(dropna: Bool = true) throws -> Delayed<Int> { try frame.nunique(name, dropna: dropna) }

    /// How often each value occurs, most frequent first: a frame of the column and `count`
    /// (pandas' `s.value_counts()`).
    /// - Parameter dropna: whether missing values are left out.
    /// - Throws: `FrameError.unknownColumn`.
    public func valueCounts(dropna: Bool = true) throws -> ChunkedFrame { try frame.valueCounts(name, dropna: dropna) }

    /// The distinct non-missing values in order of first appearance, as a one-column frame
    /// (pandas' `s.unique()` without the missing value).
    ///
    /// ```swift
    /// let airports = try df["Origin"].unique().compute()["Origin"]!.strings
    /// ```
    /// - Throws: `FrameError.unknownColumn`.
    /// - Complexity: one pass; each partition's distinct values meet in one task.
    public func unique() throws -> ChunkedFrame {
        let column = name
        // Through a select: the scan below converts this column only.
        let values = try frame.select([column])
        let firsts = values.partitionLayer(kind: "unique-chunk") { t in try t.column(column).firstOccurrences() }
            .refs.map { Delayed<Column>(ref: $0) }
        let merged = delayed(name: "unique-merge", firsts) { parts -> Table in
            let distinct = Column.concatenate(parts).firstOccurrences()
            return Table(unchecked: [column], [distinct], rowCount: distinct.count)
        }
        // The type is the column's, asked for only when someone asks (a CSV sample stays unparsed).
        let source = values.node
        return ChunkedFrame(node: FrameNode(.partitions([merged.ref], knownRowCounts: nil), names: [column]) { _ in
            Schema([Field(column, source.schema[column]!.type, nullable: false)])
        })
    }

    /// The position (0-based, across partitions in order) of the largest non-missing value, the
    /// first one on a tie: pandas' `s.idxmax()` on the default index, NumPy's `nanargmax`.
    /// - Throws: `FrameError.unknownColumn`; a compute fails with `.invalidArgument` when the
    ///   column has no value, or `.typeMismatch` when it isn't numeric.
    /// - Complexity: one pass; one small task merges the partitions' answers.
    public func argmax() throws -> Delayed<Int> { try position(largest: true) }

    /// The position of the smallest non-missing value, the first one on a tie; see ``argmax()``.
    /// - Throws: as ``argmax()``.
    public func argmin() throws -> Delayed<Int> { try position(largest: false) }

    private func position(largest: Bool) throws -> Delayed<Int> {
        let column = name, operation = largest ? "argmax" : "argmin"
        // Plan nodes all the way (per partition its length and best (value, local position), then
        // one gather), so a joint compute's other reductions of the frame share its scan.
        let fields = Schema([Field("rows", .int64, nullable: false), Field("value", .float64, nullable: false),
                             Field("position", .int64, nullable: false)])
        let bests = try frame.mapPartitions(kind: operation + "-chunk", schema: fields, reads: [column]) { t -> Table in
            let c = try t.column(column)
            guard c.type.isNumeric || c.type == .bool else {
                throw FrameError.typeMismatch(column: column, expected: "a numeric column for \(operation)", found: c.type)
            }
            var best: (Double, Int)? = nil
            for (i, v) in c.doubles.enumerated() {
                guard let v, !v.isNaN else { continue }
                if let b = best, largest ? v <= b.0 : v >= b.0 { continue }
                best = (v, i)
            }
            // A partition without a value: position -1.
            return Table(unchecked: ["rows", "value", "position"],
                         [Column(values: .int64([Int64(t.rowCount)])), Column(values: .float64([best?.0 ?? 0])),
                          Column(values: .int64([Int64(best?.1 ?? -1)]))], rowCount: 1)
        }
        let merged = try bests.adding(.gather(kind: operation) { tables in
            var offset = 0
            var best: (Double, Int)? = nil
            for t in tables {
                for r in 0..<t.rowCount {
                    let p = t.row(r)
                    guard case .int64(let rows) = p[0], case .float64(let v) = p[1], case .int64(let i) = p[2] else { continue }
                    if i >= 0, best.map({ largest ? v > $0.0 : v < $0.0 }) ?? true { best = (v, offset + Int(i)) }
                    offset += Int(rows)
                }
            }
            guard let best else {
                throw FrameError.invalidArgument("\(operation) of column '\(column)': it has no value")
            }
            return Table(unchecked: ["position"], [Column(values: .int64([Int64(best.1)]))], rowCount: 1)
        }, schema: Schema([Field("position", .int64, nullable: false)]))
        return Delayed<Table>(output: 0, of: merged).map(name: operation + "-position") { t -> Int in
            guard case .int64(let p) = t.row(0)[0] else { return -1 }
            return Int(p)
        }
    }
}

extension Column {
    /// The distinct non-missing values in order of first appearance.
    /// - Complexity: O(count) hashing (a dictionary-encoded column looks at each code once).
    func firstOccurrences() -> Column {
        var keep: [Int] = []
        if case .string(.dictionary(let codes, let dict)) = values {
            // Codes index a dictionary of distinct strings: one flag per entry, no hashing.
            var used = [Bool](repeating: false, count: dict.count)
            for (i, code) in codes.enumerated() where code >= 0 && isValid(i) && !used[Int(code)] {
                used[Int(code)] = true
                keep.append(i)
            }
        } else {
            var seen = Set<Value>()
            for i in 0..<count where isValid(i) && seen.insert(self[i]).inserted { keep.append(i) }
        }
        return take(keep)
    }
}
