import Tessera
import TesseraArray
import TesseraFrame

// Converting numeric columns to a ChunkedArray: dask's `df.to_dask_array(lengths=True)`.
//
// A ChunkedArray needs the length of every block before it exists, and a lazy CSV frame doesn't
// know its partitions' row counts until they are parsed. So, as dask does with `lengths=True`,
// `toArray` first runs one pass over the partitions that keeps only each partition's row count
// and a summary of the requested columns (their actual types and where the first missing value
// sits), then builds one block task per partition that depends on that partition's task. The
// array stays lazy: computing it reads the partitions again, in parallel, and converts each into
// its block. The pass costs one read of the data, as in dask; a frame whose row counts are
// already known (`persist()`, a frame made from tables, and `select`/`assign`/`astype` of those)
// skips it. The pass also lets type and missing-value errors surface from `toArray` itself,
// naming the column and the row, instead of later from a compute.

extension ChunkedFrame {
    /// The columns as a 2-d array of doubles (rows × columns): pandas' `df.to_numpy()`, dask's
    /// `df.to_dask_array(lengths=True)`.
    ///
    /// The array has one block per non-empty partition, each holding all the requested columns
    /// (`chunks == [partitionLengths, [columns.count]]`). Int64 and Bool columns convert to Double
    /// (`true` is 1); missing values become NaN unless `naValue` says otherwise.
    ///
    /// ```swift
    /// let df = try readCSV("data/flights/")
    /// let x = try df.toArray(["DepDelay", "ArrDelay"])      // ChunkedArray<Double>, shape [n, 2]
    /// let means = try x.nanmean(axis: 0).compute()
    /// ```
    ///
    /// - Parameters:
    ///   - columns: the columns, in order; `nil` takes every column of the frame.
    ///   - naValue: the value written for a missing value (NaN when nil, as pandas does).
    ///   - scheduler: runs the pass that finds the partition lengths.
    /// - Returns: a lazy array; nothing is converted until it is computed.
    /// - Throws: `FrameError.unknownColumn`; `FrameError.typeMismatch` for a string or timestamp
    ///   column (naming it and its type); errors of reading the partitions. See
    ///   ``toArray(_:as:naValue:scheduler:)``.
    /// - Complexity: one pass over the data to find the partition lengths, unless they are known
    ///   (`persist()` first to read a CSV only once); O(partitions) tasks.
    public func toArray(_ columns: [String]? = nil, naValue: Double? = nil,
                        scheduler: Scheduler? = nil) throws -> ChunkedArray<Double> {
        try toArray(columns, as: Double.self, naValue: naValue, scheduler: scheduler)
    }

    /// The columns as a 2-d array of `type` (rows × columns): pandas' `df.to_numpy(dtype=…,
    /// na_value=…)`, dask's `df.to_dask_array(lengths=True)`.
    ///
    /// Conversions follow NumPy's `astype` with the frame's `astype` checks:
    /// - to `Double`/`Float`: int64 and float64 values convert (`Float` rounds), `true` is 1;
    /// - to `Int64`/`Int32`: int64 values (an `Int32` must hold them), bools as 0/1, and float64
    ///   values only when integral and in range — `2.5` is an error naming the column and row;
    /// - to `Bool`: bools, and numbers as `value != 0`.
    ///
    /// Missing values become `naValue`. Without one, a floating-point array holds NaN (pandas'
    /// behaviour for floats); an integer or Bool array cannot represent a missing value, so a
    /// column with one is an error naming the column and the first missing row — convert
    /// `as: Double.self`, pass `naValue:`, or `fillna`/`dropna` first (pandas users will know the
    /// same error from `astype(int)` on a column with NaN).
    ///
    /// ```swift
    /// let counts = try df.toArray(["Passengers", "Seats"], as: Int64.self, naValue: 0)
    /// ```
    ///
    /// Rows in error messages are numbered from 0 across the whole frame (partition after
    /// partition), as the rows of the computed table are.
    ///
    /// - Parameters:
    ///   - columns: the columns, in order; `nil` takes every column of the frame.
    ///   - type: the element type: `Double.self`, `Float.self`, `Int64.self`, `Int32.self`, `Bool.self`.
    ///   - naValue: the value written for a missing value.
    ///   - scheduler: runs the pass that finds the partition lengths.
    /// - Returns: a lazy array of shape `[rows, columns.count]`, one row block per non-empty
    ///   partition (one empty block when the frame has no rows).
    /// - Throws: `FrameError.unknownColumn` listing the columns there are;
    ///   `FrameError.typeMismatch` for a string or timestamp column; `FrameError.invalidArgument`
    ///   for a missing value an integer or Bool array can't hold, or for an empty column list;
    ///   `FrameError.invalidConversion` for a value that doesn't fit `type`. Found in the lengths
    ///   pass, these are thrown by `toArray`; otherwise (row counts known, or a value that doesn't
    ///   fit) by `compute()`, wrapped in `TaskFailure`.
    /// - Complexity: one pass over the data to find the partition lengths, unless they are known;
    ///   computing the array reads every partition once more and writes each value once.
    public func toArray<T: ArrayScalar>(_ columns: [String]? = nil, as type: T.Type,
                                        naValue: T? = nil, scheduler: Scheduler? = nil) throws -> ChunkedArray<T> {
        let names = columns ?? schema.names
        guard !names.isEmpty else {
            throw FrameError.invalidArgument("toArray needs at least one column; the columns are: \(schema.names.joined(separator: ", "))")
        }
        return try makeArray(names, naValue: naValue, oneDimensional: false, scheduler: scheduler)
    }

    /// One column as a 1-d array of doubles: dask's `df["DepDelay"].to_dask_array(lengths=True)`.
    ///
    /// ```swift
    /// let delays = try df.toArray(column: "DepDelay")        // ChunkedArray<Double>, shape [n]
    /// let late = try (delays .> 15).sum().compute().scalar!
    /// ```
    ///
    /// Missing values become NaN unless `naValue` says otherwise; see ``toArray(_:naValue:scheduler:)``.
    /// - Throws: as ``toArray(_:as:naValue:scheduler:)``.
    /// - Complexity: as ``toArray(_:as:naValue:scheduler:)``.
    public func toArray(column: String, naValue: Double? = nil,
                        scheduler: Scheduler? = nil) throws -> ChunkedArray<Double> {
        try toArray(column: column, as: Double.self, naValue: naValue, scheduler: scheduler)
    }

    /// One column as a 1-d array of `type`, one block per non-empty partition.
    ///
    /// Conversions and missing values as in ``toArray(_:as:naValue:scheduler:)``.
    /// - Throws: as ``toArray(_:as:naValue:scheduler:)``.
    /// - Complexity: as ``toArray(_:as:naValue:scheduler:)``.
    public func toArray<T: ArrayScalar>(column: String, as type: T.Type, naValue: T? = nil,
                                        scheduler: Scheduler? = nil) throws -> ChunkedArray<T> {
        try makeArray([column], naValue: naValue, oneDimensional: true, scheduler: scheduler)
    }

    /// The partition lengths: the known ones, or one pass that also validates the columns.
    private func makeArray<T: ArrayScalar>(_ names: [String], naValue: T?, oneDimensional: Bool,
                                           scheduler: Scheduler?) throws -> ChunkedArray<T> {
        try check(names)
        for name in names {
            let type = try schema.field(name).type
            guard type.convertsToArray else { throw FrameError.typeMismatch(column: name, expected: arrayableTypes, found: type) }
        }
        // A to-array node: the closure declares the columns it reads, so a scan below it
        // converts only those (both for the lengths pass and for the blocks).
        let wanted = schema.names.filter(Set(names).contains)
        let source = try mapPartitions(kind: "to-array-columns", schema: Schema(try wanted.map { try schema.field($0) }),
                                       reads: wanted, preservesRowCounts: true) { try $0.select(wanted) }
        return try source.arrayOfColumns(names, naValue: naValue, oneDimensional: oneDimensional, scheduler: scheduler)
    }

    /// The array of columns `names` of this frame (already checked).
    private func arrayOfColumns<T: ArrayScalar>(_ names: [String], naValue: T?, oneDimensional: Bool,
                                                scheduler: Scheduler?) throws -> ChunkedArray<T> {
        let rule = ConversionRule<T>(naValue: naValue)
        let lengths: [Int]
        if let known = knownRowCounts {
            lengths = known
        } else {
            let pass = partitionLayer(kind: "to-array-lengths") { t -> PartitionSummary in
                PartitionSummary(rows: t.rowCount, columns: try names.map { ColumnSummary(try t.column($0)) })
            }
            let summaries = try TaskGraph(pass.refs).compute(scheduler: scheduler).map { $0 as! PartitionSummary }
            var offset = 0
            for s in summaries {
                for (name, c) in zip(names, s.columns) { try rule.validate(c, name: name, rowOffset: offset) }
                offset += s.rows
            }
            lengths = summaries.map(\.rows)
        }
        return try arrayLayer(names, lengths: lengths, rule: rule, oneDimensional: oneDimensional)
    }

    /// One block task per non-empty partition, each depending on that partition's task.
    private func arrayLayer<T: ArrayScalar>(_ names: [String], lengths: [Int], rule: ConversionRule<T>,
                                            oneDimensional: Bool) throws -> ChunkedArray<T> {
        let width = names.count
        let total = lengths.reduce(0, +)
        // ChunkedArray has no empty blocks (except the single one of an empty axis): blocks map
        // to the non-empty partitions.
        let used = lengths.indices.filter { lengths[$0] > 0 }
        var starts: [Int] = []
        var offset = 0
        for p in lengths.indices {
            starts.append(offset)
            offset += lengths[p]
        }
        let offsets = starts
        let shape = oneDimensional ? [total] : [total, width]
        let layer: Layer
        if used.isEmpty {
            layer = Layer(kind: "to-array", values: [NDArray<T>(shape: oneDimensional ? [0] : [0, width], repeating: .zero)],
                          grid: oneDimensional ? [1] : [1, 1])
        } else {
            let parts = partitions
            layer = Layer(kind: "to-array", count: used.count, grid: oneDimensional ? [used.count] : [used.count, 1]) { b in
                let p = used[b]
                let rows = lengths[p], rowOffset = offsets[p]
                return TaskSpec(inputs: [parts[p]]) { args in
                    let t = args[0] as! Table
                    guard t.rowCount == rows else {
                        throw FrameError.invalidArgument(
                            "partition \(p) has \(t.rowCount) rows, but had \(rows) when toArray measured it; "
                                + "the partitions must give the same rows every time they are computed (persist() the frame first)")
                    }
                    let cols = try names.map { try t.column($0) }
                    for (name, c) in zip(names, cols) { try rule.validate(ColumnSummary(c), name: name, rowOffset: rowOffset) }
                    return try NDArray<T>(shape: oneDimensional ? [rows] : [rows, width]) { out in
                        for (j, (name, c)) in zip(names, cols).enumerated() {
                            try rule.write(c, name: name, rowOffset: rowOffset, into: out.baseAddress! + j, stride: width)
                        }
                    } as Any
                }
            }
        }
        let chunks = oneDimensional ? [used.isEmpty ? [0] : used.map { lengths[$0] }]
                                    : [used.isEmpty ? [0] : used.map { lengths[$0] }, [width]]
        return try ChunkedArray<T>(layer: layer, shape: shape, chunks: chunks)
    }
}

/// The types `toArray` converts, for error messages.
private let arrayableTypes = "int64, float64 or bool to convert to an array"

extension DataType {
    /// Whether `toArray` converts columns of this type.
    fileprivate var convertsToArray: Bool { self == .int64 || self == .float64 || self == .bool }
}

/// What the lengths pass keeps of one partition.
private struct PartitionSummary {
    var rows: Int
    var columns: [ColumnSummary]
}

/// A column's actual type and missing values, enough to validate it without its values.
private struct ColumnSummary {
    var type: DataType
    var count: Int
    var nullCount: Int
    /// The row (within the partition) of the first missing value.
    var firstMissing: Int?

    init(_ c: Column) {
        type = c.type
        count = c.count
        nullCount = c.nullCount
        firstMissing = c.validity.flatMap(firstUnset)
    }
}

/// The position of the first clear bit, a word at a time.
private func firstUnset(_ bits: Bitmap) -> Int? {
    for (w, word) in bits.words.enumerated() where ~word != 0 {
        let i = w << 6 | (~word).trailingZeroBitCount
        return i < bits.count ? i : nil
    }
    return nil
}

/// How column values become elements of `T`, and what a missing value becomes.
private struct ConversionRule<T: ArrayScalar> {
    /// The element written for a missing value; nil when a missing value is an error.
    let missing: T?

    init(naValue: T?) {
        // NaN is the default for floating-point elements only (integers map NaN to 0).
        let nan = T(_double: .nan)
        missing = naValue ?? (nan._isNaN ? nan : nil)
    }

    /// Throws when the column can't convert: a text or timestamp column (unless all of it is
    /// missing, when its type says nothing), or a missing value with nowhere to go.
    func validate(_ c: ColumnSummary, name: String, rowOffset: Int) throws {
        let allMissing = c.nullCount == c.count
        if !allMissing && !c.type.convertsToArray {
            throw FrameError.typeMismatch(column: name, expected: arrayableTypes, found: c.type)
        }
        if missing == nil, c.nullCount > 0 {
            let row = rowOffset + (c.firstMissing ?? 0)
            throw FrameError.invalidArgument(
                "column '\(name)' has a missing value at row \(row), which a \(T.dtype) array cannot hold; "
                    + "convert as: Double.self (missing becomes NaN), pass naValue:, or fillna/dropna first")
        }
    }

    /// Writes the column's values to `out[i * stride]` for every row `i`. The column must have
    /// passed `validate`.
    func write(_ c: Column, name: String, rowOffset: Int, into out: UnsafeMutablePointer<T>, stride: Int) throws {
        let n = c.count
        // Element types are dispatched once per column, to loops over concrete types.
        switch T.dtype {
        case .float64:
            let o = UnsafeMutableRawPointer(out).assumingMemoryBound(to: Double.self)
            try writeDoubles(c, name: name, rowOffset: rowOffset, into: o, stride: stride)
        case .int64:
            let o = UnsafeMutableRawPointer(out).assumingMemoryBound(to: Int64.self)
            try writeInt64s(c, name: name, rowOffset: rowOffset, into: o, stride: stride)
        case .bool:
            let o = UnsafeMutableRawPointer(out).assumingMemoryBound(to: Bool.self)
            try writeBools(c, name: name, into: o, stride: stride)
        case .float32:
            var tmp = [Double](repeating: 0, count: n)
            try tmp.withUnsafeMutableBufferPointer { try writeDoubles(c, name: name, rowOffset: rowOffset, into: $0.baseAddress!, stride: 1) }
            for i in 0..<n { out[i * stride] = T(_double: tmp[i]) }
        case .int32:
            var tmp = [Int64](repeating: 0, count: n)
            try tmp.withUnsafeMutableBufferPointer { try writeInt64s(c, name: name, rowOffset: rowOffset, into: $0.baseAddress!, stride: 1) }
            for i in 0..<n {
                let v = T(_int64: tmp[i])
                guard v._int64 == tmp[i] else {
                    throw FrameError.invalidArgument("column '\(name)', row \(rowOffset + i): \(tmp[i]) does not fit int32")
                }
                out[i * stride] = v
            }
        }
        // Missing slots hold placeholders: overwrite them.
        if let v = c.validity, let m = missing {
            for i in 0..<n where !v[i] { out[i * stride] = m }
        }
    }

    private func writeDoubles(_ c: Column, name: String, rowOffset: Int, into o: UnsafeMutablePointer<Double>, stride: Int) throws {
        switch c.values {
        case .float64(let a): a.withUnsafeBufferPointer { a in for i in a.indices { o[i * stride] = a[i] } }
        case .int64(let a): a.withUnsafeBufferPointer { a in for i in a.indices { o[i * stride] = Double(a[i]) } }
        case .bool(let a): a.withUnsafeBufferPointer { a in for i in a.indices { o[i * stride] = a[i] ? 1 : 0 } }
        case .string, .timestamp: for i in 0..<c.count { o[i * stride] = 0 }  // all missing (validated)
        }
    }

    private func writeInt64s(_ c: Column, name: String, rowOffset: Int, into o: UnsafeMutablePointer<Int64>, stride: Int) throws {
        switch c.values {
        case .int64(let a): a.withUnsafeBufferPointer { a in for i in a.indices { o[i * stride] = a[i] } }
        case .bool(let a): a.withUnsafeBufferPointer { a in for i in a.indices { o[i * stride] = a[i] ? 1 : 0 } }
        case .float64(let a):
            // As the frame's astype: a float becomes an integer only when it is one.
            for i in a.indices {
                guard c.isValid(i) else { o[i * stride] = 0; continue }
                let x = a[i]
                guard x.rounded() == x, Swift.abs(x) < 9.223372036854775807e18 else {
                    throw FrameError.invalidConversion(column: name, row: rowOffset + i, value: formatDouble(x), to: .int64)
                }
                o[i * stride] = Int64(x)
            }
        case .string, .timestamp: for i in 0..<c.count { o[i * stride] = 0 }  // all missing (validated)
        }
    }

    private func writeBools(_ c: Column, name: String, into o: UnsafeMutablePointer<Bool>, stride: Int) throws {
        switch c.values {
        case .bool(let a): a.withUnsafeBufferPointer { a in for i in a.indices { o[i * stride] = a[i] } }
        case .int64(let a): a.withUnsafeBufferPointer { a in for i in a.indices { o[i * stride] = a[i] != 0 } }
        case .float64(let a): a.withUnsafeBufferPointer { a in for i in a.indices { o[i * stride] = a[i] != 0 } }
        case .string, .timestamp: for i in 0..<c.count { o[i * stride] = false }  // all missing (validated)
        }
    }
}
