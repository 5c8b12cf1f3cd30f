// Dense codes for 64-bit keys, in order of first appearance: the hash table behind grouping by
// wide integers, doubles and several key columns at once.
//
// Open addressing with linear probing over two flat arrays (the key and its code per slot), at
// most half full, the slot chosen by the high bits of a multiplicative hash. Swift's Dictionary
// costs 60–100 ns a probe here (generic hashing, SipHash, resilient storage); this is one
// multiply, one or two cache misses and no allocation per key, which is what a group-by over ten
// million distinct keys needs.

/// Assigns each distinct `UInt64` key the next code `0, 1, 2, …`.
struct KeyInterner {
    /// The number of distinct keys seen, which is the next code.
    private(set) var count = 0
    private var slotKeys: [UInt64]
    private var slotCodes: [Int32]
    private var shift: UInt64

    /// A table with room for about `expected` keys before it first grows.
    init(expected: Int) {
        var cap = 16
        while cap < 2 * expected { cap <<= 1 }
        slotKeys = [UInt64](repeating: 0, count: cap)
        slotCodes = [Int32](repeating: -1, count: cap)
        shift = UInt64(64 - cap.trailingZeroBitCount)
    }

    @inline(__always)
    static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: ((key ^ (key >> 29)) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The codes of `keys`, in order (`skip` keys get -1 and take no code).
    /// - Complexity: O(keys) expected.
    mutating func codes(_ keys: UnsafeBufferPointer<UInt64>, skip: UInt64? = nil) -> [Int32] {
        var out = [Int32](repeating: -1, count: keys.count)
        out.withUnsafeMutableBufferPointer { o in
            var i = 0
            while i < keys.count {
                // Insert until the table is half full, then grow and go on.
                let room = slotCodes.count / 2 - count
                let end = Swift.min(keys.count, i + Swift.max(room, 0))
                if end == i { grow(); continue }
                let shift = self.shift
                var next = Int32(count)
                slotKeys.withUnsafeMutableBufferPointer { sk in
                    slotCodes.withUnsafeMutableBufferPointer { sc in
                        let mask = sc.count - 1
                        for r in i..<end {
                            let key = keys[r]
                            if let skip, key == skip { continue }
                            var h = KeyInterner.slot(key, shift)
                            while true {
                                let c = sc[h]
                                if c < 0 { sk[h] = key; sc[h] = next; o[r] = next; next += 1; break }
                                if sk[h] == key { o[r] = c; break }
                                h = (h + 1) & mask
                            }
                        }
                    }
                }
                count = Int(next)
                i = end
            }
        }
        return out
    }

    /// The code of `key`, or -1 when it was never interned; adds nothing (a join probes the
    /// build side's keys this way, so a table shared by every partition stays read-only).
    /// - Complexity: O(1) expected.
    @inline(__always)
    func code(of key: UInt64) -> Int32 {
        slotKeys.withUnsafeBufferPointer { sk in
            slotCodes.withUnsafeBufferPointer { sc in
                let mask = sc.count - 1
                var h = KeyInterner.slot(key, shift)
                while true {
                    let c = sc[h]
                    if c < 0 || sk[h] == key { return c }
                    h = (h + 1) & mask
                }
            }
        }
    }

    /// Doubles the table and re-inserts every key.
    private mutating func grow() {
        let oldKeys = slotKeys, oldCodes = slotCodes
        let cap = oldCodes.count * 2
        slotKeys = [UInt64](repeating: 0, count: cap)
        slotCodes = [Int32](repeating: -1, count: cap)
        shift -= 1
        let shift = self.shift
        slotKeys.withUnsafeMutableBufferPointer { sk in
            slotCodes.withUnsafeMutableBufferPointer { sc in
                let mask = cap - 1
                for s in 0..<oldCodes.count where oldCodes[s] >= 0 {
                    var h = KeyInterner.slot(oldKeys[s], shift)
                    while sc[h] >= 0 { h = (h + 1) & mask }
                    sk[h] = oldKeys[s]
                    sc[h] = oldCodes[s]
                }
            }
        }
    }
}
