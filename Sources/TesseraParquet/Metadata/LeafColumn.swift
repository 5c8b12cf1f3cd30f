// From the schema tree to the flat columns a frame can hold, and for each the rule that turns
// its physical values into a Tessera column type.

import TesseraFrame

/// How a column's physical values become Tessera values.
enum ValueConversion: Sendable, Equatable {
    case bool
    /// Integers kept as they are (signed, widened to 64 bits).
    case signed
    /// INT32 read as unsigned (UINT_8/16/32), widened to 64 bits.
    case unsigned32
    /// INT64 read as unsigned: a value past Int64.max is an error naming the column.
    case unsigned64
    case float
    /// Days since the epoch, to microseconds.
    case date
    /// Timestamps with this many units per second (1000, 1_000_000, 1_000_000_000), to microseconds.
    case timestamp(unitsPerSecond: Int64)
    /// INT96 legacy timestamps (nanoseconds of the day, then the Julian day).
    case int96
    /// Decimal with `scale`: the unscaled integer over 10^scale, as the nearest Double.
    case decimal(scale: Int)
    case string

    /// The Tessera type this conversion produces.
    var dataType: DataType {
        switch self {
        case .bool: return .bool
        case .signed, .unsigned32, .unsigned64: return .int64
        case .float, .decimal: return .float64
        case .date, .timestamp, .int96: return .timestamp
        case .string: return .string
        }
    }
}

/// A leaf of the schema that is a top-level flat column, with what reading it needs.
struct LeafColumn: Sendable {
    /// The column's name (the dotted path for leaves inside groups).
    var name: String
    /// Its position among the file's leaves (= the column chunk's position in each row group).
    var leafIndex: Int
    var physical: PhysicalType
    var typeLength: Int
    /// 1 for an OPTIONAL column, 0 for a REQUIRED one; nested leaves are not `LeafColumn`s.
    var maxDefinitionLevel: Int
    var conversion: ValueConversion
}

/// The file's columns: flat ones ready to read, nested ones by name (reading one is an error).
struct FlatSchema: Sendable {
    var columns: [LeafColumn]
    /// Top-level names of nested columns (LIST, MAP, STRUCT, repeated fields).
    var nested: [String]
    /// Every leaf's dotted path, in chunk order.
    var leafCount: Int

    init(_ elements: [SchemaElement]) throws {
        columns = []
        nested = []
        var leaf = 0
        var i = 1
        let rootChildren = elements[0].childCount
        for _ in 0..<rootChildren {
            guard i < elements.count else { throw CorruptData("the schema lists fewer nodes than its groups claim") }
            let e = elements[i]
            if e.childCount == 0 && e.repetition != .repeated {
                guard let physical = e.type else { throw CorruptData("column '\(e.name)' has no physical type") }
                let conversion = try valueConversion(e, physical)
                columns.append(LeafColumn(name: e.name, leafIndex: leaf, physical: physical, typeLength: e.typeLength,
                                          maxDefinitionLevel: e.repetition == .optional ? 1 : 0, conversion: conversion))
                leaf += 1
                i += 1
            } else {
                nested.append(e.name)
                // Skip the whole subtree, counting its leaves.
                var pending = 1
                while pending > 0 {
                    guard i < elements.count else { throw CorruptData("the schema lists fewer nodes than its groups claim") }
                    let n = elements[i]
                    pending -= 1
                    guard n.childCount >= 0, n.childCount <= elements.count else { throw CorruptData("schema node '\(n.name)' claims \(n.childCount) children") }
                    pending += n.childCount
                    if n.childCount == 0 { leaf += 1 }
                    i += 1
                }
            }
        }
        leafCount = leaf
    }
}

/// The conversion for a leaf: its LogicalType when present, else its ConvertedType, else the
/// physical type's natural one.
private func valueConversion(_ e: SchemaElement, _ physical: PhysicalType) throws -> ValueConversion {
    func unsupported(_ what: String) -> CorruptData { CorruptData("column '\(e.name)': \(what) is not supported") }
    if let lt = e.logicalType, let (id, value) = lt.fields.first {
        let inner: ThriftStruct
        if case .struct(let s) = value { inner = s } else { inner = ThriftStruct() }
        switch id {
        case 1, 4, 12: return .string  // STRING, ENUM, JSON
        case 5:  // DECIMAL
            return .decimal(scale: Int(try inner.int(1, "DecimalType.scale") ?? 0))
        case 6: return .date
        case 8:  // TIMESTAMP
            let unit = try inner.structure(2, "TimestampType.unit")?.fields.first?.id ?? 2
            return .timestamp(unitsPerSecond: unit == 1 ? 1000 : unit == 3 ? 1_000_000_000 : 1_000_000)
        case 10:  // INTEGER
            let signed = try inner.bool(2, "IntType.isSigned") ?? true
            if signed { return .signed }
            return physical == .int64 ? .unsigned64 : .unsigned32
        case 7: return .signed  // TIME: the raw count of its unit
        case 11: break  // UNKNOWN (always null): the physical type decides
        case 2, 3: throw unsupported("a MAP or LIST annotation on a flat column")
        default: break  // BSON, UUID, FLOAT16, VARIANT…: fall back on the physical type
        }
    } else if let ct = e.convertedType {
        switch ct {
        case .utf8, .enumeration, .json: return .string
        case .decimal: return .decimal(scale: e.scale)
        case .date: return .date
        case .timestampMillis: return .timestamp(unitsPerSecond: 1000)
        case .timestampMicros: return .timestamp(unitsPerSecond: 1_000_000)
        case .uint8, .uint16, .uint32: return .unsigned32
        case .uint64: return .unsigned64
        default: break
        }
    }
    switch physical {
    case .boolean: return .bool
    case .int32, .int64: return .signed
    case .int96: return .int96
    case .float, .double: return .float
    case .byteArray, .fixedLenByteArray: return .string
    }
}
