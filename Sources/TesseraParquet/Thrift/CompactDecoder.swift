// The Thrift compact protocol, decoding side. A field header is one byte: the high nibble is the
// id's delta from the previous field (0: a zigzag varint id follows), the low nibble the type
// (booleans carry their value in it: 1 true, 2 false). Integers are zigzag varints, binaries a
// varint length and the bytes, lists a header byte (size in the high nibble, 15: a varint size
// follows) and the elements. Every length is checked against the bytes left and nesting is
// bounded, so corrupt metadata is an error, never an over-read or a stack overflow.

/// Reads compact-protocol Thrift from a byte buffer.
struct CompactDecoder {
    private var reader: ByteReader
    /// The offset of the next unread byte.
    var position: Int { reader.position }
    /// Deeper nesting than this is corrupt (Parquet's deepest struct nests about six levels).
    static let maxDepth = 64

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        reader = ByteReader(bytes, position: position)
    }

    /// Decodes one struct starting at `position` (the bytes after it are left alone).
    mutating func readStruct(depth: Int = 0) throws -> ThriftStruct {
        guard depth < Self.maxDepth else { throw CorruptData("Thrift structs nested deeper than \(Self.maxDepth)") }
        var out = ThriftStruct()
        var lastID: Int16 = 0
        while true {
            let header = try readByte()
            if header == 0 { return out }
            let type = header & 0x0F
            let delta = Int16(header >> 4)
            let id: Int16
            if delta != 0 {
                let (sum, overflow) = lastID.addingReportingOverflow(delta)
                guard !overflow else { throw CorruptData("Thrift field id overflows") }
                id = sum
            } else {
                let raw = try readZigzag()
                guard let v = Int16(exactly: raw) else { throw CorruptData("Thrift field id \(raw) out of range") }
                id = v
            }
            lastID = id
            let value: ThriftValue
            switch type {
            case 1: value = .bool(true)
            case 2: value = .bool(false)
            default: value = try readValue(type: type, depth: depth + 1)
            }
            out.fields.append((id, value))
        }
    }

    private mutating func readValue(type: UInt8, depth: Int) throws -> ThriftValue {
        switch type {
        case 1, 2: return .bool(try readByte() == 1)  // inside lists and maps a bool is a whole byte
        case 3: return .i8(Int8(bitPattern: try readByte()))
        case 4:
            let v = try readZigzag()
            guard let x = Int16(exactly: v) else { throw CorruptData("Thrift i16 \(v) out of range") }
            return .i16(x)
        case 5:
            let v = try readZigzag()
            guard let x = Int32(exactly: v) else { throw CorruptData("Thrift i32 \(v) out of range") }
            return .i32(x)
        case 6: return .i64(try readZigzag())
        case 7:
            return .double(Double(bitPattern: try reader.fixed(UInt64.self)))
        case 8:
            let n = try readLength()
            return .binary([UInt8](try reader.take(n, "a Thrift binary of \(n) bytes")))
        case 9, 10:
            let header = try readByte()
            let elementType = header & 0x0F
            var n = Int(header >> 4)
            if n == 15 { n = try readLength() }
            // Every element takes at least one byte, so a count past the bytes left is corrupt.
            try reader.need(n, "a Thrift list of \(n) elements")
            var items: [ThriftValue] = []
            items.reserveCapacity(n)
            for _ in 0..<n { items.append(try readValue(type: elementType, depth: depth + 1)) }
            return .list(elementType, items)
        case 11:
            let n = try readLength()
            if n == 0 { return .map(0, 0, []) }
            let types = try readByte()
            try reader.need(n, "a Thrift map of \(n) entries")
            var pairs: [(ThriftValue, ThriftValue)] = []
            for _ in 0..<n {
                let k = try readValue(type: types >> 4, depth: depth + 1)
                let v = try readValue(type: types & 0x0F, depth: depth + 1)
                pairs.append((k, v))
            }
            return .map(types >> 4, types & 0x0F, pairs)
        case 12: return .struct(try readStruct(depth: depth))
        default: throw CorruptData("unknown Thrift type \(type) at byte \(reader.position)")
        }
    }

    private mutating func readByte() throws -> UInt8 { try reader.byte() }

    private mutating func readZigzag() throws -> Int64 { try reader.zigzag() }

    private mutating func readLength() throws -> Int {
        let v = try reader.varint()
        guard v <= UInt64(Int32.max) else { throw CorruptData("Thrift length \(v) is impossible") }
        return Int(v)
    }
}

extension ThriftStruct {
    /// Decodes one struct from the start of `bytes`, returning it and the bytes it took.
    /// - Throws: `CorruptData` for truncated or malformed input.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> (ThriftStruct, Int) {
        var d = CompactDecoder(bytes)
        let s = try d.readStruct()
        return (s, d.position)
    }
}
