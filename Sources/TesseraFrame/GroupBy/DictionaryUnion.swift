// One dictionary for the text of several dictionary-encoded columns, and each column's codes
// mapped into it: how dictionary-encoded text concatenates (`Column.concatenate`).

import Foundation

extension StringBuffer {
    /// Whether `other` is this very buffer (shared storage), not merely equal text: O(1).
    func isSameStorage(as other: StringBuffer) -> Bool {
        guard count == other.count, bytes.count == other.bytes.count else { return false }
        let a = bytes.withUnsafeBufferPointer { $0.baseAddress }, b = other.bytes.withUnsafeBufferPointer { $0.baseAddress }
        let c = offsets.withUnsafeBufferPointer { $0.baseAddress }, d = other.offsets.withUnsafeBufferPointer { $0.baseAddress }
        return a == b && c == d
    }
}

/// The union of several dictionaries, with each one's codes mapped into it.
struct DictionaryUnion {
    /// The distinct strings of all the dictionaries.
    let dictionary: StringBuffer
    /// Per input dictionary, the new code of each of its entries.
    let maps: [[Int32]]

    /// Entries keyed by bytes, in order of first appearance (in byte order for many short
    /// strings, see `init(sortingShort:)`). Dictionaries that share storage are merged once.
    /// - Complexity: O(total bytes) expected.
    init(_ dictionaries: [StringBuffer]) {
        // One shared dictionary (the slices of one column): nothing to intern.
        if let first = dictionaries.first, dictionaries.allSatisfy({ $0.isSameStorage(as: first) }) {
            let identity = (0..<Int32(first.count)).map { $0 }
            dictionary = first
            maps = dictionaries.map { _ in identity }
            return
        }
        // Sorted dictionaries of consecutive key ranges (the buckets of a split-out group-by,
        // each finalized in key order): no string can occur twice, so the union is the
        // dictionaries laid end to end. Dictionaries in any other order fail the check at their
        // first or second entry.
        if let appended = DictionaryUnion(ascendingRuns: dictionaries) {
            self = appended
            return
        }
        if let sorted = DictionaryUnion(sortingShort: dictionaries) {
            self = sorted
            return
        }
        // Sized for the distinct dictionaries (shared ones counted once), at most twice the
        // largest: pieces of one split overlap, and a table sized for their sum would be sparse
        // (more cache misses) or, for many slices of a few large dictionaries, huge.
        var distinct: [StringBuffer] = []
        for d in dictionaries where !distinct.contains(where: { $0.isSameStorage(as: d) }) { distinct.append(d) }
        let largest = distinct.map(\.count).max() ?? 16
        var builder = DictionaryBuilder(expected: Swift.min(distinct.reduce(0) { $0 + $1.count }, 2 * largest))
        var maps: [[Int32]] = []
        var done: [(StringBuffer, Int)] = []
        for d in dictionaries {
            if let same = done.first(where: { $0.0.isSameStorage(as: d) }) { maps.append(maps[same.1]); continue }
            let map = builder.codes(of: d)
            done.append((d, maps.count))
            maps.append(map)
        }
        let merged = builder.buffer
        dictionary = merged
        self.maps = maps
    }

    /// Many short strings (at least `sortingEntries` in all, none longer than 15 bytes, and about
    /// as many distinct as 40% of them: the pieces of a many-group group-by's id keys) are united
    /// by sorting instead of hashing: the dictionaries laid end to end are radix-ranked (`sortRanks`, equal strings ranking alike),
    /// the ranks are the codes and one string per rank is the union, in byte order. A radix pass
    /// streams where a hash table misses the cache on every lookup, and the sorted union needs no
    /// ranking of its own when the group-by orders its keys (`isStrictlyIncreasing`). Nil for
    /// fewer or longer strings, and for dictionaries that mostly repeat each other (the pieces
    /// of one key range from every partition, db-benchmark's q3): their union is small enough for
    /// a hash table in cache, and sorting every copy of each string costs more.
    /// - Complexity: O(entries + bytes), a few radix passes over the entries.
    private init?(sortingShort dictionaries: [StringBuffer]) {
        var distinct: [StringBuffer] = []
        var slot: [Int] = []
        for d in dictionaries {
            if let k = distinct.firstIndex(where: { $0.isSameStorage(as: d) }) { slot.append(k); continue }
            slot.append(distinct.count)
            distinct.append(d)
        }
        let total = distinct.reduce(0) { $0 + $1.count }
        guard total >= DictionaryUnion.sortingEntries, total < Int(Int32.max) else { return nil }
        let short = distinct.allSatisfy { d in
            d.offsets.withUnsafeBufferPointer { o in (0..<d.count).allSatisfy { o[$0 + 1] - o[$0] <= 15 } }
        }
        guard short, 5 * DictionaryUnion.estimatedDistinct(distinct) >= 2 * total else { return nil }
        let all = StringBuffer.concatenated(distinct)
        let ranks = all.sortRanks()
        var representative = [Int](repeating: -1, count: Int((ranks.max() ?? -1) + 1))
        ranks.withUnsafeBufferPointer { r in
            representative.withUnsafeMutableBufferPointer { rep in
                for i in (0..<r.count).reversed() { rep[Int(r[i])] = i }
            }
        }
        var start = 0
        var distinctMaps: [[Int32]] = []
        for d in distinct {
            distinctMaps.append(Array(ranks[start..<(start + d.count)]))
            start += d.count
        }
        dictionary = all.gathered(representative)
        maps = slot.map { distinctMaps[$0] }
    }

    /// About how many distinct strings of at most 15 bytes the dictionaries hold together: linear
    /// counting, in 2^17 bits, of the one string in eight whose hash has its top three bits
    /// clear, times eight (the bits stay in L1; within a few percent up to several million
    /// strings).
    /// - Complexity: O(entries), one multiply-shift hash per string.
    static func estimatedDistinct(_ dictionaries: [StringBuffer]) -> Int {
        let bits = 1 << 17
        var seen = [UInt64](repeating: 0, count: bits / 64)
        seen.withUnsafeMutableBufferPointer { set in
            for d in dictionaries {
                d.bytes.withUnsafeBufferPointer { b in
                    d.offsets.withUnsafeBufferPointer { o in
                        for e in 0..<d.count {
                            let key = StringBuffer.wordKey(b, o[e], o[e + 1] - o[e])
                            let h = (key.high &* 0x9E37_79B9_7F4A_7C15 ^ (key.low | UInt64(key.length))) &* 0xC2B2_AE3D_27D4_EB4F
                            guard h >> 61 == 0 else { continue }
                            let slot = Int(truncatingIfNeeded: (h >> 44) & UInt64(bits - 1))
                            set[slot >> 6] |= 1 << UInt64(slot & 63)
                        }
                    }
                }
            }
        }
        let empty = seen.reduce(0) { $0 + (64 - $1.nonzeroBitCount) }
        guard empty > 0 else { return Int.max / 8 }
        return 8 * Int((Double(bits) * -Foundation.log(Double(empty) / Double(bits))).rounded())
    }

    /// How many entries (of distinct dictionaries) make a union of short strings sort rather
    /// than hash: below it a hash table fits the cache.
    static let sortingEntries = 1 << 16

    /// The dictionaries laid end to end, when each is strictly increasing by bytes and each
    /// one's last string sorts before the next non-empty one's first; nil otherwise.
    /// - Complexity: O(dictionaries) to reject dictionaries out of order, O(entries) word
    ///   comparisons (`isStrictlyIncreasing`) plus O(bytes) copied to accept.
    private init?(ascendingRuns dictionaries: [StringBuffer]) {
        let nonEmpty = dictionaries.filter { $0.count > 0 }
        guard nonEmpty.count > 1 else { return nil }
        for (a, b) in zip(nonEmpty, nonEmpty.dropFirst()) {
            let ordered = a.withBytes(a.count - 1) { x in b.withBytes(0) { y in compareBytes(x, y) < 0 } }
            if !ordered { return nil }
        }
        guard nonEmpty.allSatisfy({ $0.isStrictlyIncreasing() }) else { return nil }
        var maps: [[Int32]] = []
        var base: Int32 = 0
        for d in dictionaries {
            maps.append((0..<Int32(d.count)).map { $0 + base })
            base += Int32(d.count)
        }
        dictionary = StringBuffer.concatenated(dictionaries)
        self.maps = maps
    }
}
