/// One partition of a frame, in memory: ordered, named columns of equal length.
///
/// ```swift
/// let t = try Table(["Origin": Column(string: ["JFK", "LGA"]), "DepDelay": Column(float64: [3, nil])],
///                   order: ["Origin", "DepDelay"])
/// t.rowCount            // 2
/// try t.column("DepDelay").nullCount   // 1
/// ```
public struct Table: Sendable, CustomStringConvertible {
    /// Column names, in order (unique).
    public private(set) var names: [String] { didSet { nameIndex = NameIndex(names) } }
    /// Positions of `names`, so that looking a column up is O(1).
    private var nameIndex = NameIndex([])
    /// The columns, in the order of `names`.
    public private(set) var columns: [Column]
    /// The number of rows (also when there are no columns).
    public private(set) var rowCount: Int

    /// A table from names and columns of equal length.
    /// - Throws: `FrameError.lengthMismatch`, or `.invalidArgument` for duplicate names.
    public init(names: [String], columns: [Column], rowCount: Int? = nil) throws {
        guard names.count == columns.count else {
            throw FrameError.invalidArgument("\(names.count) names for \(columns.count) columns")
        }
        guard Set(names).count == names.count else {
            throw FrameError.invalidArgument("duplicate column names in \(names)")
        }
        let n = rowCount ?? columns.first?.count ?? 0
        for (name, c) in zip(names, columns) where c.count != n {
            throw FrameError.lengthMismatch(column: name, count: c.count, expected: n)
        }
        self.names = names
        self.nameIndex = NameIndex(names)
        self.columns = columns
        self.rowCount = n
    }

    /// A table from `(name, column)` pairs in order.
    public init(_ pairs: KeyValuePairs<String, Column>) throws {
        try self.init(names: pairs.map(\.key), columns: pairs.map(\.value))
    }

    /// A table from a dictionary, ordered by `order`.
    public init(_ columns: [String: Column], order: [String]) throws {
        try self.init(names: order, columns: try order.map {
            guard let c = columns[$0] else { throw FrameError.unknownColumn($0, available: Array(columns.keys).sorted()) }
            return c
        })
    }

    /// Unchecked init for kernels that already guarantee the invariants.
    init(unchecked names: [String], _ columns: [Column], rowCount: Int) {
        self.names = names
        self.nameIndex = NameIndex(names)
        self.columns = columns
        self.rowCount = rowCount
    }

    /// An empty table with the columns of `schema` and no rows.
    public init(empty schema: Schema) {
        self.init(unchecked: schema.names, schema.fields.map { Column(missing: $0.type, count: 0) }, rowCount: 0)
    }

    /// The schema: names, types, and nullable where some value is missing.
    public var schema: Schema {
        Schema(zip(names, columns).map { Field($0, $1.type, nullable: $1.validity != nil) })
    }

    /// The number of columns.
    public var columnCount: Int { columns.count }

    /// The position of the column `name`, if any. - Complexity: O(1) on average.
    public func index(of name: String) -> Int? { nameIndex.position(of: name, in: names) }

    /// The column named `name`. - Throws: `FrameError.unknownColumn` listing the columns there are.
    public func column(_ name: String) throws -> Column {
        guard let i = index(of: name) else { throw FrameError.unknownColumn(name, available: names) }
        return columns[i]
    }

    /// The column named `name`, nil when absent.
    public subscript(name: String) -> Column? { index(of: name).map { columns[$0] } }

    /// Replaces the column `name` or appends it at the end.
    /// - Throws: `FrameError.lengthMismatch` when its length differs from `rowCount` (unless the table has no columns).
    public mutating func setColumn(_ name: String, _ column: Column) throws {
        if columns.isEmpty { rowCount = column.count }
        guard column.count == rowCount else {
            throw FrameError.lengthMismatch(column: name, count: column.count, expected: rowCount)
        }
        if let i = index(of: name) { columns[i] = column } else { names.append(name); columns.append(column) }
    }

    /// Removes the column `name`. - Throws: `FrameError.unknownColumn`.
    public mutating func removeColumn(_ name: String) throws {
        guard let i = index(of: name) else { throw FrameError.unknownColumn(name, available: names) }
        names.remove(at: i)
        columns.remove(at: i)
    }

    /// A table of the named columns, in the given order. - Throws: `FrameError.unknownColumn`.
    public func select(_ wanted: [String]) throws -> Table {
        Table(unchecked: wanted, try wanted.map { try column($0) }, rowCount: rowCount)
    }

    /// The rows whose `mask` bit is set. - Complexity: O(rows × columns).
    public func filter(_ mask: Bitmap) -> Table {
        let idx = mask.setIndices
        return Table(unchecked: names, columns.map { $0.take(idx) }, rowCount: idx.count)
    }

    /// The rows at `indices`, in that order (gather; indices may repeat).
    public func take(_ indices: [Int]) -> Table {
        Table(unchecked: names, columns.map { $0.take(indices) }, rowCount: indices.count)
    }

    /// Rows `range`.
    public func slice(_ range: Range<Int>) -> Table {
        let r = range.clamped(to: 0..<rowCount)
        return Table(unchecked: names, columns.map { $0.slice(r) }, rowCount: r.count)
    }

    /// Row `i` as values.
    public func row(_ i: Int) -> [Value] { columns.map { $0[i] } }

    /// The tables' rows one after another, columns matched by name and order, types unified by
    /// promotion, dictionaries merged.
    /// - Throws: `FrameError.schemaMismatch` when the column names differ.
    public static func concatenate(_ tables: [Table]) throws -> Table {
        var parts = tables
        return try concatenate(consuming: &parts)
    }

    /// `concatenate(_:)`, column by column, releasing each column of every part as soon as it is
    /// copied (`tables` is left empty): when the caller held the only reference to the parts
    /// (a frame's computed partitions), the result grows as the parts shrink, so the peak is
    /// about one copy of the rows, not two.
    /// - Throws: `FrameError.schemaMismatch` when the column names differ.
    /// - Complexity: O(rows × columns).
    static func concatenate(consuming tables: inout [Table]) throws -> Table {
        guard let first = tables.first else { return try Table(names: [], columns: []) }
        if tables.count == 1 { return first }
        for t in tables.dropFirst() where t.names != first.names {
            throw FrameError.schemaMismatch("cannot concatenate partitions with columns \(first.names) and \(t.names)")
        }
        let rows = tables.reduce(0) { $0 + $1.rowCount }
        var parts = tables.map(\.columns)
        tables = []
        let released = Column(missing: .float64, count: 0)
        var cols: [Column] = []
        for j in 0..<first.columnCount {
            cols.append(Column.concatenate(parts.map { $0[j] }))
            for i in parts.indices { parts[i][j] = released }
        }
        return Table(unchecked: first.names, cols, rowCount: rows)
    }

    /// The table with every column that holds no value given the type `schema` says (columns
    /// with values, and columns not in `schema`, are left alone).
    /// - Complexity: O(columns + rows / 64).
    func withMissingColumnsTyped(_ schema: Schema) -> Table {
        var cols = columns
        for (j, name) in names.enumerated() {
            if let f = schema[name], cols[j].type != f.type, cols[j].nullCount == cols[j].count {
                cols[j] = Column(missing: f.type, count: rowCount)
            }
        }
        return Table(unchecked: names, cols, rowCount: rowCount)
    }

    /// The table as aligned text: every row up to 20, else the first and last ten.
    public var description: String { render(maxRows: 20) }
}

extension Bitmap {
    /// The positions of set bits, ascending.
    public var setIndices: [Int] {
        var out: [Int] = []
        out.reserveCapacity(nonzeroBitCount)
        for (w, word) in words.enumerated() {
            var x = word
            while x != 0 {
                out.append(w << 6 | x.trailingZeroBitCount)
                x &= x - 1
            }
        }
        return out
    }
}
