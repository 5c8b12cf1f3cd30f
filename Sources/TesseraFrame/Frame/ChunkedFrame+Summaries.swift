import Tessera

// Summaries that reduce every partition to a small state and combine the states: describe and
// unique. (valueCounts, nunique and dropDuplicates go through the group-by machinery: GroupBy/.)


extension ChunkedFrame {
    /// The frame `describe()` summarises: the numeric columns, so a scan reads only those.
    /// - Throws: nothing for a valid frame (the columns come from its own schema).
    package func describedColumns() throws -> ChunkedFrame {
        try select(schema.fields.filter { $0.type.isNumeric }.map(\.name))
    }

    /// count, mean, std (ddof 1), min, 25%, 50%, 75%, max of every numeric column, as pandas'
    /// `describe()`: one row per statistic (first column `statistic`), one column per numeric column.
    /// Quantiles are exact (linear interpolation between order statistics, pandas' default).
    /// - Complexity: O(n log n) per column; the non-missing values of the numeric columns are
    ///   gathered in memory.
    public func describe(scheduler: Scheduler? = nil) throws -> Table {
        let numeric = schema.fields.filter { $0.type.isNumeric }.map(\.name)
        // Only the numeric columns are read (projection pushdown to the scan).
        let layer = try describedColumns().partitionLayer(kind: "describe") { t -> [[Double]] in
            numeric.map { name in
                guard let c = t[name] else { return [] }
                var out: [Double] = []
                out.reserveCapacity(c.count)
                switch c.values {
                case .int64(let a): for i in 0..<c.count where c.isValid(i) { out.append(Double(a[i])) }
                case .float64(let a): for i in 0..<c.count where c.isValid(i) { out.append(a[i]) }
                default: break
                }
                return out
            }
        }
        let per = try TaskGraph(layer.refs).compute(scheduler: scheduler).map { $0 as! [[Double]] }
        let stats = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"]
        var columns: [Column] = [Column(string: stats)]
        for j in 0..<numeric.count {
            var v = per.flatMap { $0[j] }
            v.sort()
            let n = v.count
            func quantile(_ q: Double) -> Double? {
                guard n > 0 else { return nil }
                let pos = q * Double(n - 1)
                let lo = Int(pos.rounded(.down)), hi = Swift.min(lo + 1, n - 1)
                return v[lo] + (v[hi] - v[lo]) * (pos - Double(lo))
            }
            // Two-pass mean and variance for accuracy.
            let mean = n > 0 ? v.reduce(0, +) / Double(n) : nil
            let std = n > 1 ? (v.reduce(0) { $0 + ($1 - mean!) * ($1 - mean!) } / Double(n - 1)).squareRoot() : nil
            columns.append(Column(float64: [Double(n), mean, std, v.first, quantile(0.25), quantile(0.5), quantile(0.75), v.last]))
        }
        return try Table(names: ["statistic"] + numeric, columns: columns)
    }

    /// The distinct non-missing values of `column`, in order of first appearance.
    public func unique(_ column: String, scheduler: Scheduler? = nil) throws -> Column {
        try check([column])
        let layer = partitionLayer(kind: "unique") { t -> [Value] in
            var seen = Set<Value>()
            var out: [Value] = []
            let c = try t.column(column)
            if case .string(.dictionary(let codes, let dict)) = c.values {
                var used = [Bool](repeating: false, count: dict.count)
                // A missing row's code is a placeholder (a left join's points at entry 0): only
                // the validity bitmap says which rows hold a value.
                for (i, code) in codes.enumerated() where code >= 0 && c.isValid(i) && !used[Int(code)] {
                    used[Int(code)] = true
                    out.append(.string(dict[Int(code)]))
                }
                return out
            }
            for i in 0..<c.count where c.isValid(i) {
                let v = c[i]
                if seen.insert(v).inserted { out.append(v) }
            }
            return out
        }
        var seen = Set<Value>()
        var out: [Value] = []
        for part in try TaskGraph(layer.refs).compute(scheduler: scheduler) {
            for v in part as! [Value] where seen.insert(v).inserted { out.append(v) }
        }
        return valueColumn(out)
    }
}

/// A column holding `values` (all of one kind, as one column's values are).
func valueColumn(_ values: [Value]) -> Column {
    switch values.first {
    case .int64?: return Column(int64: values.map { if case .int64(let x) = $0 { return x } else { return nil } })
    case .float64?: return Column(float64: values.map { if case .float64(let x) = $0 { return x } else { return nil } })
    case .bool?: return Column(bool: values.map { if case .bool(let x) = $0 { return x } else { return nil } })
    case .timestamp?: return Column(timestamp: values.map { if case .timestamp(let x) = $0 { return x } else { return nil } })
    default: return Column(string: values.map { $0.isMissing ? nil : $0.description })
    }
}
