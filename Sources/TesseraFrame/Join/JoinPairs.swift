// The matching rows of a join partition: which probe row meets which build row.
//
// Two passes over the probe side's groups: the first counts the output rows, so the second writes
// them into arrays allocated once at their final size (appending ten million pairs one by one
// was a fifth of a join's time).

/// The (probe row, build row) pairs of one partition's join, in output order: the probe rows in
/// order, each with its build matches in build order (or with -1 when unmatched rows are kept),
/// then, for an outer join, the build rows nothing matched (with probe row -1).
struct JoinPairs {
    var probe: [Int]
    var build: [Int]
    /// Whether `probe` is `0..<probeRows`: every probe row gave exactly one output row.
    let probeAsIs: Bool
    /// Whether `probe` holds a -1 (an outer join's unmatched build rows).
    let probeMissing: Bool
    /// Whether `build` holds a -1 (a probe row kept without a match).
    let buildMissing: Bool

    /// - Parameters:
    ///   - groups: the build group of every probe row, -1 for none (`JoinIndex.groups(of:)`).
    ///   - index: the build side's index.
    ///   - keepUnmatched: probe rows without a match give one row with build row -1 (left,
    ///     right and outer joins).
    ///   - unmatchedBuild: build rows no probe row matched follow, with probe row -1 (outer).
    /// - Complexity: O(probe rows + output rows), plus O(build rows) for `unmatchedBuild`.
    init(groups: [Int32], index: JoinIndex, keepUnmatched: Bool, unmatchedBuild: Bool) {
        let np = groups.count
        var total = 0, exactlyOne = true, anyUnmatched = false
        let oneRowEach = index.unique && index.rows.count == index.groupCount
        groups.withUnsafeBufferPointer { g in
            index.start.withUnsafeBufferPointer { s in
                for i in 0..<np {
                    let x = Int(g[i])
                    let m = x < 0 ? 0 : oneRowEach ? 1 : Int(s[x + 1] - s[x])
                    if m == 0 { anyUnmatched = true }
                    let out = m == 0 && keepUnmatched ? 1 : m
                    if out != 1 { exactlyOne = false }
                    total += out
                }
            }
        }
        var matched = [Bool](repeating: false, count: unmatchedBuild ? index.rowCount : 0)
        var probe = [Int](repeating: 0, count: total), build = [Int](repeating: 0, count: total)
        groups.withUnsafeBufferPointer { g in
            index.start.withUnsafeBufferPointer { s in
                index.rows.withUnsafeBufferPointer { r in
                    probe.withUnsafeMutableBufferPointer { p in
                        build.withUnsafeMutableBufferPointer { b in
                            var at = 0
                            for i in 0..<np {
                                let x = Int(g[i])
                                // With one build row per group, group x's rows are x..<x+1
                                // (`start[x] == x`; a group can hold none where a missing row's
                                // placeholder value took a code no row keeps): one random read
                                // per probe row instead of three.
                                let lo = x < 0 ? 0 : oneRowEach ? x : Int(s[x])
                                let hi = x < 0 ? 0 : oneRowEach ? x + 1 : Int(s[x + 1])
                                if lo == hi {
                                    if keepUnmatched { p[at] = i; b[at] = -1; at += 1 }
                                    continue
                                }
                                for q in lo..<hi {
                                    p[at] = i
                                    b[at] = Int(r[q])
                                    at += 1
                                }
                            }
                        }
                    }
                }
            }
        }
        if unmatchedBuild {
            for j in build where j >= 0 { matched[j] = true }
            for j in 0..<matched.count where !matched[j] { probe.append(-1); build.append(j) }
        }
        self.probe = probe
        self.build = build
        probeAsIs = exactlyOne && probe.count == np
        probeMissing = probe.count > total
        buildMissing = keepUnmatched && anyUnmatched
    }

    /// The rows `rows` of `column`, missing where a row is -1 (`hasMissing` says whether any is).
    /// - Complexity: O(rows).
    func take(_ column: Column, _ rows: [Int], hasMissing: Bool) -> Column {
        hasMissing ? column.take(optional: rows) : column.take(rows)
    }
}
