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
        switch (column.values, bound.values) {
        case (.int64(let a), .int64(let b)), (.timestamp(let a), .timestamp(let b)):
            return (Self.places(a, column.validity, among: b, bound.validity), Self.places(b, bound.validity, among: b, bound.validity))
        case (.float64(let a), .float64(let b)):
            let (x, xv) = Self.orderedWords(a, column.validity), (y, yv) = Self.orderedWords(b, bound.validity)
            return (Self.places(x, xv, among: y, yv), Self.places(y, yv, among: y, yv))
        case (.bool(let a), .bool(let b)):
            let x = a.map { Int64($0 ? 1 : 0) }, y = b.map { Int64($0 ? 1 : 0) }
            return (Self.places(x, column.validity, among: y, bound.validity), Self.places(y, bound.validity, among: y, bound.validity))
        case (.string(.dictionary(let codes, let d)), .string):
            guard let (entries, boundPlaces) = placed(d, column: j), case .int64(let bp) = boundPlaces.values else { return nil }
            let validity = column.validity
            let rows = entries.withUnsafeBufferPointer { e in
                codes.indices.map { i in codes[i] < 0 || validity?[i] == false ? -1 : e[Int(codes[i])] }
            }
            return (rows, bp.indices.map { boundPlaces.isValid($0) ? bp[$0] : -1 })
        default:
            return nil
        }
    }

    /// The places of `values` among the distinct valid `bounds` (2 × how many are below, plus 1
    /// when equal to one); -1 for missing values.
    static func places(_ values: [Int64], _ validity: Bitmap?, among bounds: [Int64], _ boundValidity: Bitmap?) -> [Int64] {
        var distinct: [Int64] = []
        for v in bounds.indices.filter({ boundValidity?[$0] ?? true }).map({ bounds[$0] }).sorted() where distinct.last != v {
            distinct.append(v)
        }
        // A few boundary values (a group-by has at most 16 buckets): counting the ones below and
        // equal, without branches, beats a binary search's mispredicted steps on random keys.
        var out = distinct.withUnsafeBufferPointer { d in
            values.withUnsafeBufferPointer { x in
                (0..<x.count).map { i -> Int64 in
                    let v = x[i]
                    var place: Int64 = 0
                    if d.count <= 32 {
                        for b in d { place &+= (b < v ? 2 : 0) &+ (b == v ? 1 : 0) }
                        return place
                    }
                    var lo = 0, hi = d.count
                    while lo < hi {
                        let mid = (lo + hi) / 2
                        if d[mid] < v { lo = mid + 1 } else { hi = mid }
                    }
                    return Int64(2 * lo + (lo < d.count && d[lo] == v ? 1 : 0))
                }
            }
        }
        if let validity { for i in out.indices where !validity[i] { out[i] = -1 } }
        return out
    }

    /// Doubles as integers in the same order (-0.0 folded into 0.0), and their validity with
    /// NaN marked missing (it sorts as missing).
    static func orderedWords(_ a: [Double], _ validity: Bitmap?) -> ([Int64], Bitmap?) {
        let words = a.map { v -> Int64 in
            let b = (v == 0 ? 0.0 : v).bitPattern
            return Int64(bitPattern: (b >> 63 == 1 ? ~b : b | (1 << 63)) ^ (1 << 63))
        }
        guard a.contains(where: \.isNaN) else { return (words, validity) }
        return (words, Bitmap(a.indices.lazy.map { !a[$0].isNaN && (validity?[$0] ?? true) }))
    }
}
