// Dictionary encoding of text as it is parsed: a byte-string interner.

import CTesseraSIMD

/// Interns byte strings into a dictionary: open addressing, the hash cached per entry.
///
/// Strings of at most seven bytes (codes, airports, carriers: most dictionary columns) also go
/// through a second table keyed by the string itself packed into one word — its bytes, and its
/// length in the top byte — so looking one up is one multiply and one word compare, with no
/// byte loop and no indirection through offsets. Strings of eight to fifteen bytes (ids such as
/// `id0000012345`) live only in a third table keyed by their two words (the general table never
/// sees them): with a million distinct strings every indirection is a cache miss, and the general
/// table's lookup takes four (slot, cached hash, offset, bytes) where this one takes two.
struct DictionaryBuilder {
    var bytes: [UInt8] = []
    var offsets: [Int] = [0]
    private var hashes: [UInt64] = []
    private var slots: [Int32]
    private var mask: Int
    private var shortKeys: [UInt64]
    private var shortCodes: [Int32]
    private var shortCount = 0
    private var shortShift: UInt64
    /// Per slot of the 8–15-byte table, the code it holds (-1: empty); the string's two words
    /// are `midKeys[2 × code]` and `midKeys[2 × code + 1]` (the second with the length in its top
    /// byte), dense by code so the table costs four bytes a slot.
    private var midSlots: [Int32] = []
    private var midKeys: [UInt64] = []
    private var midCount = 0
    /// Strings in the general table (every one but those of 8–15 bytes).
    private var generalCount = 0
    private var midShift: UInt64 = 64
    /// The entries the 8–15-byte table is sized for when it is first used.
    private let midExpected: Int

    /// A builder with room for about `expected` strings before its tables grow: the
    /// 8–15-byte table (ids) gets it when first used, the other two at most 65,536 of it at
    /// once (they grow as needed), so that a large `expected` for ids allocates no large table
    /// that ids never touch.
    init(expected: Int) {
        midExpected = expected
        var cap = 64
        while cap < Swift.min(expected, 1 << 16) * 2 { cap <<= 1 }
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
        shortKeys = [UInt64](repeating: 0, count: cap)
        shortCodes = [Int32](repeating: -1, count: cap)
        shortShift = UInt64(64 - cap.trailingZeroBitCount)
    }

    /// The code of `p[0..<n]` for n ≤ 7, adding it when new. `p` must have 8 readable bytes.
    @inline(__always)
    mutating func shortCode(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        let word = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
        let key = (word & ((1 &<< UInt64(n &* 8)) &- 1)) | (UInt64(n) &<< 56)
        var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shortShift)
        let m = shortKeys.count &- 1
        while true {
            let c = shortCodes[i]
            if c < 0 { return insertShort(p, n, key, at: i) }
            if shortKeys[i] == key { return c }
            i = (i &+ 1) & m
        }
    }

    private mutating func insertShort(_ p: UnsafePointer<UInt8>, _ n: Int, _ key: UInt64, at slot: Int) -> Int32 {
        let c = code(p, n)
        shortKeys[slot] = key
        shortCodes[slot] = c
        shortCount += 1
        if shortCount * 2 > shortKeys.count { rehashShort() }
        return c
    }

    private mutating func rehashShort() {
        let cap = shortKeys.count * 2
        let oldKeys = shortKeys, oldCodes = shortCodes
        shortKeys = [UInt64](repeating: 0, count: cap)
        shortCodes = [Int32](repeating: -1, count: cap)
        shortShift = UInt64(64 - cap.trailingZeroBitCount)
        for j in oldKeys.indices where oldCodes[j] >= 0 {
            var i = Int(truncatingIfNeeded: (oldKeys[j] &* 0x9E37_79B9_7F4A_7C15) >> shortShift)
            while shortCodes[i] >= 0 { i = (i + 1) & (cap - 1) }
            shortKeys[i] = oldKeys[j]
            shortCodes[i] = oldCodes[j]
        }
    }

    var count: Int { offsets.count - 1 }

    /// The code of `p[0..<n]`, through the word-keyed tables when the string is shorter than 16
    /// bytes. `p` must have `n + 8` readable bytes.
    @inline(__always)
    mutating func lookup(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        if n >= 16 || n == 0 { return code(p, n) }
        if n < 8 { return shortCode(p, n) }
        let (first, second) = DictionaryBuilder.midWords(p, n)
        return midCode(p, n, first, second)
    }

    /// The two words that key an 8–15-byte string: its first eight bytes, and the rest with the
    /// length in the top byte. `p` must have `n + 8` readable bytes.
    @inline(__always)
    static func midWords(_ p: UnsafePointer<UInt8>, _ n: Int) -> (UInt64, UInt64) {
        let raw = UnsafeRawPointer(p)
        let tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        return (raw.loadUnaligned(as: UInt64.self), (tail & ((1 &<< UInt64((n &- 8) &* 8)) &- 1)) | (UInt64(n) &<< 56))
    }

    /// Starts loading the table slot where `p[0..<n]` would be found (a hint for a lookup a few
    /// rows later). `p` must have `n + 8` readable bytes. Mutating only so that a caller holding
    /// the builder in place (`codes(of:)`) doesn't copy it, and retain its arrays, per call.
    @inline(__always)
    mutating func prefetchSlot(_ p: UnsafePointer<UInt8>, _ n: Int) {
        if n >= 8 && n < 16 {
            guard !midSlots.isEmpty else { return }
            let (first, second) = DictionaryBuilder.midWords(p, n)
            let i = DictionaryBuilder.midSlot(first, second, midShift)
            midSlots.withUnsafeBufferPointer { tessera_prefetch($0.baseAddress! + i) }
        } else if n >= 16 {
            let i = Int(truncatingIfNeeded: DictionaryBuilder.hash(p, n)) & mask
            slots.withUnsafeBufferPointer { tessera_prefetch($0.baseAddress! + i) }
        }
    }

    /// Reads the slot of an 8–15-byte string (loaded by `prefetchSlot` rows earlier) and starts
    /// loading the words of the entry it holds: the second cache miss of a lookup. Mutating for
    /// the reason `prefetchSlot` is.
    @inline(__always)
    mutating func prefetchEntry(_ p: UnsafePointer<UInt8>, _ n: Int) {
        guard n >= 8 && n < 16, !midSlots.isEmpty else { return }
        let (first, second) = DictionaryBuilder.midWords(p, n)
        let c = midSlots[DictionaryBuilder.midSlot(first, second, midShift)]
        if c >= 0 { midKeys.withUnsafeBufferPointer { tessera_prefetch($0.baseAddress! + 2 * Int(c)) } }
    }

    /// The codes of every string of `strings` (-1 where `validity` says missing), interning the
    /// new ones: the loop behind `interned` and dictionary unions. Lookups run a few rows behind
    /// prefetches of their table slots and entries, so the cache misses of a large dictionary
    /// overlap instead of following one another.
    /// - Complexity: O(bytes) expected.
    mutating func codes(of strings: StringBuffer, validity: Bitmap? = nil) -> [Int32] {
        let n = strings.count
        var out = [Int32](repeating: -1, count: n)
        guard n > 0 else { return out }
        let offsets = strings.offsets, bytes = strings.bytes
        // A lookup reads eight bytes past its string: rows that end that far before the end of
        // the buffer are read in place; the last few go through a padded copy.
        var inPlace = n
        while inPlace > 0 && offsets[inPlace] + 8 > bytes.count { inPlace -= 1 }
        let slotAhead = 16, entryAhead = 8
        bytes.withUnsafeBufferPointer { b in
            offsets.withUnsafeBufferPointer { o in
                out.withUnsafeMutableBufferPointer { codes in
                    guard inPlace > 0, let base = b.baseAddress else { return }
                    for i in 0..<inPlace {
                        if i + slotAhead < inPlace { prefetchSlot(base + o[i + slotAhead], o[i + slotAhead + 1] - o[i + slotAhead]) }
                        if i + entryAhead < inPlace { prefetchEntry(base + o[i + entryAhead], o[i + entryAhead + 1] - o[i + entryAhead]) }
                        if validity?[i] ?? true { codes[i] = lookup(base + o[i], o[i + 1] - o[i]) }
                    }
                }
            }
        }
        guard inPlace < n else { return out }
        let tail = Array(bytes[offsets[inPlace]...]) + [UInt8](repeating: 0, count: 8)
        tail.withUnsafeBufferPointer { t in
            for i in inPlace..<n where validity?[i] ?? true {
                out[i] = lookup(t.baseAddress! + (offsets[i] - offsets[inPlace]), offsets[i + 1] - offsets[i])
            }
        }
        return out
    }

    /// The code of the 8–15-byte string `p[0..<n]` whose two words are `first` and `second`.
    @inline(__always)
    private mutating func midCode(_ p: UnsafePointer<UInt8>, _ n: Int, _ first: UInt64, _ second: UInt64) -> Int32 {
        if midSlots.isEmpty { growMid() }
        let m = midSlots.count &- 1
        var i = DictionaryBuilder.midSlot(first, second, midShift)
        while true {
            let c = midSlots[i]
            if c < 0 { return insertMid(p, n, first, second, at: i) }
            if midKeys[Int(c) &* 2] == first && midKeys[Int(c) &* 2 &+ 1] == second { return c }
            i = (i &+ 1) & m
        }
    }

    @inline(__always)
    private static func midSlot(_ first: UInt64, _ second: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: ((first ^ (second &* 0xC2B2_AE3D_27D4_EB4F)) &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    private mutating func insertMid(_ p: UnsafePointer<UInt8>, _ n: Int, _ first: UInt64, _ second: UInt64, at slot: Int) -> Int32 {
        let c = Int32(count)
        bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        offsets.append(bytes.count)
        hashes.append(0)  // keeps `hashes` indexed by code; the general table skips this entry
        // Codes of the other tables' strings leave holes of zeros.
        if midKeys.count < 2 * Int(c) { midKeys.append(contentsOf: repeatElement(0, count: 2 * Int(c) - midKeys.count)) }
        if midKeys.count == 2 * Int(c) {
            midKeys.append(first)
            midKeys.append(second)
        } else {
            midKeys[2 * Int(c)] = first
            midKeys[2 * Int(c) + 1] = second
        }
        midSlots[slot] = c
        midCount += 1
        if midCount * 2 > midSlots.count { growMid() }
        return c
    }

    private mutating func growMid() {
        var cap = Swift.max(64, midSlots.count * 2)
        if midSlots.isEmpty {
            while cap < midExpected * 2 { cap <<= 1 }
            // Room for the expected ids up front: growing the entry arrays by doubling copied
            // each of them about twice over.
            if midExpected > 1 << 14 {
                bytes.reserveCapacity(bytes.count + 12 * midExpected)
                offsets.reserveCapacity(offsets.count + midExpected)
                hashes.reserveCapacity(hashes.count + midExpected)
                midKeys.reserveCapacity(2 * (count + midExpected))
            }
        }
        midSlots = [Int32](repeating: -1, count: cap)
        midShift = UInt64(64 - cap.trailingZeroBitCount)
        // By code, so the words are read in order rather than in the old table's scattered one.
        for c in 0..<Swift.min(count, midKeys.count / 2) where (8..<16).contains(offsets[c + 1] - offsets[c]) {
            var i = DictionaryBuilder.midSlot(midKeys[2 * c], midKeys[2 * c + 1], midShift)
            while midSlots[i] >= 0 { i = (i + 1) & (cap - 1) }
            midSlots[i] = Int32(c)
        }
    }

    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(n)
        var i = 0
        while i + 8 <= n {
            h = (h ^ UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            h ^= h >> 32
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n { tail |= UInt64(p[i]) << shift; shift += 8; i += 1 }
        h = (h ^ tail) &* 0x9E37_79B9_7F4A_7C15
        return h ^ (h >> 29)
    }

    /// The code of `p[0..<n]`, adding it when new.
    @inline(__always)
    mutating func code(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        if n >= 8 && n < 16 {
            var tail: UInt64 = 0
            for j in 8..<n { tail |= UInt64(p[j]) &<< UInt64((j &- 8) &* 8) }
            return midCode(p, n, UnsafeRawPointer(p).loadUnaligned(as: UInt64.self), tail | (UInt64(n) &<< 56))
        }
        let h = DictionaryBuilder.hash(p, n)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let c = slots[i]
            if c < 0 { return insert(p, n, h, at: i) }
            if hashes[Int(c)] == h && equal(Int(c), p, n) { return c }
            i = (i + 1) & mask
        }
    }

    @inline(__always)
    private func equal(_ c: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
        let s = offsets[c]
        guard offsets[c + 1] - s == n else { return false }
        return bytes.withUnsafeBufferPointer { b in memcmpBytes(b.baseAddress! + s, p, n) }
    }

    private mutating func insert(_ p: UnsafePointer<UInt8>, _ n: Int, _ h: UInt64, at slot: Int) -> Int32 {
        let c = Int32(count)
        bytes.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
        offsets.append(bytes.count)
        hashes.append(h)
        slots[slot] = c
        generalCount += 1
        if generalCount * 2 > slots.count { rehash() }
        return c
    }

    private mutating func rehash() {
        let cap = slots.count * 2
        slots = [Int32](repeating: -1, count: cap)
        mask = cap - 1
        for c in 0..<count where !(8..<16).contains(offsets[c + 1] - offsets[c]) {
            var i = Int(truncatingIfNeeded: hashes[c]) & mask
            while slots[i] >= 0 { i = (i + 1) & mask }
            slots[i] = Int32(c)
        }
    }

    /// The code of `p[0..<n]`, or -1 when it is not in the dictionary; adds nothing (a join
    /// probes the build side's text this way, from a table every partition shares). Strings
    /// shorter than 16 bytes are found through the word-keyed tables as `lookup` finds them;
    /// `readable` says how many bytes from `p` may be read (at least `n`): with fewer than 16 the
    /// string is copied to a padded word pair first.
    /// - Complexity: O(n) expected.
    @inline(__always)
    func find(_ p: UnsafePointer<UInt8>, _ n: Int, readable: Int) -> Int32 {
        if n >= 16 || n == 0 { return findGeneral(p, n) }
        if readable < 16 {
            var words: (UInt64, UInt64) = (0, 0)
            return withUnsafeMutableBytes(of: &words) { w in
                w.baseAddress!.copyMemory(from: p, byteCount: n)
                return findShort(w.baseAddress!.assumingMemoryBound(to: UInt8.self), n)
            }
        }
        return findShort(p, n)
    }

    /// `find` for 0 < n < 16 with 16 bytes readable at `p`.
    @inline(__always)
    private func findShort(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        let raw = UnsafeRawPointer(p)
        let first = raw.loadUnaligned(as: UInt64.self)
        if n < 8 {
            let key = (first & ((1 &<< UInt64(n &* 8)) &- 1)) | (UInt64(n) &<< 56)
            var i = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shortShift)
            let m = shortKeys.count &- 1
            while true {
                let c = shortCodes[i]
                if c < 0 { return -1 }
                if shortKeys[i] == key { return c }
                i = (i &+ 1) & m
            }
        }
        if midSlots.isEmpty { return -1 }
        let tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let second = (tail & ((1 &<< UInt64((n &- 8) &* 8)) &- 1)) | (UInt64(n) &<< 56)
        let m = midSlots.count &- 1
        var i = DictionaryBuilder.midSlot(first, second, midShift)
        while true {
            let c = midSlots[i]
            if c < 0 { return -1 }
            if midKeys[Int(c) &* 2] == first && midKeys[Int(c) &* 2 &+ 1] == second { return c }
            i = (i &+ 1) & m
        }
    }

    /// `find` through the general table (empty strings and those of 16 bytes or more).
    private func findGeneral(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        let h = DictionaryBuilder.hash(p, n)
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let c = slots[i]
            if c < 0 { return -1 }
            if hashes[Int(c)] == h && equal(Int(c), p, n) { return c }
            i = (i + 1) & mask
        }
    }

    /// The code of `p[0..<n]`, adding it when new, as `lookup` numbers it (so `find` finds it),
    /// reading only those `n` bytes.
    /// - Complexity: O(n) expected.
    mutating func code(copying p: UnsafePointer<UInt8>, _ n: Int) -> Int32 {
        if n >= 16 || n == 0 { return code(p, n) }
        var words: (UInt64, UInt64) = (0, 0)
        return withUnsafeMutableBytes(of: &words) { w in
            w.baseAddress!.copyMemory(from: p, byteCount: n)
            return lookup(w.baseAddress!.assumingMemoryBound(to: UInt8.self), n)
        }
    }

    var buffer: StringBuffer { StringBuffer(offsets: offsets, bytes: bytes) }
}

@inline(__always)
func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    var i = 0
    while i + 8 <= n {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
        i += 8
    }
    while i < n { if a[i] != b[i] { return false }; i += 1 }
    return true
}

