// Group ids in key order, for the last merge of a group-by. A hashed merge numbers groups in
// order of first appearance, and `finalize` then factorizes every key column again, ranks its
// values and radix-sorts the groups. Numbering the groups by their rank word instead does both
// at once: the rows' packed key ranks (`rankWords`) are radix-sorted, equal words are one group,
// and the groups come out sorted — no hash table over millions of composite keys, no second
// ranking. (db-benchmark's q10 at K=10: a group per row, 1.2M rows per bucket.)

extension Grouping {
    /// Groups rows by `keys`, missing keys forming groups (a merge's grouping), numbered in key
    /// order: ascending, missing last, as `PartialGroups.finalize` sorts them. Nil when the
    /// packed ranks need more than 64 bits, or when a float key holds NaN (a group apart from
    /// the missing key's, which ranks alike).
    /// - Complexity: O(rows × (keys + digits of the packed ranks)) plus ranking each key
    ///   column's distinct values (`Column.valueRanks`).
    init?(sortedKeys keys: [Column]) {
        precondition(!keys.isEmpty, "grouping needs a key column")
        let n = keys[0].count
        guard n > 0, n < 1 << 31 else { return nil }
        for c in keys {
            guard case .float64(let a) = c.values else { continue }
            if a.indices.contains(where: { a[$0].isNaN && c.isValid($0) }) { return nil }
        }
        guard let words = rankWords(keys, ascending: Array(repeating: true, count: keys.count)) else { return nil }
        if let counted = Grouping(countingWords: words) {
            self = counted
            return
        }
        let order = radixSortPermutation(words)
        var ids = [Int32](repeating: 0, count: n)
        var group: Int32 = -1
        words.withUnsafeBufferPointer { w in
            ids.withUnsafeMutableBufferPointer { out in
                var previous = w[order[0]]
                for r in order {
                    if group < 0 || w[r] != previous { group += 1; previous = w[r] }
                    out[r] = group
                }
            }
        }
        self.ids = ids
        self.groupCount = Int(group + 1)
    }

    /// Rank words that span few values (at most four per row: one text key of q3's kind, whose
    /// union dictionary ranks its groups) are numbered by marking the words present and counting
    /// them in order, with no sort of the rows. Nil for wider words.
    /// - Complexity: O(rows + largest word).
    init?(countingWords words: [UInt64]) {
        let n = words.count
        guard let top = words.max(), top < UInt64(Swift.min(4 * n, Int(Int32.max))) else { return nil }
        var dense = [Int32](repeating: -1, count: Int(top) + 1)
        var ids = [Int32](repeating: 0, count: n)
        var groups: Int32 = 0
        words.withUnsafeBufferPointer { w in
            dense.withUnsafeMutableBufferPointer { d in
                for x in w { d[Int(x)] = 0 }
                for k in 0..<d.count where d[k] == 0 {
                    d[k] = groups
                    groups += 1
                }
                ids.withUnsafeMutableBufferPointer { out in
                    for i in 0..<n { out[i] = d[Int(w[i])] }
                }
            }
        }
        self.ids = ids
        self.groupCount = Int(groups)
    }
}
