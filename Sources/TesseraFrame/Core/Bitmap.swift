/// A packed bit per row; in a column's validity, a set bit means the value is present.
///
/// Bits are stored 64 to a word, least significant bit first, like Arrow's validity bitmaps.
public struct Bitmap: Sendable, Hashable {
    /// The packed words; bits past `count` are zero.
    public private(set) var words: [UInt64]
    /// The number of bits.
    public private(set) var count: Int

    /// A bitmap of `count` bits, all set to `value`.
    public init(count: Int, value: Bool) {
        self.count = count
        let n = (count + 63) >> 6
        words = [UInt64](repeating: value ? ~0 : 0, count: n)
        if value { clearTail() }
    }

    /// A bitmap from packed words (bits past `count` must be zero).
    public init(words: [UInt64], count: Int) {
        precondition(words.count == (count + 63) >> 6, "\(words.count) words for \(count) bits")
        self.words = words
        self.count = count
    }

    /// A bitmap from booleans.
    public init<S: Sequence>(_ bits: S) where S.Element == Bool {
        self.init(count: 0, value: false)
        for b in bits { append(b) }
    }

    /// Bit `i`. - Complexity: O(1).
    public subscript(i: Int) -> Bool {
        get { (words[i >> 6] >> UInt64(i & 63)) & 1 != 0 }
        set {
            let m: UInt64 = 1 << UInt64(i & 63)
            if newValue { words[i >> 6] |= m } else { words[i >> 6] &= ~m }
        }
    }

    /// Appends one bit. - Complexity: amortised O(1).
    public mutating func append(_ bit: Bool) {
        if count & 63 == 0 { words.append(0) }
        if bit { words[count >> 6] |= 1 << UInt64(count & 63) }
        count += 1
    }

    /// Appends `n` copies of `bit`.
    public mutating func append(repeating bit: Bool, count n: Int) {
        for _ in 0..<n { append(bit) }
    }

    /// Appends all bits of `other`, a word at a time. - Complexity: O(other.count / 64).
    public mutating func append(contentsOf other: Bitmap) {
        let shift = count & 63
        if shift == 0 {
            words.append(contentsOf: other.words)
        } else {
            for w in other.words {
                words[words.count - 1] |= w << UInt64(shift)
                words.append(w >> UInt64(64 - shift))
            }
        }
        count += other.count
        let need = (count + 63) >> 6
        if words.count > need { words.removeLast(words.count - need) }
    }

    /// The bits at `indices`, in that order. - Complexity: O(indices.count).
    func taking(_ indices: [Int]) -> Bitmap {
        // Built a word at a time: the subscript's setter checks uniqueness on every bit.
        var out = [UInt64](repeating: 0, count: (indices.count + 63) >> 6)
        words.withUnsafeBufferPointer { w in
            indices.withUnsafeBufferPointer { r in
                out.withUnsafeMutableBufferPointer { o in
                    for k in 0..<r.count {
                        let i = r[k]
                        o[k >> 6] |= ((w[i >> 6] >> UInt64(i & 63)) & 1) << UInt64(k & 63)
                    }
                }
            }
        }
        return Bitmap(words: out, count: indices.count)
    }

    /// Reserves room for `n` bits in all.
    public mutating func reserveCapacity(_ n: Int) { words.reserveCapacity((n + 63) >> 6) }

    /// How many bits are set. - Complexity: O(count / 64).
    public var nonzeroBitCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Whether every bit is set.
    public var allSet: Bool { nonzeroBitCount == count }

    private mutating func clearTail() {
        let r = count & 63
        if r != 0 { words[words.count - 1] &= (1 << UInt64(r)) - 1 }
    }
}
