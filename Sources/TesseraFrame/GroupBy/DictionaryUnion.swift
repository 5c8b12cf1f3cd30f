// One dictionary for the text of several dictionary-encoded columns, and each column's codes
// mapped into it: how dictionary-encoded text concatenates (`Column.concatenate`).

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

    /// Entries keyed by bytes, in order of first appearance. Dictionaries that share storage are
    /// merged once.
    /// - Complexity: O(total bytes) expected.
    init(_ dictionaries: [StringBuffer]) {
        // One shared dictionary (the slices of one column): nothing to intern.
        if let first = dictionaries.first, dictionaries.allSatisfy({ $0.isSameStorage(as: first) }) {
            let identity = (0..<Int32(first.count)).map { $0 }
            dictionary = first
            maps = dictionaries.map { _ in identity }
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
}
