// Parquet's metadata (the footer and every page header) is Thrift, written with the compact
// protocol. Rather than generate code per struct, the decoder reads any message into this small
// tree and the metadata types read their fields from it by id: unknown fields are skipped for
// free (they are simply never asked for), and the encoder writes the same tree back.

/// One Thrift value in the compact protocol's type system.
enum ThriftValue: Sendable, Equatable {
    case bool(Bool)
    case i8(Int8)
    case i16(Int16)
    case i32(Int32)
    case i64(Int64)
    case double(Double)
    case binary([UInt8])
    /// The element type (a compact type code) and the elements.
    case list(UInt8, [ThriftValue])
    /// Key and value type codes and the pairs.
    case map(UInt8, UInt8, [(ThriftValue, ThriftValue)])
    case `struct`(ThriftStruct)

    static func == (a: ThriftValue, b: ThriftValue) -> Bool {
        switch (a, b) {
        case (.bool(let x), .bool(let y)): return x == y
        case (.i8(let x), .i8(let y)): return x == y
        case (.i16(let x), .i16(let y)): return x == y
        case (.i32(let x), .i32(let y)): return x == y
        case (.i64(let x), .i64(let y)): return x == y
        case (.double(let x), .double(let y)): return x == y
        case (.binary(let x), .binary(let y)): return x == y
        case (.list(let t, let x), .list(let u, let y)): return t == u && x == y
        case (.map(let k, let v, let x), .map(let k2, let v2, let y)):
            return k == k2 && v == v2 && x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.struct(let x), .struct(let y)): return x == y
        default: return false
        }
    }

    /// The compact protocol's type code of this value (as a field or a list element).
    var typeCode: UInt8 {
        switch self {
        case .bool(let b): return b ? 1 : 2
        case .i8: return 3
        case .i16: return 4
        case .i32: return 5
        case .i64: return 6
        case .double: return 7
        case .binary: return 8
        case .list: return 9
        case .map: return 11
        case .struct: return 12
        }
    }
}

/// A Thrift struct: its fields in the order they were read or are to be written.
struct ThriftStruct: Sendable, Equatable {
    var fields: [(id: Int16, value: ThriftValue)] = []

    init(_ fields: [(id: Int16, value: ThriftValue)] = []) { self.fields = fields }

    static func == (a: ThriftStruct, b: ThriftStruct) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.id == $1.id && $0.value == $1.value }
    }

    subscript(id: Int16) -> ThriftValue? {
        for f in fields where f.id == id { return f.value }
        return nil
    }

    /// Appends field `id` when `value` is not nil (optional fields are simply left out).
    mutating func set(_ id: Int16, _ value: ThriftValue?) {
        if let v = value { fields.append((id, v)) }
    }

    // Typed accessors: a field of the wrong type is corrupt metadata, not a missing field.

    func int(_ id: Int16, _ what: String) throws -> Int64? {
        switch self[id] {
        case nil: return nil
        case .i8(let v)?: return Int64(v)
        case .i16(let v)?: return Int64(v)
        case .i32(let v)?: return Int64(v)
        case .i64(let v)?: return v
        default: throw CorruptData("\(what) (field \(id)) is not an integer")
        }
    }

    func requiredInt(_ id: Int16, _ what: String) throws -> Int64 {
        guard let v = try int(id, what) else { throw CorruptData("\(what) (field \(id)) is missing") }
        return v
    }

    func bool(_ id: Int16, _ what: String) throws -> Bool? {
        switch self[id] {
        case nil: return nil
        case .bool(let b)?: return b
        default: throw CorruptData("\(what) (field \(id)) is not a bool")
        }
    }

    func binary(_ id: Int16, _ what: String) throws -> [UInt8]? {
        switch self[id] {
        case nil: return nil
        case .binary(let b)?: return b
        default: throw CorruptData("\(what) (field \(id)) is not binary")
        }
    }

    func string(_ id: Int16, _ what: String) throws -> String? {
        try binary(id, what).map { String(decoding: $0, as: UTF8.self) }
    }

    func structure(_ id: Int16, _ what: String) throws -> ThriftStruct? {
        switch self[id] {
        case nil: return nil
        case .struct(let s)?: return s
        default: throw CorruptData("\(what) (field \(id)) is not a struct")
        }
    }

    func list(_ id: Int16, _ what: String) throws -> [ThriftValue]? {
        switch self[id] {
        case nil: return nil
        case .list(_, let l)?: return l
        default: throw CorruptData("\(what) (field \(id)) is not a list")
        }
    }

    func structs(_ id: Int16, _ what: String) throws -> [ThriftStruct]? {
        try list(id, what)?.map {
            guard case .struct(let s) = $0 else { throw CorruptData("\(what) (field \(id)) holds a non-struct") }
            return s
        }
    }
}
