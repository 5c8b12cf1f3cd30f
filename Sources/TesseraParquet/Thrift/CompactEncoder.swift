// The Thrift compact protocol, encoding side: the inverse of `CompactDecoder` for the same tree.

/// Writes compact-protocol Thrift.
struct CompactEncoder {
    private(set) var bytes: [UInt8] = []

    mutating func write(_ s: ThriftStruct) {
        var lastID: Int16 = 0
        for (id, value) in s.fields {
            let type = value.typeCode
            let delta = id - lastID
            if delta > 0 && delta <= 15 {
                bytes.append(UInt8(delta) << 4 | type)
            } else {
                bytes.append(type)
                writeZigzag(Int64(id))
            }
            lastID = id
            if case .bool = value { continue }  // the value is in the header's type nibble
            writeValue(value)
        }
        bytes.append(0)
    }

    private mutating func writeValue(_ v: ThriftValue) {
        switch v {
        case .bool(let b): bytes.append(b ? 1 : 2)
        case .i8(let x): bytes.append(UInt8(bitPattern: x))
        case .i16(let x): writeZigzag(Int64(x))
        case .i32(let x): writeZigzag(Int64(x))
        case .i64(let x): writeZigzag(x)
        case .double(let d):
            let bits = d.bitPattern
            for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k)))) }
        case .binary(let b):
            writeVarint(UInt64(b.count))
            bytes.append(contentsOf: b)
        case .list(let type, let items):
            if items.count < 15 { bytes.append(UInt8(items.count) << 4 | type) } else {
                bytes.append(0xF0 | type)
                writeVarint(UInt64(items.count))
            }
            for item in items { writeValue(item) }
        case .map(let k, let t, let pairs):
            writeVarint(UInt64(pairs.count))
            if pairs.isEmpty { return }
            bytes.append(k << 4 | t)
            for (a, b) in pairs { writeValue(a); writeValue(b) }
        case .struct(let s): write(s)
        }
    }

    private mutating func writeVarint(_ v: UInt64) {
        var x = v
        while x >= 0x80 {
            bytes.append(UInt8(x & 0x7F) | 0x80)
            x >>= 7
        }
        bytes.append(UInt8(x))
    }

    private mutating func writeZigzag(_ v: Int64) {
        writeVarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }
}

extension ThriftStruct {
    /// The struct in the compact protocol.
    var encoded: [UInt8] {
        var e = CompactEncoder()
        e.write(self)
        return e.bytes
    }
}
