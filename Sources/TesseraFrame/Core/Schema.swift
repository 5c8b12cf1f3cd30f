/// One column's description: name, type, and whether it may hold missing values.
public struct Field: Sendable, Hashable, CustomStringConvertible {
    /// The column's name.
    public var name: String
    /// The column's type.
    public var type: DataType
    /// Whether the column may hold missing values.
    public var nullable: Bool

    /// Describes a column.
    /// - Parameters:
    /// - name: the column's name.
    /// - type: the column's type.
    /// - nullable: whether it may hold missing values.
    public init(_ name: String, _ type: DataType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }

    /// `name: type`, with `?` after a nullable type (`DepDelay: float64?`).
    public var description: String { "\(name): \(type)\(nullable ? "?" : "")" }
}

/// The ordered columns of a frame.
///
/// A lazy `ChunkedFrame` read from CSV knows its names exactly from the headers; its types are
/// guessed from a sample of the data the first time they are asked for (once per `readCSV`) and
/// refined by `ChunkedFrame.inferSchema()`, which reads every value.
public struct Schema: Sendable, Hashable, CustomStringConvertible {
    /// The columns, in order.
    public var fields: [Field] { didSet { nameIndex = NameIndex(fields.map(\.name)) } }
    /// Positions of the names, so that looking a field up is O(1).
    private var nameIndex: NameIndex

    /// A schema of `fields`, in order.
    public init(_ fields: [Field]) {
        self.fields = fields
        nameIndex = NameIndex(fields.map(\.name))
    }

    /// Schemas are equal when their fields are (the name index is derived from them).
    public static func == (a: Schema, b: Schema) -> Bool { a.fields == b.fields }
    /// Hashes the fields only, consistent with `==`.
    public func hash(into h: inout Hasher) { h.combine(fields) }

    /// The column names, in order.
    public var names: [String] { fields.map(\.name) }

    /// The number of columns.
    public var count: Int { fields.count }

    /// The position of the column named `name`, if any.
    /// - Complexity: O(1) on average (O(columns) for up to 32 columns).
    public func index(of name: String) -> Int? {
        if fields.count <= NameIndex.linearLimit { return fields.firstIndex { $0.name == name } }
        return nameIndex.position(of: name, in: [])
    }

    /// The field named `name`. - Throws: `FrameError.unknownColumn` listing the columns there are.
    public func field(_ name: String) throws -> Field {
        guard let i = index(of: name) else { throw FrameError.unknownColumn(name, available: names) }
        return fields[i]
    }

    /// Field by name, nil when absent.
    public subscript(name: String) -> Field? { index(of: name).map { fields[$0] } }

    /// The schema that holds both: same names in the same order, types unified by promotion,
    /// nullable if either is. - Throws: `FrameError.schemaMismatch` when the names differ.
    public func unified(with other: Schema) throws -> Schema {
        guard names == other.names else {
            throw FrameError.schemaMismatch("columns \(names) and \(other.names) differ")
        }
        return Schema(zip(fields, other.fields).map {
            Field($0.name, $0.type.unified(with: $1.type), nullable: $0.nullable || $1.nullable)
        })
    }

    /// `column,type,nullable` lines as `tessera schema` prints them (with the header line).
    public var csv: String {
        var out = "column,type,nullable\n"
        for f in fields { out += "\(csvQuote(f.name)),\(f.type),\(f.nullable)\n" }
        return out
    }

    /// The fields, comma-separated: `Origin: string?, DepDelay: float64?`.
    public var description: String { fields.map(\.description).joined(separator: ", ") }
}
