// Per-group kernels: one pass over rows with their group ids, accumulating into arrays indexed by
// group. The same kernels build a partition's partial states (ids from the key columns) and merge
// partial states (ids mapping each partial group to its merged group), because a partial state is
// itself a small column: the sum of sums is a sum, the min of mins a min, the first of firsts a first.

/// Group ids of rows, -1 for rows in no group.
typealias GroupIDs = [Int32]

/// The int64 sum of group `group` doesn't fit in 64 bits; callers that know the keys turn it into
/// `FrameError.overflow`.
struct SumOverflow: Error {
    let group: Int
}

extension Bitmap {
    /// Which groups have at least one valid row; nil when every group does.
    static func groupsWithValues(_ validity: Bitmap?, _ ids: GroupIDs, _ groups: Int) -> Bitmap? {
        var seen = [Bool](repeating: false, count: groups)
        seen.withUnsafeMutableBufferPointer { s in forEachValid(ids, validity) { _, k in s[k] = true } }
        guard seen.contains(false) else { return nil }
        var b = Bitmap(count: groups, value: false)
        for k in 0..<groups where seen[k] { b[k] = true }
        return b
    }
}

extension Column {
    /// The values as doubles (bools as 0/1), nil for text and timestamps.
    var numericDoubles: [Double]? {
        switch values {
        case .float64(let a): return a
        case .int64(let a): return a.map { Double($0) }
        case .bool(let a): return a.map { $0 ? 1 : 0 }
        default: return nil
        }
    }
}

/// Calls `body` with a function that says whether row `i` is valid, specialised for the no-missing case.
@inline(__always)
func forEachValid(_ ids: GroupIDs, _ validity: Bitmap?, _ body: (Int, Int) -> Void) {
    ids.withUnsafeBufferPointer { g in
        if let validity {
            validity.words.withUnsafeBufferPointer { w in
                for i in 0..<g.count {
                    let k = Int(g[i])
                    if k >= 0 && (w[i >> 6] >> UInt64(i & 63)) & 1 != 0 { body(i, k) }
                }
            }
        } else {
            for i in 0..<g.count {
                let k = Int(g[i])
                if k >= 0 { body(i, k) }
            }
        }
    }
}

enum GroupKernels {
    /// Rows per group.
    static func size(_ ids: GroupIDs, _ groups: Int) -> [Int64] {
        var out = [Int64](repeating: 0, count: groups)
        out.withUnsafeMutableBufferPointer { o in forEachValid(ids, nil) { _, k in o[k] &+= 1 } }
        return out
    }

    /// Non-missing values per group.
    static func count(_ c: Column, _ ids: GroupIDs, _ groups: Int) -> [Int64] {
        var out = [Int64](repeating: 0, count: groups)
        out.withUnsafeMutableBufferPointer { o in forEachValid(ids, c.validity) { _, k in o[k] &+= 1 } }
        return out
    }

    /// Sum of non-missing values per group: int64 for integers and bools, float64 for doubles.
    /// A group without a non-missing value gets a missing sum (so that a partition where the
    /// column is all missing, typed float64, doesn't decide the type of merged sums; `finalize`
    /// turns it into 0).
    /// - Throws: `FrameError.typeMismatch` for text and timestamps; `SumOverflow` naming the
    ///   group whose int64 sum doesn't fit (the caller names the key).
    static func sum(_ c: Column, _ ids: GroupIDs, _ groups: Int, name: String) throws -> Column {
        let present = Bitmap.groupsWithValues(c.validity, ids, groups)
        switch c.values {
        case .int64(let a):
            // Exact in 128 bits, checked against Int64 once per group.
            let wide = int128Sums(a, c.validity, ids, groups)
            var out = [Int64](repeating: 0, count: groups)
            for k in 0..<groups {
                guard let x = Int64(exactly: wide[k]) else { throw SumOverflow(group: k) }
                out[k] = x
            }
            return Column(values: .int64(out), validity: present)
        case .bool(let a):
            var out = [Int64](repeating: 0, count: groups)
            a.withUnsafeBufferPointer { v in
                out.withUnsafeMutableBufferPointer { o in forEachValid(ids, c.validity) { i, k in o[k] &+= v[i] ? 1 : 0 } }
            }
            return Column(values: .int64(out), validity: present)
        case .float64(let a):
            return Column(values: .float64(sumDoubles(a, c.validity, ids, groups)), validity: present)
        default:
            throw FrameError.typeMismatch(column: name, expected: "a numeric or bool column", found: c.type)
        }
    }

    static func sumDoubles(_ a: [Double], _ validity: Bitmap?, _ ids: GroupIDs, _ groups: Int) -> [Double] {
        var out = [Double](repeating: 0, count: groups)
        a.withUnsafeBufferPointer { v in
            out.withUnsafeMutableBufferPointer { o in forEachValid(ids, validity) { i, k in o[k] += v[i] } }
        }
        return out
    }

    /// Sum (as doubles) and count of non-missing values per group, in one pass: the state of `mean`.
    /// - Throws: `FrameError.typeMismatch` for text and timestamps.
    static func sumAndCount(_ c: Column, _ ids: GroupIDs, _ groups: Int, name: String) throws -> ([Double], [Int64]) {
        var sums = [Double](repeating: 0, count: groups)
        var counts = [Int64](repeating: 0, count: groups)
        sums.withUnsafeMutableBufferPointer { s in
            counts.withUnsafeMutableBufferPointer { n in
                switch c.values {
                case .int64(let a):
                    // Integer sums are exact and converted once at the end, so the mean is the
                    // exact sum rounded once, divided by the count. Int64 adds (one cycle of
                    // latency) with the overflow flag gathered; only when a sum overflowed
                    // (nanosecond timestamps are ~1.7e18) is the pass redone in 128 bits.
                    var isums = [Int64](repeating: 0, count: groups)
                    var overflowed = false
                    isums.withUnsafeMutableBufferPointer { t in
                        a.withUnsafeBufferPointer { v in
                            forEachValid(ids, c.validity) { i, k in
                                let (sum, o) = t[k].addingReportingOverflow(v[i])
                                t[k] = sum
                                overflowed = overflowed || o
                                n[k] &+= 1
                            }
                        }
                        for k in 0..<groups { s[k] = Double(t[k]) }
                    }
                    if overflowed {
                        var wide = [Int128](repeating: 0, count: groups)
                        wide.withUnsafeMutableBufferPointer { t in
                            a.withUnsafeBufferPointer { v in forEachValid(ids, c.validity) { i, k in t[k] &+= Int128(v[i]) } }
                            for k in 0..<groups { s[k] = Double(t[k]) }
                        }
                    }
                case .float64(let a):
                    a.withUnsafeBufferPointer { v in forEachValid(ids, c.validity) { i, k in s[k] += v[i]; n[k] &+= 1 } }
                case .bool(let a):
                    a.withUnsafeBufferPointer { v in forEachValid(ids, c.validity) { i, k in s[k] += v[i] ? 1 : 0; n[k] &+= 1 } }
                default: break
                }
            }
        }
        guard c.type.isNumeric || c.type == .bool else {
            throw FrameError.typeMismatch(column: name, expected: "a numeric or bool column", found: c.type)
        }
        return (sums, counts)
    }

    /// Count, mean and sum of squared deviations (M2) per group, by two passes (the mean first,
    /// then the deviations from it): more accurate than one-pass Welford and free of a division
    /// per row. Partial results merge with Chan's formula (`mergeMoments`).
    static func moments(_ c: Column, _ ids: GroupIDs, _ groups: Int, name: String) throws -> (n: [Int64], mean: [Double], m2: [Double]) {
        guard let a = c.numericDoubles else {
            throw FrameError.typeMismatch(column: name, expected: "a numeric or bool column", found: c.type)
        }
        var (mean, n) = try sumAndCount(Column(values: .float64(a), validity: c.validity), ids, groups, name: name)
        for k in 0..<groups where n[k] > 0 { mean[k] /= Double(n[k]) }
        var m2 = [Double](repeating: 0, count: groups)
        a.withUnsafeBufferPointer { v in
            mean.withUnsafeBufferPointer { m in
                m2.withUnsafeMutableBufferPointer { o in
                    forEachValid(ids, c.validity) { i, k in let d = v[i] - m[k]; o[k] += d * d }
                }
            }
        }
        return (n, mean, m2)
    }

    /// Merges (n, mean, M2) triples into their groups, in order (Chan et al.'s parallel formula).
    static func mergeMoments(n: [Int64], mean: [Double], m2: [Double], _ ids: GroupIDs, _ groups: Int) -> (n: [Int64], mean: [Double], m2: [Double]) {
        var on = [Int64](repeating: 0, count: groups)
        var om = [Double](repeating: 0, count: groups)
        var o2 = [Double](repeating: 0, count: groups)
        for i in 0..<ids.count {
            let k = Int(ids[i])
            guard k >= 0, n[i] > 0 else { continue }
            if on[k] == 0 { on[k] = n[i]; om[k] = mean[i]; o2[k] = m2[i]; continue }
            let na = Double(on[k]), nb = Double(n[i]), nt = na + nb
            let delta = mean[i] - om[k]
            om[k] += delta * nb / nt
            o2[k] += m2[i] + delta * delta * na * nb / nt
            on[k] += n[i]
        }
        return (on, om, o2)
    }

    /// The row of the smallest (or largest) non-missing value of each group, -1 for none; ties keep
    /// the first row. Text compares by UTF-8 bytes (code point order), as Python does.
    static func extremeRows(_ c: Column, _ ids: GroupIDs, _ groups: Int, smallest: Bool) -> [Int] {
        var best = [Int](repeating: -1, count: groups)
        func typed<T: Comparable>(_ a: [T], skipNaN: Bool = false) {
            a.withUnsafeBufferPointer { v in
                best.withUnsafeMutableBufferPointer { b in
                    forEachValid(ids, c.validity) { i, k in
                        let x = v[i]
                        if skipNaN && x != x { return }
                        let j = b[k]
                        if j < 0 || (smallest ? x < v[j] : v[j] < x) { b[k] = i }
                    }
                }
            }
        }
        switch c.values {
        case .int64(let a), .timestamp(let a): typed(a)
        case .float64(let a): typed(a, skipNaN: true)
        case .bool(let a): typed(a.map { $0 ? 1 : 0 } as [UInt8])
        case .string(.dictionary(let codes, let d)):
            let ranks = d.sortRanks()
            typed(codes.map { $0 < 0 ? Int32(-1) : ranks[Int($0)] })
        case .string(.plain(let b)):
            forEachValid(ids, c.validity) { i, k in
                let j = best[k]
                if j < 0 { best[k] = i; return }
                let less = b.lessThan(i, j), greater = b.lessThan(j, i)
                if smallest ? less : greater { best[k] = i }
            }
        }
        return best
    }

    /// The first (or last) row with a non-missing value of each group (any value when
    /// `skipMissing` is false), -1 for none.
    static func firstLastRows(_ c: Column, _ ids: GroupIDs, _ groups: Int, first: Bool, skipMissing: Bool = true) -> [Int] {
        var best = [Int](repeating: -1, count: groups)
        best.withUnsafeMutableBufferPointer { b in
            forEachValid(ids, skipMissing ? c.validity : nil) { i, k in if !first || b[k] < 0 { b[k] = i } }
        }
        return best
    }

    /// The non-missing values of each group, as doubles (the state of `median`).
    static func lists(_ c: Column, _ ids: GroupIDs, _ groups: Int, name: String) throws -> [[Double]] {
        guard let a = c.numericDoubles else {
            throw FrameError.typeMismatch(column: name, expected: "a numeric or bool column", found: c.type)
        }
        var out = [[Double]](repeating: [], count: groups)
        forEachValid(ids, c.validity) { i, k in if !a[i].isNaN { out[k].append(a[i]) } }
        return out
    }

    /// The distinct non-missing values of each group (the state of `nunique`).
    static func distinct(_ c: Column, _ ids: GroupIDs, _ groups: Int) -> [Set<Value>] {
        let f = c.factorize(missingAsGroup: false)
        var seen = Set<Int>()
        var out = [Set<Value>](repeating: [], count: groups)
        for i in 0..<ids.count {
            let k = Int(ids[i]), v = Int(f.codes[i])
            guard k >= 0, v >= 0 else { continue }
            if seen.insert(k &* f.cardinality &+ v).inserted { out[k].insert(c[i]) }
        }
        return out
    }

    /// The rows of each group, in order.
    static func rows(_ ids: GroupIDs, _ groups: Int) -> [[Int]] {
        var out = [[Int]](repeating: [], count: groups)
        for i in 0..<ids.count where ids[i] >= 0 { out[Int(ids[i])].append(i) }
        return out
    }
}

extension StringBuffer {
    /// Whether string `i` sorts before string `j` by UTF-8 bytes.
    @inlinable
    func lessThan(_ i: Int, _ j: Int) -> Bool {
        bytes.withUnsafeBufferPointer { b in
            UnsafeBufferPointer(rebasing: b[offsets[i]..<offsets[i + 1]])
                .lexicographicallyPrecedes(UnsafeBufferPointer(rebasing: b[offsets[j]..<offsets[j + 1]]))
        }
    }

    /// The rank of every string in byte order (equal strings get equal ranks).
    ///
    /// Strings are ordered by their first sixteen bytes read as two big-endian words (zero-padded;
    /// a shorter string that ties is a prefix, so its length decides), and by their bytes only
    /// when both are longer and tie: a million ids share a few prefixes, and comparing words
    /// instead of byte slices is what makes sorting them cheap; strings of at most fifteen bytes
    /// are radix-sorted by the words.
    /// - Complexity: O(n log n) word comparisons; O(n) when no string is longer than 15 bytes.
    func sortRanks() -> [Int32] {
        let n = count
        guard n > 0 else { return [] }
        // Dictionaries made sorted (the group-by's shared ones) are ranked again by every split
        // and by the final sort: one pass tells, and their ranks are their codes.
        if isStrictlyIncreasing() { return (0..<Int32(n)).map { $0 } }
        if n > 256, let ranks = shortSortRanks() { return ranks }
        var entries = [RankEntry]()
        entries.reserveCapacity(n)
        bytes.withUnsafeBufferPointer { b in
            offsets.withUnsafeBufferPointer { o in
                for i in 0..<n {
                    let s = o[i], length = o[i + 1] - s
                    entries.append(RankEntry(
                        high: StringBuffer.prefixWord(b, s, length), low: StringBuffer.prefixWord(b, s + 8, length - 8),
                        length: Int32(truncatingIfNeeded: Swift.min(length, Int(Int32.max))), index: Int32(i)))
                }
            }
        }
        if entries.count > 256, entries.allSatisfy({ $0.length <= 15 }) {
            // Strings of at most fifteen bytes: the second word's last byte is zero, so it can
            // hold the length, and the two words order the strings; radix-sorted by the second
            // word, then stably by the first (O(n), no comparator).
            let byLow = radixSortPermutation(entries.map { $0.low | UInt64($0.length) })
            let byHigh = radixSortPermutation(byLow.map { entries[$0].high })
            entries = byHigh.map { entries[byLow[$0]] }
        } else {
            entries.sort { a, b in a.precedes(b) { lessThan(Int($0), Int($1)) } }
        }
        var ranks = [Int32](repeating: 0, count: n)
        var r: Int32 = 0
        for p in entries.indices {
            if p > 0 && entries[p - 1].precedes(entries[p], { lessThan(Int($0), Int($1)) }) { r += 1 }
            ranks[Int(entries[p].index)] = r
        }
        return ranks
    }

    /// `sortRanks` of strings of at most fifteen bytes: each is two words (the second with the
    /// length in its zero last byte) that order and identify it, and the (first word, second
    /// word, index) triples are radix-sorted together, least significant digit first, moving
    /// the triples on each pass — no permutation gathered through at random between passes (a
    /// cache miss per string at a million strings). Nil when a string is longer.
    /// - Complexity: O(n × varying 11-bit digits of the two words).
    func shortSortRanks() -> [Int32]? {
        let n = count
        var highs = [UInt64](repeating: 0, count: n), lows = [UInt64](repeating: 0, count: n)
        let short: Bool = bytes.withUnsafeBufferPointer { b in
            offsets.withUnsafeBufferPointer { o in
                highs.withUnsafeMutableBufferPointer { h in
                    lows.withUnsafeMutableBufferPointer { l in
                        for i in 0..<n {
                            let s = o[i], length = o[i + 1] - s
                            if length > 15 { return false }
                            h[i] = StringBuffer.prefixWord(b, s, length)
                            l[i] = StringBuffer.prefixWord(b, s + 8, length - 8) | UInt64(length)
                        }
                        return true
                    }
                }
            }
        }
        guard short else { return nil }
        var index = (0..<Int32(n)).map { $0 }
        radixSortTriples(&highs, &lows, &index)
        var ranks = [Int32](repeating: 0, count: n)
        highs.withUnsafeBufferPointer { h in
            lows.withUnsafeBufferPointer { l in
                index.withUnsafeBufferPointer { x in
                    ranks.withUnsafeMutableBufferPointer { out in
                        var r: Int32 = 0
                        for p in 0..<n {
                            if p > 0 && (h[p] != h[p - 1] || l[p] != l[p - 1]) { r += 1 }
                            out[Int(x[p])] = r
                        }
                    }
                }
            }
        }
        return ranks
    }

    /// Whether every string sorts strictly before the next.
    /// - Complexity: O(bytes) at worst, one or two word comparisons per string usually.
    func isStrictlyIncreasing() -> Bool {
        bytes.withUnsafeBufferPointer { b in
            offsets.withUnsafeBufferPointer { o in
                var i = 1
                while i < count {
                    let s = o[i - 1], t = o[i], u = o[i + 1]
                    let a = StringBuffer.prefixWord(b, s, t - s), c = StringBuffer.prefixWord(b, t, u - t)
                    if a != c {
                        if a > c { return false }
                    } else if !lessThan(i - 1, i) {
                        return false
                    }
                    i += 1
                }
                return true
            }
        }
    }

    /// Bytes `start..<start + min(length, 8)` as a big-endian word, zero-padded (0 when `length` ≤ 0).
    @inline(__always)
    static func prefixWord(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ length: Int) -> UInt64 {
        let k = Swift.min(length, 8)
        guard k > 0 else { return 0 }
        if start + 8 <= b.count {
            let w = UInt64(bigEndian: UnsafeRawPointer(b.baseAddress! + start).loadUnaligned(as: UInt64.self))
            return k == 8 ? w : w & ~(UInt64.max >> UInt64(8 * k))
        }
        var w: UInt64 = 0
        for j in 0..<k { w |= UInt64(b[start + j]) << UInt64(56 - 8 * j) }
        return w
    }
}

/// A string's sort key in `StringBuffer.sortRanks`: its first sixteen bytes, its length, its index.
/// Sorts the triples `(highs[i], lows[i], index[i])` by (high, low), stably: 11-bit digits of
/// `lows` then of `highs`, least significant first, each pass moving all three arrays; digits
/// that every triple shares are skipped.
/// - Complexity: O(n × varying digits), three scratch arrays of n.
func radixSortTriples(_ highs: inout [UInt64], _ lows: inout [UInt64], _ index: inout [Int32]) {
    let n = highs.count
    guard n > 1 else { return }
    let digitBits = 11, radix = 1 << digitBits, perWord = (64 + digitBits - 1) / digitBits
    var histograms = [Int](repeating: 0, count: 2 * perWord * radix)
    histograms.withUnsafeMutableBufferPointer { h in
        for (w, words) in [lows, highs].enumerated() {
            words.withUnsafeBufferPointer { k in
                for x in k {
                    for b in 0..<perWord { h[(w &* perWord &+ b) &* radix &+ Int((x >> UInt64(digitBits &* b)) & UInt64(radix - 1))] &+= 1 }
                }
            }
        }
    }
    var nextHighs = [UInt64](repeating: 0, count: n), nextLows = [UInt64](repeating: 0, count: n)
    var nextIndex = [Int32](repeating: 0, count: n)
    var offsets = [Int](repeating: 0, count: radix)
    for pass in 0..<(2 * perWord) {
        let base = pass * radix
        if histograms[base..<(base + radix)].contains(n) { continue }
        var sum = 0
        for d in 0..<radix { offsets[d] = sum; sum += histograms[base + d] }
        let shift = UInt64(digitBits * (pass % perWord)), mask = UInt64(radix - 1), byHigh = pass >= perWord
        highs.withUnsafeBufferPointer { h in
            lows.withUnsafeBufferPointer { l in
                index.withUnsafeBufferPointer { x in
                    nextHighs.withUnsafeMutableBufferPointer { nh in
                        nextLows.withUnsafeMutableBufferPointer { nl in
                            nextIndex.withUnsafeMutableBufferPointer { nx in
                                offsets.withUnsafeMutableBufferPointer { off in
                                    for i in 0..<n {
                                        let d = Int(((byHigh ? h[i] : l[i]) >> shift) & mask)
                                        let at = off[d]
                                        off[d] = at &+ 1
                                        nh[at] = h[i]
                                        nl[at] = l[i]
                                        nx[at] = x[i]
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        swap(&highs, &nextHighs)
        swap(&lows, &nextLows)
        swap(&index, &nextIndex)
    }
}

private struct RankEntry {
    var high: UInt64
    var low: UInt64
    var length: Int32
    var index: Int32

    /// Whether this string sorts before `other`; `longer` compares two strings past sixteen bytes.
    @inline(__always)
    func precedes(_ other: RankEntry, _ longer: (Int32, Int32) -> Bool) -> Bool {
        if high != other.high { return high < other.high }
        if low != other.low { return low < other.low }
        if length <= 16 || other.length <= 16 { return length < other.length }
        return longer(index, other.index)
    }
}
