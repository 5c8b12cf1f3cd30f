import Tessera

/// A group-by's partial result crosses ranks as its key table and one state per aggregation:
/// state columns and value lists through their own codecs, distinct-value sets as lists of
/// values, custom summaries each through `BlockCodec` (so they must be `BlockCodable` or
/// `Codable`).
extension PartialGroups: BlockCodable {
    private enum Tag: UInt8 { case columns, lists, sets, custom }

    /// Writes the keys and the states.
    /// - Parameter writer: where the bytes go.
    /// - Throws: `BlockCodecError.notEncodable` for a custom summary that cannot cross.
    func encode(to writer: inout BlockWriter) throws {
        keys.encode(to: &writer)
        writer.write(Int64(states.count))
        for state in states {
            switch state {
            case .columns(let c): writer.write(Tag.columns.rawValue); try c.encode(to: &writer)
            case .lists(let l): writer.write(Tag.lists.rawValue); try l.encode(to: &writer)
            case .sets(let s):
                writer.write(Tag.sets.rawValue)
                writer.write(Int64(s.count))
                for set in s {
                    writer.write(Int64(set.count))
                    for v in set { v.encode(to: &writer) }
                }
            case .custom(let a):
                writer.write(Tag.custom.rawValue)
                writer.write(Int64(a.count))
                for v in a { try BlockCodec.encode(v, into: &writer) }
            }
        }
    }

    /// Reads partial groups written by `encode(to:)`.
    /// - Parameter reader: the bytes.
    /// - Returns: the partial groups.
    /// - Throws: `BlockCodecError` when truncated or malformed.
    static func decode(from reader: inout BlockReader) throws -> PartialGroups {
        let keys = try Table.decode(from: &reader)
        let n = try reader.readCount(limit: reader.remaining)
        var states: [AggState] = []
        for _ in 0..<n {
            guard let tag = Tag(rawValue: try reader.read(UInt8.self)) else { throw BlockCodecError.malformed("aggregation state tag") }
            switch tag {
            case .columns: states.append(.columns(try [Column].decode(from: &reader)))
            case .lists: states.append(.lists(try [[Double]].decode(from: &reader)))
            case .sets:
                let groups = try reader.readCount(limit: reader.remaining)
                var sets: [Set<Value>] = []
                for _ in 0..<groups {
                    let k = try reader.readCount(limit: reader.remaining)
                    var set = Set<Value>(minimumCapacity: k)
                    for _ in 0..<k { set.insert(try Value.decode(from: &reader)) }
                    sets.append(set)
                }
                states.append(.sets(sets))
            case .custom:
                let k = try reader.readCount(limit: reader.remaining)
                states.append(.custom(try (0..<k).map { _ in try BlockCodec.decode(from: &reader) }))
            }
        }
        return PartialGroups(keys: keys, states: states)
    }
}

/// One cell value crosses as a tag and its payload (text byte for byte, floats bit for bit).
extension Value: BlockCodable {
    /// Writes the tag and the payload.
    /// - Parameter writer: where the bytes go.
    public func encode(to writer: inout BlockWriter) {
        switch self {
        case .missing: writer.write(UInt8(0))
        case .bool(let b): writer.write(UInt8(1)); writer.write(b)
        case .int64(let i): writer.write(UInt8(2)); writer.write(i)
        case .float64(let d): writer.write(UInt8(3)); writer.write(d)
        case .string(let s): writer.write(UInt8(4)); writer.write(s)
        case .timestamp(let t): writer.write(UInt8(5)); writer.write(t)
        }
    }

    /// Reads a value written by `encode(to:)`.
    /// - Parameter reader: the bytes.
    /// - Returns: the value.
    /// - Throws: `BlockCodecError` when truncated or the tag is unknown.
    public static func decode(from reader: inout BlockReader) throws -> Value {
        switch try reader.read(UInt8.self) {
        case 0: return .missing
        case 1: return .bool(try reader.read(Bool.self))
        case 2: return .int64(try reader.read(Int64.self))
        case 3: return .float64(try reader.read(Double.self))
        case 4: return .string(try reader.read(String.self))
        case 5: return .timestamp(try reader.read(Int64.self))
        case let t: throw BlockCodecError.malformed("value tag \(t)")
        }
    }
}
