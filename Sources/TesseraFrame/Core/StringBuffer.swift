#if canImport(Glibc)
import Glibc
#endif

/// Many UTF-8 strings in one byte buffer, Arrow-style: string `i` is `bytes[offsets[i]..<offsets[i+1]]`.
///
/// Used for plain text columns and for the dictionaries of dictionary-encoded ones; building it
/// from CSV bytes costs one copy and no per-value allocation.
public struct StringBuffer: Sendable, Hashable {
    /// `count + 1` offsets into `bytes`, starting at 0.
    public private(set) var offsets: [Int]
    /// The concatenated UTF-8 bytes.
    public private(set) var bytes: [UInt8]

    /// An empty buffer.
    public init() { offsets = [0]; bytes = [] }

    /// A buffer holding `strings` in order.
    public init<S: Sequence>(_ strings: S) where S.Element == String {
        self.init()
        for s in strings { append(s) }
    }

    /// A buffer from its raw parts (`offsets.first == 0`, `offsets.last == bytes.count`).
    public init(offsets: [Int], bytes: [UInt8]) {
        precondition(offsets.first == 0 && offsets.last == bytes.count, "malformed string buffer")
        self.offsets = offsets
        self.bytes = bytes
    }

    /// The number of strings.
    @inlinable public var count: Int { offsets.count - 1 }

    /// String `i`, decoded (invalid UTF-8 is repaired). - Complexity: O(length).
    public subscript(i: Int) -> String {
        bytes.withUnsafeBufferPointer { b in
            String(decoding: UnsafeBufferPointer(rebasing: b[offsets[i]..<offsets[i + 1]]), as: UTF8.self)
        }
    }

    /// The byte range of string `i` in `bytes`.
    @inlinable public func range(_ i: Int) -> Range<Int> { offsets[i]..<offsets[i + 1] }

    /// Calls `body` with the raw bytes of string `i`.
    @inlinable
    public func withBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { b in try body(UnsafeBufferPointer(rebasing: b[offsets[i]..<offsets[i + 1]])) }
    }

    /// Appends a string.
    public mutating func append(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
        offsets.append(bytes.count)
    }

    /// Appends raw UTF-8 bytes as one string.
    public mutating func append(bytes raw: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: raw)
        offsets.append(bytes.count)
    }

    /// Appends string `i` of another buffer.
    public mutating func append(_ other: StringBuffer, _ i: Int) {
        // Through a buffer pointer: appending an ArraySlice retains and releases its storage.
        other.bytes.withUnsafeBufferPointer { b in bytes.append(contentsOf: UnsafeBufferPointer(rebasing: b[other.offsets[i]..<other.offsets[i + 1]])) }
        offsets.append(bytes.count)
    }

    /// Reserves room for `n` strings and `byteCount` bytes.
    public mutating func reserveCapacity(_ n: Int, bytes byteCount: Int) {
        offsets.reserveCapacity(n + 1)
        bytes.reserveCapacity(byteCount)
    }

    /// All strings, decoded.
    public var strings: [String] { (0..<count).map { self[$0] } }
}

/// String `index` of a buffer as a hash-table key, hashed and compared by its UTF-8 bytes (never
/// as a canonical `String`, which would make the two Unicode forms of a letter one key), with no
/// copy: the key shares the buffer's storage.
struct ByteKey: Hashable {
    let bytes: [UInt8]
    let range: Range<Int>

    init(_ buffer: StringBuffer, _ index: Int) {
        bytes = buffer.bytes
        range = buffer.range(index)
    }

    static func == (a: ByteKey, b: ByteKey) -> Bool {
        guard a.range.count == b.range.count else { return false }
        return a.bytes.withUnsafeBufferPointer { pa in
            b.bytes.withUnsafeBufferPointer { pb in
                a.range.isEmpty || memcmp(pa.baseAddress! + a.range.lowerBound, pb.baseAddress! + b.range.lowerBound, a.range.count) == 0
            }
        }
    }

    func hash(into h: inout Hasher) {
        bytes.withUnsafeBufferPointer { h.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: $0[range]))) }
    }
}
