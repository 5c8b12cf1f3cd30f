// Splitting rows by several key columns at once. Comparing a row with a boundary column by
// column through typed comparisons costs a dispatch per column per step of the binary search
// (db-benchmark's q10 splits ten million groups by six keys). Only where a value falls among the
// boundary values of its column matters: its place, 2 × the number of distinct boundary values
// below it plus 1 when it equals one, compares with a boundary's place exactly as the values
// compare. Places are at most 2 × boundaries, so every key column's place packs into a few bits
// of one word per row, and a row's bucket is a binary search among the boundaries' words.

extension RangeSplitter {
    /// The bucket of every row of `keys`, found through packed places (see the file's header);
    /// nil when a column is plain text or the places need more than 64 bits.
    /// - Complexity: O(rows × keys × log boundaries), no per-step dispatch.
    func packedBuckets(_ keys: [Column]) -> [Int]? {
        let rows = keys.first?.count ?? 0, nb = boundCount
        // Places run 0...2·nb; a missing value (and NaN, which sorts as missing) takes 2·nb + 1.
        let missing = UInt64(2 * nb + 1)
        let width = 64 - missing.leadingZeroBitCount
        guard nb > 0, keys.count * width <= 64 else { return nil }
        var rowWords = [UInt64](repeating: 0, count: rows)
        var boundWords = [UInt64](repeating: 0, count: nb)
        for j in keys.indices {
            guard let (rowPlaces, boundPlaces) = places(keys[j], column: j) else { return nil }
            let up = ascending[j], top = UInt64(2 * nb)
            @inline(__always) func oriented(_ p: Int64) -> UInt64 { p < 0 ? missing : (up ? UInt64(p) : top - UInt64(p)) }
            rowPlaces.withUnsafeBufferPointer { p in
                rowWords.withUnsafeMutableBufferPointer { w in
                    for i in 0..<rows { w[i] = w[i] << UInt64(width) | oriented(p[i]) }
                }
            }
            for b in 0..<nb { boundWords[b] = boundWords[b] << UInt64(width) | oriented(boundPlaces[b]) }
        }
        // The boundaries are sorted, so their words are too: a row's bucket is the number of
        // boundaries at or below it.
        return boundWords.withUnsafeBufferPointer { bw in
            rowWords.map { w in
                var lo = 0, hi = nb
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if bw[mid] <= w { lo = mid + 1 } else { hi = mid }
                }
                return lo
            }
        }
    }

    /// Per row of `column` and per boundary of key column `j`, its place among the distinct
    /// non-missing boundary values of that column, or -1 when missing (or NaN); nil for plain text.
    /// - Complexity: O(rows × log boundaries); dictionary text places each entry once.
    func places(_ column: Column, column j: Int) -> (rows: [Int64], bounds: [Int64])? {
        let bound = bounds[j]
        func placing<T: Comparable>(_ values: [T], _ bvalues: [T], skip: (T) -> Bool) -> (rows: [Int64], bounds: [Int64]) {
            var distinct: [T] = []
            for v in bvalues.indices.filter({ bound.isValid($0) && !skip(bvalues[$0]) }).map({ bvalues[$0] }).sorted()
            where distinct.last != v { distinct.append(v) }
            func place(_ v: T) -> Int64 {
                var lo = 0, hi = distinct.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if distinct[mid] < v { lo = mid + 1 } else { hi = mid }
                }
                return Int64(2 * lo + (lo < distinct.count && distinct[lo] == v ? 1 : 0))
            }
            let rows = values.indices.map { i in column.isValid(i) && !skip(values[i]) ? place(values[i]) : -1 }
            let b = bvalues.indices.map { i in bound.isValid(i) && !skip(bvalues[i]) ? place(bvalues[i]) : -1 }
            return (rows, b)
        }
        switch (column.values, bound.values) {
        case (.int64(let a), .int64(let b)), (.timestamp(let a), .timestamp(let b)):
            return placing(a, b) { _ in false }
        case (.float64(let a), .float64(let b)):
            // -0.0 and 0.0 compare equal, as the comparison of values has them.
            return placing(a.map { $0 == 0 ? 0 : $0 }, b.map { $0 == 0 ? 0 : $0 }) { $0.isNaN }
        case (.bool(let a), .bool(let b)):
            return placing(a.map { $0 ? 1 : 0 }, b.map { $0 ? 1 : 0 }) { (_: Int) in false }
        case (.string(.dictionary(let codes, let d)), .string):
            guard let (entries, boundPlaces) = placed(d, column: j) else { return nil }
            let validity = column.validity
            let rows = entries.withUnsafeBufferPointer { e in
                codes.indices.map { i in codes[i] < 0 || validity?[i] == false ? -1 : e[Int(codes[i])] }
            }
            guard case .int64(let bp) = boundPlaces.values else { return nil }
            return (rows, bp.indices.map { boundPlaces.isValid($0) ? bp[$0] : -1 })
        default:
            return nil
        }
    }
}
