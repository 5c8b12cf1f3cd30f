// One dictionary for the text of several dictionary-encoded columns, and each column's codes
// mapped into it: how dictionary-encoded text concatenates (`Column.concatenate`), and how the
// group-by's split gives every partial result of a key column the same, sorted dictionary, so
// the combines after it concatenate codes without looking at a string.

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

    /// A union from its parts (how one arrives from another process).
    init(dictionary: StringBuffer, maps: [[Int32]]) {
        self.dictionary = dictionary
        self.maps = maps
    }

    /// Entries keyed by bytes, in order of first appearance (`sorted: false`) or in UTF-8 byte
    /// order (`sorted: true`, so that codes compare as the strings do). Dictionaries that share
    /// storage are merged once.
    /// - Complexity: O(total bytes) expected, plus O(d log d) comparisons for d distinct strings
    ///   when sorted.
    init(_ dictionaries: [StringBuffer], sorted: Bool = false) {
        // One shared dictionary (the pieces of a split group-by): nothing to intern.
        if !sorted, let first = dictionaries.first, dictionaries.allSatisfy({ $0.isSameStorage(as: first) }) {
            let identity = (0..<Int32(first.count)).map { $0 }
            dictionary = first
            maps = dictionaries.map { _ in identity }
            return
        }
        var builder = DictionaryBuilder(expected: dictionaries.first?.count ?? 16)
        var maps: [[Int32]] = []
        var done: [(StringBuffer, Int)] = []
        for d in dictionaries {
            if let same = done.first(where: { $0.0.isSameStorage(as: d) }) { maps.append(maps[same.1]); continue }
            let padded = d.bytes + [UInt8](repeating: 0, count: 8)
            let map = padded.withUnsafeBufferPointer { b in
                d.offsets.withUnsafeBufferPointer { o in
                    (0..<d.count).map { k in builder.lookup(b.baseAddress! + o[k], o[k + 1] - o[k]) }
                }
            }
            done.append((d, maps.count))
            maps.append(map)
        }
        var merged = builder.buffer
        if sorted && merged.count > 1 {
            let ranks = merged.sortRanks()  // distinct strings: ranks are a permutation
            var order = [Int](repeating: 0, count: merged.count)
            for (k, r) in ranks.enumerated() { order[Int(r)] = k }
            var out = StringBuffer()
            out.reserveCapacity(merged.count, bytes: merged.bytes.count)
            for k in order { out.append(merged, k) }
            merged = out
            maps = maps.map { $0.map { ranks[Int($0)] } }
        }
        dictionary = merged
        self.maps = maps
    }
}

extension Column {
    /// Dictionary-encoded text with its codes mapped through `map` into `dictionary`; missing
    /// rows keep -1.
    func remappedCodes(_ map: [Int32], into dictionary: StringBuffer) -> Column {
        guard case .string(.dictionary(let codes, _)) = values else { return self }
        let out = map.withUnsafeBufferPointer { m in codes.map { $0 < 0 ? -1 : m[Int($0)] } }
        return Column(values: .string(.dictionary(codes: out, dictionary: dictionary)), validity: validity)
    }
}
