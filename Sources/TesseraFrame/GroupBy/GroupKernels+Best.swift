// `largest(n)` / `smallest(n)`: each group keeps its n best rows in a small sorted slot array.
// The partial state is n columns of one row per group (slot j: the group's j-th best value,
// missing when it has fewer), so it splits, concatenates and crosses ranks like every other
// column state. Merging runs the same kernel over the parts' slots taken in (part, slot) order:
// parts come in row order and each part's slots are in rank order with ties in row order, so
// the merged slots keep pandas' `keep="first"` whatever the partitioning.

extension GroupKernels {
    /// The rows of the `n` largest (or smallest) non-missing, non-NaN values of each group:
    /// `n` arrays of one row per group, best first, -1 where a group has fewer values. Among
    /// equal values the earlier row ranks first.
    /// - Throws: `FrameError.typeMismatch` for text.
    /// - Complexity: O(rows × n) in the worst case, O(rows) when few rows displace a kept one.
    static func bestRows(_ c: Column, _ ids: GroupIDs, _ groups: Int, n: Int, largest: Bool, name: String) throws -> [[Int]] {
        var slots = [Int](repeating: -1, count: groups * n)
        var filled = [Int32](repeating: 0, count: groups)
        func typed<T: Comparable>(_ a: [T], skipNaN: Bool = false) {
            a.withUnsafeBufferPointer { v in
                slots.withUnsafeMutableBufferPointer { s in
                    filled.withUnsafeMutableBufferPointer { f in
                        // x ranks strictly before y.
                        @inline(__always) func better(_ x: T, _ y: T) -> Bool { largest ? x > y : x < y }
                        forEachValid(ids, c.validity) { i, k in
                            let x = v[i]
                            if skipNaN && x != x { return }
                            let base = k * n
                            var p = Int(f[k])
                            if p == n {
                                // Full: only a strictly better value than the last enters.
                                guard better(x, v[s[base + n - 1]]) else { return }
                                p = n - 1
                            } else {
                                f[k] += 1
                            }
                            // Equal values stay ahead of the newcomer (it is a later row).
                            while p > 0 && better(x, v[s[base + p - 1]]) {
                                s[base + p] = s[base + p - 1]
                                p -= 1
                            }
                            s[base + p] = i
                        }
                    }
                }
            }
        }
        switch c.values {
        case .int64(let a), .timestamp(let a): typed(a)
        case .float64(let a): typed(a, skipNaN: true)
        case .bool(let a): typed(a.map { $0 ? 1 : 0 } as [UInt8])
        case .string:
            throw FrameError.typeMismatch(column: name, expected: "a numeric, bool or timestamp column for \(largest ? "largest" : "smallest")", found: c.type)
        }
        return (0..<n).map { j in (0..<groups).map { slots[$0 * n + j] } }
    }

    /// The state of `largest(n)`/`smallest(n)` for the rows of one partition: n slot columns.
    /// - Throws: as `bestRows`.
    static func bestSlots(_ c: Column, _ ids: GroupIDs, _ groups: Int, n: Int, largest: Bool, name: String) throws -> [Column] {
        try bestRows(c, ids, groups, n: n, largest: largest, name: name).map { c.take(optional: $0) }
    }

    /// Merges slot columns (one row per partial group, `ids` mapping each to its merged group,
    /// partial groups in row order) into the merged groups' slot columns.
    /// - Throws: as `bestRows`.
    /// - Complexity: O(partial groups × n).
    static func mergeBestSlots(_ slots: [Column], _ ids: GroupIDs, _ groups: Int, largest: Bool, name: String) throws -> [Column] {
        let n = slots.count, rows = ids.count
        // Candidates in (partial group, slot) order, the order their rows came in.
        let all = Column.concatenate(slots)
        let order = (0..<rows * n).map { t in (t % n) * rows + t / n }
        var candidateIDs = GroupIDs(repeating: -1, count: rows * n)
        for t in 0..<rows * n { candidateIDs[t] = ids[t / n] }
        return try bestSlots(all.take(order), candidateIDs, groups, n: n, largest: largest, name: name)
    }

    /// The number of present slots of each group (slots fill in order, so they are a prefix).
    static func filledSlots(_ slots: [Column], groups: Int) -> [Int] {
        var out = [Int](repeating: 0, count: groups)
        for s in slots {
            for g in 0..<groups where s.isValid(g) { out[g] += 1 }
        }
        return out
    }
}
