// `corr(with:)`: per group, over the rows where both columns hold a number (present, not NaN),
// the pair count, both means, both sums of squared deviations (M2) and the co-moment
// Σ(x − x̄)(y − ȳ). Two passes per partition (means first, then deviations), as `moments` does
// for one column; partial states merge with Chan et al.'s pairwise formulas, which extend to the
// co-moment with the product of the two mean differences.

/// The co-moment state of a group: count, means, M2 of each column, and the co-moment.
struct Comoments {
    var n: [Int64]
    var meanX: [Double]
    var meanY: [Double]
    var m2X: [Double]
    var m2Y: [Double]
    var cXY: [Double]

    init(groups: Int) {
        n = [Int64](repeating: 0, count: groups)
        meanX = [Double](repeating: 0, count: groups)
        meanY = meanX; m2X = meanX; m2Y = meanX; cXY = meanX
    }

    /// The six state columns, in the order `init(columns:)` reads them.
    var columns: [Column] {
        [Column(values: .int64(n))] + [meanX, meanY, m2X, m2Y, cXY].map { Column(values: .float64($0)) }
    }

    /// The state from its six columns. - Throws: `FrameError.invalidArgument` when malformed.
    init(columns c: [Column]) throws {
        guard c.count == 6, case .int64(let n) = c[0].values, case .float64(let mx) = c[1].values, case .float64(let my) = c[2].values,
              case .float64(let sx) = c[3].values, case .float64(let sy) = c[4].values, case .float64(let cxy) = c[5].values else {
            throw FrameError.invalidArgument("internal: malformed corr state")
        }
        (self.n, meanX, meanY, m2X, m2Y, cXY) = (n, mx, my, sx, sy, cxy)
    }

    /// Pearson's r per group; missing with fewer than two pairs or a constant column.
    var correlation: Column {
        Column(float64: (0..<n.count).map { k -> Double? in
            guard n[k] >= 2, m2X[k] > 0, m2Y[k] > 0 else { return nil }
            let r = cXY[k] / (m2X[k] * m2Y[k]).squareRoot()
            return r.isNaN ? r : Swift.min(1, Swift.max(-1, r))
        })
    }
}

extension GroupKernels {
    /// The co-moments of `x` and `y` per group, over rows where both are present and not NaN.
    /// - Throws: `FrameError.typeMismatch` naming a column that is not numeric or bool.
    /// - Complexity: two passes over the rows.
    static func comoments(_ x: Column, _ y: Column, _ ids: GroupIDs, _ groups: Int, names: (String, String)) throws -> Comoments {
        guard let a = x.numericDoubles else {
            throw FrameError.typeMismatch(column: names.0, expected: "a numeric or bool column for corr", found: x.type)
        }
        guard let b = y.numericDoubles else {
            throw FrameError.typeMismatch(column: names.1, expected: "a numeric or bool column for corr", found: y.type)
        }
        var s = Comoments(groups: groups)
        // A pair counts when both are present and neither is NaN (pandas' pairwise deletion).
        var pairIDs = ids
        for i in 0..<ids.count where ids[i] >= 0 && (!x.isValid(i) || !y.isValid(i) || a[i].isNaN || b[i].isNaN) { pairIDs[i] = -1 }
        a.withUnsafeBufferPointer { va in
            b.withUnsafeBufferPointer { vb in
                s.meanX.withUnsafeMutableBufferPointer { mx in
                    s.meanY.withUnsafeMutableBufferPointer { my in
                        s.n.withUnsafeMutableBufferPointer { n in
                            forEachValid(pairIDs, nil) { i, k in mx[k] += va[i]; my[k] += vb[i]; n[k] &+= 1 }
                            for k in 0..<groups where n[k] > 0 { mx[k] /= Double(n[k]); my[k] /= Double(n[k]) }
                        }
                        s.m2X.withUnsafeMutableBufferPointer { sx in
                            s.m2Y.withUnsafeMutableBufferPointer { sy in
                                s.cXY.withUnsafeMutableBufferPointer { c in
                                    forEachValid(pairIDs, nil) { i, k in
                                        let dx = va[i] - mx[k], dy = vb[i] - my[k]
                                        sx[k] += dx * dx; sy[k] += dy * dy; c[k] += dx * dy
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return s
    }

    /// Merges co-moment states (one row per partial group, `ids` mapping each to its merged group).
    /// - Complexity: O(partial groups).
    static func mergeComoments(_ p: Comoments, _ ids: GroupIDs, _ groups: Int) -> Comoments {
        var o = Comoments(groups: groups)
        for i in 0..<ids.count {
            let k = Int(ids[i])
            guard k >= 0, p.n[i] > 0 else { continue }
            if o.n[k] == 0 {
                (o.n[k], o.meanX[k], o.meanY[k], o.m2X[k], o.m2Y[k], o.cXY[k]) = (p.n[i], p.meanX[i], p.meanY[i], p.m2X[i], p.m2Y[i], p.cXY[i])
                continue
            }
            let na = Double(o.n[k]), nb = Double(p.n[i]), nt = na + nb
            let dx = p.meanX[i] - o.meanX[k], dy = p.meanY[i] - o.meanY[k]
            let w = na * nb / nt
            o.meanX[k] += dx * nb / nt
            o.meanY[k] += dy * nb / nt
            o.m2X[k] += p.m2X[i] + dx * dx * w
            o.m2Y[k] += p.m2Y[i] + dy * dy * w
            o.cXY[k] += p.cXY[i] + dx * dy * w
            o.n[k] += p.n[i]
        }
        return o
    }
}
