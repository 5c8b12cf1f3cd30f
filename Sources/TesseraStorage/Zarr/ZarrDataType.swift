import TesseraArray

/// The element type of a stored array: Zarr v3's `data_type` (`float64`, `uint16`, …) or v2's
/// NumPy type string (`<f8`, `>u2`, `|b1`), with its byte order.
struct ZarrDataType: Sendable, Equatable {
    enum Kind: Sendable { case bool, int, uint, float }
    let kind: Kind
    /// Bytes per element.
    let size: Int
    /// Whether the stored bytes are big-endian (v2 only; v3 says so in its `bytes` codec).
    var bigEndian: Bool

    /// The v3 name (`float64`).
    var v3Name: String {
        switch kind {
        case .bool: return "bool"
        case .int: return "int\(size * 8)"
        case .uint: return "uint\(size * 8)"
        case .float: return "float\(size * 8)"
        }
    }

    /// The v2 type string (`<f8`).
    var v2Name: String {
        let c: String
        switch kind {
        case .bool: c = "b"
        case .int: c = "i"
        case .uint: c = "u"
        case .float: c = "f"
        }
        return (size == 1 ? "|" : bigEndian ? ">" : "<") + c + String(size)
    }

    /// Parses a v3 `data_type`; nil for anything else (float16, complex, strings, structured).
    init?(v3 name: String) {
        switch name {
        case "bool": self.init(kind: .bool, size: 1, bigEndian: false)
        case "int8", "int16", "int32", "int64":
            self.init(kind: .int, size: Int(name.dropFirst(3))! / 8, bigEndian: false)
        case "uint8", "uint16", "uint32", "uint64":
            self.init(kind: .uint, size: Int(name.dropFirst(4))! / 8, bigEndian: false)
        case "float32", "float64":
            self.init(kind: .float, size: Int(name.dropFirst(5))! / 8, bigEndian: false)
        default: return nil
        }
    }

    /// Parses a v2 `dtype` string; nil for anything else.
    init?(v2 text: String) {
        guard text.count >= 3, let order = text.first, "<>|=".contains(order), let size = Int(text.dropFirst(2)) else { return nil }
        let c = text[text.index(after: text.startIndex)]
        switch (c, size) {
        case ("b", 1): self.init(kind: .bool, size: 1, bigEndian: false)
        case ("i", 1), ("i", 2), ("i", 4), ("i", 8): self.init(kind: .int, size: size, bigEndian: order == ">")
        case ("u", 1), ("u", 2), ("u", 4), ("u", 8): self.init(kind: .uint, size: size, bigEndian: order == ">")
        case ("f", 4), ("f", 8): self.init(kind: .float, size: size, bigEndian: order == ">")
        default: return nil
        }
    }

    init(kind: Kind, size: Int, bigEndian: Bool) {
        self.kind = kind
        self.size = size
        self.bigEndian = bigEndian
    }

    /// The stored type of an array of `T`, little-endian.
    init<T: ArrayScalar>(of: T.Type) {
        switch T.dtype {
        case .float64: self.init(kind: .float, size: 8, bigEndian: false)
        case .float32: self.init(kind: .float, size: 4, bigEndian: false)
        case .int64: self.init(kind: .int, size: 8, bigEndian: false)
        case .int32: self.init(kind: .int, size: 4, bigEndian: false)
        case .bool: self.init(kind: .bool, size: 1, bigEndian: false)
        }
    }

    /// Whether the stored bytes are exactly `T`'s in memory (a plain copy suffices).
    func isNative<T: ArrayScalar>(_: T.Type) -> Bool {
        self == ZarrDataType(of: T.self) || (size == 1 && ZarrDataType(kind: kind, size: 1, bigEndian: false) == ZarrDataType(of: T.self))
    }

    /// Converts `count` stored elements at `src` into `out`, as NumPy's `astype(T)` would:
    /// integers to floats exactly rounded, floats to integers truncated toward zero, anything to
    /// Bool as "non-zero", wider integers to narrower ones wrapping.
    func convert<T: ArrayScalar>(_ src: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<T>) {
        if isNative(T.self) {
            if T.dtype == .bool {
                for i in 0..<count { out[i] = src.load(fromByteOffset: i, as: UInt8.self) != 0 ? T.one : T.zero }
            } else {
                UnsafeMutableRawPointer(out).copyMemory(from: src, byteCount: count * size)
            }
            return
        }
        let toFloat = T.dtype == .float64 || T.dtype == .float32
        let swap = bigEndian
        @inline(__always) func u(_ i: Int) -> UInt64 {
            switch size {
            case 1: return UInt64(src.load(fromByteOffset: i, as: UInt8.self))
            case 2: let v = src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self); return UInt64(swap ? v.byteSwapped : v)
            case 4: let v = src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self); return UInt64(swap ? v.byteSwapped : v)
            default: let v = src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self); return swap ? v.byteSwapped : v
            }
        }
        switch kind {
        case .bool:
            for i in 0..<count { out[i] = u(i) != 0 ? T.one : T.zero }
        case .float:
            if size == 8 {
                for i in 0..<count { out[i] = T(_double: Double(bitPattern: u(i))) }
            } else {
                for i in 0..<count { out[i] = T(_double: Double(Float(bitPattern: UInt32(truncatingIfNeeded: u(i))))) }
            }
        case .int:
            let shift = UInt64(64 - 8 * size)
            for i in 0..<count {
                let v = Int64(bitPattern: u(i) << shift) >> Int64(shift)
                out[i] = toFloat ? T(_double: Double(v)) : T(_int64: v)
            }
        case .uint:
            for i in 0..<count {
                let v = u(i)
                out[i] = toFloat ? T(_double: Double(v)) : T(_int64: Int64(bitPattern: v))
            }
        }
    }
}
