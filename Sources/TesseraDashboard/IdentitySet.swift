/// A set of object identities for counting distinct layers when a compute starts.
///
/// A delayed graph has one layer per task, so the recorder inserts up to one identity per task of
/// a 200,000-task plan; `Set<ObjectIdentifier>` hashes each with SipHash (about a hundred
/// instructions). Object addresses are already well spread, so a multiplicative hash into an
/// open-addressing table of raw words (linear probing, at most half full) does the same in a few.
struct IdentitySet {
    private var slots: [UInt]
    private var mask: Int
    private var shift: Int
    private(set) var count = 0

    /// Creates an empty set with room for `capacity` identities before it grows.
    init(capacity: Int = 32) {
        var bits = 6
        while 1 << bits < 2 * capacity { bits += 1 }
        slots = [UInt](repeating: 0, count: 1 << bits)
        mask = slots.count - 1
        shift = UInt.bitWidth - bits
    }

    /// Adds `object`'s identity.
    /// - Returns: whether it was not in the set yet.
    /// - Complexity: amortised O(1).
    mutating func insert(_ object: AnyObject) -> Bool {
        let bits = UInt(bitPattern: ObjectIdentifier(object))  // never 0: an object's address
        var i = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> UInt(shift))
        while true {
            let s = slots[i]
            if s == bits { return false }
            if s == 0 { break }
            i = (i + 1) & mask
        }
        slots[i] = bits
        count += 1
        if count * 2 > slots.count { grow() }
        return true
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt](repeating: 0, count: old.count * 2)
        mask = slots.count - 1
        shift -= 1
        for bits in old where bits != 0 {
            var i = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> UInt(shift))
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = bits
        }
    }
}

