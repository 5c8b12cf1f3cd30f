// Splitting rows whose key is dictionary-encoded text. Comparing each row with the boundaries as
// text would first merge the partition's dictionary with the boundaries' (hashing every string
// of the partition) and rank the merged dictionary (sorting them); a row's bucket only depends on
// where its string falls among the few boundary strings, so each dictionary entry is placed among
// them once, by binary search, and the rows compare as integers.

extension RangeSplitter {
    /// `keys` and the boundaries in forms that compare exactly as the originals do: a
    /// dictionary-encoded text key column becomes, per row, its string's place among the
    /// boundaries' strings of that column (2 × the number of them that sort before it, plus 1 when
    /// it equals one), and the boundary column the places of its own strings; missing stays
    /// missing. Other columns are returned as they are.
    /// - Complexity: O(rows + entries × log(boundaries) string comparisons) per such column.
    func comparable(_ keys: [Column]) -> (keys: [Column], bounds: [Column]) {
        var k = keys, b = bounds
        for j in keys.indices {
            guard case .string(.dictionary(let codes, let d)) = keys[j].values, case .string(let boundText) = bounds[j].values else { continue }
            let boundValid = bounds[j].validity
            let boundStrings = (0..<bounds[j].count).map { i -> [UInt8]? in
                boundValid?[i] == false ? nil : boundText.withBytes(i, Array.init)
            }
            let sorted = Array(Set(boundStrings.compactMap { $0 })).sorted { $0.lexicographicallyPrecedes($1) }
            func place(_ s: UnsafeBufferPointer<UInt8>) -> Int64 {
                var lo = 0, hi = sorted.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if sorted[mid].lexicographicallyPrecedes(s) { lo = mid + 1 } else { hi = mid }
                }
                let equal = lo < sorted.count && sorted[lo].elementsEqual(s)
                return Int64(2 * lo + (equal ? 1 : 0))
            }
            let entries = (0..<d.count).map { e in d.withBytes(e) { place($0) } }
            let values = entries.withUnsafeBufferPointer { p in codes.map { $0 < 0 ? 0 : p[Int($0)] } }
            var validity = keys[j].validity
            if validity == nil, codes.contains(where: { $0 < 0 }) { validity = Bitmap(codes.lazy.map { $0 >= 0 }) }
            k[j] = Column(values: .int64(values), validity: validity)
            b[j] = Column(values: .int64(boundStrings.map { s in s.map { $0.withUnsafeBufferPointer(place) } ?? 0 }), validity: boundValid)
        }
        return (k, b)
    }
}
