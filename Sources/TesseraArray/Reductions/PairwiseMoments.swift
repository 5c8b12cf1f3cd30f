/// The running state of a covariance matrix: for every pair of variables, the number of
/// observations both hold, each one's mean over those observations, and the sums of squared and
/// cross deviations from those means.
///
/// States of disjoint sets of observations merge exactly (Chan, Golub and LeVeque's pairwise
/// update), so a covariance is one pass over the blocks and a tree of merges, with the accuracy
/// of a two-pass algorithm within each block. Each pair keeps its own count and means, which is
/// what pandas' pairwise-complete `corr`/`cov` needs; NumPy's `cov` is the case where every pair
/// sees every observation.
///
/// ```swift
/// var m = PairwiseMoments(columns: [[1, 2, .nan, 4], [2, 4, 6, 9]])   // NaN: not observed
/// m.merge(PairwiseMoments(columns: [[5], [11]]))
/// let cov = m.covariance(ddof: 1)          // 2×2, row-major
/// ```
public struct PairwiseMoments: Sendable, Equatable {
    /// The number of variables.
    public let variables: Int
    /// `count[i·k + j]`: observations where variables `i` and `j` both have a value.
    public private(set) var count: [Double]
    /// `mean[i·k + j]`: the mean of variable `i` over the observations it shares with `j`.
    public private(set) var mean: [Double]
    /// `squares[i·k + j]`: Σ (xᵢ − mean[i·k + j])² over the observations `i` shares with `j`.
    public private(set) var squares: [Double]
    /// `cross[i·k + j]`: Σ (xᵢ − mean[i·k + j])(xⱼ − mean[j·k + i]) over the shared observations.
    public private(set) var cross: [Double]

    /// The state of no observation of `variables` variables.
    /// - Parameter variables: the number of variables.
    public init(variables: Int) {
        let z = [Double](repeating: 0, count: variables * variables)
        self.variables = variables
        (count, mean, squares, cross) = (z, z, z, z)
    }

    /// The state of some observations, one array per variable, NaN where a variable has no
    /// value (pandas' pairwise-complete rule: each pair uses the observations both hold).
    /// - Parameter columns: the variables' values, all of one length.
    /// - Complexity: O(observations × variables²), two passes per pair.
    public init(columns: [[Double]]) {
        let k = columns.count
        self.init(variables: k)
        for i in 0..<k {
            for j in 0...i {
                let x = columns[i], y = columns[j]
                var n = 0.0, sx = 0.0, sy = 0.0
                for r in x.indices where !x[r].isNaN && !y[r].isNaN {
                    n += 1; sx += x[r]; sy += y[r]
                }
                guard n > 0 else { continue }
                let mx = sx / n, my = sy / n
                var sxx = 0.0, syy = 0.0, sxy = 0.0
                for r in x.indices where !x[r].isNaN && !y[r].isNaN {
                    let dx = x[r] - mx, dy = y[r] - my
                    sxx += dx * dx; syy += dy * dy; sxy += dx * dy
                }
                set(i, j, n: n, meanI: mx, meanJ: my, squaresI: sxx, squaresJ: syy, cross: sxy)
            }
        }
    }

    /// The state of observations where every variable has a value, from their count, the
    /// variables' means and the matrix of cross deviations (row-major, `k × k`).
    /// - Parameters:
    ///   - count: the number of observations.
    ///   - means: each variable's mean.
    ///   - crossDeviations: Σ (xᵢ − meanᵢ)(xⱼ − meanⱼ), row-major.
    public init(count: Int, means: [Double], crossDeviations: [Double]) {
        let k = means.count
        self.init(variables: k)
        for i in 0..<k {
            for j in 0..<k {
                let p = i * k + j
                self.count[p] = Double(count)
                mean[p] = means[i]
                squares[p] = crossDeviations[i * k + i]
                cross[p] = crossDeviations[p]
            }
        }
    }

    private mutating func set(_ i: Int, _ j: Int, n: Double, meanI: Double, meanJ: Double,
                              squaresI: Double, squaresJ: Double, cross c: Double) {
        let k = variables
        count[i * k + j] = n; count[j * k + i] = n
        mean[i * k + j] = meanI; mean[j * k + i] = meanJ
        squares[i * k + j] = squaresI; squares[j * k + i] = squaresJ
        cross[i * k + j] = c; cross[j * k + i] = c
    }

    /// Adds the observations summarised by `other` (disjoint from this state's).
    /// - Parameter other: the state of other observations of the same variables.
    /// - Complexity: O(variables²).
    public mutating func merge(_ other: PairwiseMoments) {
        precondition(other.variables == variables, "merging moments of \(other.variables) and \(variables) variables")
        let k = variables
        let before = self
        for i in 0..<k {
            for j in 0..<k {
                let p = i * k + j, q = j * k + i
                let na = before.count[p], nb = other.count[p]
                if nb == 0 { continue }
                if na == 0 {
                    (count[p], mean[p], squares[p], cross[p]) = (nb, other.mean[p], other.squares[p], other.cross[p])
                    continue
                }
                let n = na + nb
                let di = other.mean[p] - before.mean[p], dj = other.mean[q] - before.mean[q]
                let w = na * nb / n
                count[p] = n
                mean[p] = before.mean[p] + di * nb / n
                squares[p] = before.squares[p] + other.squares[p] + di * di * w
                cross[p] = before.cross[p] + other.cross[p] + di * dj * w
            }
        }
    }

    /// The merge of several states, in order.
    /// - Parameter parts: states of disjoint observations; at least one.
    /// - Returns: their merge.
    public static func merged(_ parts: [PairwiseMoments]) -> PairwiseMoments {
        var out = parts[0]
        for p in parts.dropFirst() { out.merge(p) }
        return out
    }

    /// The covariance matrix, row-major: cross deviations over `count − ddof`, NaN where a pair
    /// has fewer than `minPeriods` observations. As NumPy and pandas, `count ≤ ddof` divides by
    /// zero (NaN for a zero sum, ±inf otherwise).
    /// - Parameters:
    ///   - ddof: delta degrees of freedom (1: the unbiased estimate).
    ///   - minPeriods: the fewest shared observations a pair needs.
    /// - Returns: `variables × variables` values, row-major.
    public func covariance(ddof: Int = 1, minPeriods: Int = 1) -> [Double] {
        cross.indices.map { p in
            count[p] < Double(Swift.max(minPeriods, 1)) ? .nan : cross[p] / Swift.max(count[p] - Double(ddof), 0)
        }
    }

    /// Pearson correlations, row-major, each pair over the observations both hold (pandas'
    /// `corr`): cross deviations over the square root of the two sums of squares, clipped to
    /// [-1, 1]; NaN with fewer than `minPeriods` observations or a constant variable.
    /// - Parameter minPeriods: the fewest shared observations a pair needs.
    /// - Returns: `variables × variables` values, row-major.
    public func correlation(minPeriods: Int = 1) -> [Double] {
        let k = variables
        return cross.indices.map { p in
            let (i, j) = (p / k, p % k)
            guard count[p] >= Double(Swift.max(minPeriods, 1)) else { return .nan }
            let divisor = (squares[p] * squares[j * k + i]).squareRoot()
            guard divisor != 0 else { return .nan }
            return clippedToUnit(cross[p] / divisor)
        }
    }
}

/// `x` clipped to [-1, 1], NaN kept (rounding can push a correlation just past ±1).
@inline(__always) func clippedToUnit(_ x: Double) -> Double {
    x > 1 ? 1 : (x < -1 ? -1 : x)
}
