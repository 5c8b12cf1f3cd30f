// Splitting rows whose key is dictionary-encoded text. Comparing each row with the boundaries as
// text would first merge the partition's dictionary with the boundaries' (hashing every string
// of the partition) and rank the merged dictionary (sorting them); a row's bucket only depends on
// where its string falls among the few boundary strings, so each dictionary entry is placed among
// them once, by binary search, and the rows compare as integers. With the text as the only key
// the entries' buckets are the rows' buckets, and a row costs one lookup.

extension RangeSplitter {
    /// `keys` and the boundaries in forms that compare exactly as the originals do: a
    /// dictionary-encoded text key column becomes, per row, its string's place among the
    /// boundaries' strings of that column (see `placed(_:column:)`); missing stays missing.
    /// Other columns are returned as they are.
    /// - Complexity: O(rows + entries × log(boundaries) string comparisons) per such column.
    func comparable(_ keys: [Column]) -> (keys: [Column], bounds: [Column]) {
        var k = keys, b = bounds
        for j in keys.indices {
            guard case .string(.dictionary(let codes, let d)) = keys[j].values, let (entries, boundPlaces) = placed(d, column: j) else { continue }
            let values = entries.withUnsafeBufferPointer { p in codes.map { $0 < 0 ? 0 : p[Int($0)] } }
            var validity = keys[j].validity
            if validity == nil, codes.contains(where: { $0 < 0 }) { validity = Bitmap(codes.lazy.map { $0 >= 0 }) }
            k[j] = Column(values: .int64(values), validity: validity)
            b[j] = boundPlaces
        }
        return (k, b)
    }

    /// The buckets of rows keyed by one dictionary-encoded text column, found per dictionary
    /// entry; nil for any other keys. Missing rows go to the last bucket (missing sorts last).
    /// - Complexity: O(rows + entries × log(boundaries)).
    func dictionaryKeyBuckets(_ keys: [Column]) -> [Int]? {
        guard keys.count == 1, case .string(.dictionary(let codes, let d)) = keys[0].values,
              let (entries, boundPlaces) = placed(d, column: 0) else { return nil }
        // Places are small numbers (0 ... 2 × boundaries + 1): the bucket of each place once,
        // then a table lookup per entry instead of a binary search.
        let places = Array(0...Int64(2 * boundCount + 1))
        let placeBuckets = buckets([Column(values: .int64(places))], bounds: [boundPlaces])
        let entryBuckets = placeBuckets.withUnsafeBufferPointer { p in entries.map { p[Int($0)] } }
        let last = boundCount, validity = keys[0].validity
        return entryBuckets.withUnsafeBufferPointer { e in
            codes.indices.map { i in codes[i] < 0 || validity?[i] == false ? last : e[Int(codes[i])] }
        }
    }

    /// Each entry of `dictionary` placed among the distinct boundary strings of column `column`
    /// (2 × the number of them that sort before it by bytes, plus 1 when it equals one), and that
    /// boundary column as the places of its own strings; nil when the column isn't text.
    /// - Complexity: O(entries × log(boundaries) byte comparisons).
    func placed(_ dictionary: StringBuffer, column: Int) -> ([Int64], Column)? {
        guard case .string(let text) = bounds[column].values else { return nil }
        let validity = bounds[column].validity
        let strings = (0..<bounds[column].count).map { i -> [UInt8]? in validity?[i] == false ? nil : text.withBytes(i, Array.init) }
        var sorted = StringBuffer()
        for s in Set(strings.compactMap { $0 }).sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            s.withUnsafeBufferPointer { sorted.append(bytes: $0) }
        }
        // Strings compare by their first sixteen bytes as two big-endian words, and by their
        // bytes only when the words tie and both are longer (see `StringBuffer.sortRanks`): a
        // dictionary of a million ids is placed with word comparisons, not a byte loop each.
        let boundWords = (0..<sorted.count).map { i in sorted.withBytes(i) { StringBuffer.wordKey($0, 0, $0.count) } }
        // Strings of at most fifteen bytes order as their two words, the length in the second
        // one's last byte (always zero there): with only such boundaries, a short entry is placed
        // by counting the boundaries below it (`shortPlace`), without a branch to mispredict.
        let short = boundWords.allSatisfy { $0.length <= 15 }
        let highs = short ? boundWords.map(\.high) : [], lows = short ? boundWords.map { $0.low | UInt64($0.length) } : []
        func place(_ s: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> Int64 {
            let key = StringBuffer.wordKey(s, start, length)
            if short, length <= 15 {
                return highs.withUnsafeBufferPointer { bh in
                    lows.withUnsafeBufferPointer { bl in RangeSplitter.shortPlace(key.high, key.low | UInt64(length), bh, bl) }
                }
            }
            var lo = 0, hi = sorted.count, equal = false
            while lo < hi {
                let mid = (lo + hi) / 2
                let b = boundWords[mid]
                var c: Int
                if b.high != key.high { c = b.high < key.high ? -1 : 1 }
                else if b.low != key.low { c = b.low < key.low ? -1 : 1 }
                else if b.length <= 16 || length <= 16 { c = b.length < length ? -1 : (b.length == length ? 0 : 1) }
                else { c = sorted.withBytes(mid) { compareBytes($0, UnsafeBufferPointer(rebasing: s[start..<(start + length)])) } }
                if c < 0 { lo = mid + 1 } else { hi = mid; equal = equal || c == 0 }
            }
            return Int64(2 * lo + (equal ? 1 : 0))
        }
        // A million entries per partition (q3 at K=10): the short ones are placed in one loop
        // over the bounds' words held open, not through `place` (whose captured arrays were
        // opened, retained and released per entry).
        let entries = dictionary.bytes.withUnsafeBufferPointer { b in
            dictionary.offsets.withUnsafeBufferPointer { o in
                highs.withUnsafeBufferPointer { bh in
                    lows.withUnsafeBufferPointer { bl in
                        (0..<dictionary.count).map { e -> Int64 in
                            let start = o[e], length = o[e + 1] - start
                            guard short, length <= 15 else { return place(b, start, length) }
                            let key = StringBuffer.wordKey(b, start, length)
                            return RangeSplitter.shortPlace(key.high, key.low | UInt64(length), bh, bl)
                        }
                    }
                }
            }
        }
        let boundPlaces = strings.map { s in s.map { $0.withUnsafeBufferPointer { place($0, 0, $0.count) } } ?? 0 }
        return (entries, Column(values: .int64(boundPlaces), validity: validity))
    }
}

extension RangeSplitter {
    /// The place of a string of at most fifteen bytes, given as its two words (`high`, and `low`
    /// with the length in its last byte), among boundary strings given the same way, ascending:
    /// 2 × the boundaries below it, plus 1 when it equals one. The comparisons are 64-bit flags
    /// turned into integers: a 128-bit `<` compiled to a branch, mispredicted on every other
    /// boundary for random ids (80 ns an entry).
    /// - Complexity: O(boundaries), no branch.
    @inline(__always)
    static func shortPlace(_ high: UInt64, _ low: UInt64, _ boundHighs: UnsafeBufferPointer<UInt64>,
                           _ boundLows: UnsafeBufferPointer<UInt64>) -> Int64 {
        @inline(__always) func flag(_ b: Bool) -> Int { Int(unsafeBitCast(b, to: UInt8.self)) }
        var below = 0, equal = 0
        for j in 0..<boundHighs.count {
            let highEqual = flag(boundHighs[j] == high)
            below &+= flag(boundHighs[j] < high) | (highEqual & flag(boundLows[j] < low))
            equal |= highEqual & flag(boundLows[j] == low)
        }
        return Int64(2 * below + equal)
    }
}

extension StringBuffer {
    /// The first sixteen bytes of `b[start..<start + length]` as two big-endian words
    /// (zero-padded), and the length: equal words order two strings by length when either is at
    /// most sixteen bytes long (the shorter is a prefix of the other).
    @inline(__always)
    static func wordKey(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> (high: UInt64, low: UInt64, length: Int) {
        (prefixWord(b, start, length), prefixWord(b, start + 8, length - 8), length)
    }
}
