import Foundation
import Tessera
@testable import TesseraArray

/// Random per-axis chunks with blocks of at least `minimum` (the last may be smaller).
func chunksAtLeast(_ n: Int, _ minimum: Int, _ rng: inout TestRNG) -> [Int] {
    if n == 0 { return [0] }
    var left = n, c: [Int] = []
    while left > 0 {
        let s = Swift.min(left, Int.random(in: minimum...Swift.max(minimum, minimum + 4), using: &rng))
        c.append(s)
        left -= s
    }
    return c
}

/// Uniform values in [-1, 1) as a plain array.
func uniforms(_ n: Int, _ rng: inout TestRNG) -> [Double] {
    (0..<n).map { _ in Double.random(in: -1..<1, using: &rng) }
}

/// Row-major naive matrix product (m×k)·(k×n).
func naiveMatmul(_ a: [Double], _ b: [Double], _ m: Int, _ k: Int, _ n: Int) -> [Double] {
    var c = [Double](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { var s = 0.0; for p in 0..<k { s += a[i * k + p] * b[p * n + j] }; c[i * n + j] = s } }
    return c
}

/// Row-major naive transpose of an m×n matrix.
func naiveTranspose(_ a: [Double], _ m: Int, _ n: Int) -> [Double] {
    var t = [Double](repeating: 0, count: m * n)
    for i in 0..<m { for j in 0..<n { t[j * m + i] = a[i * n + j] } }
    return t
}

/// Largest absolute difference relative to the largest magnitude in `want` (at least 1).
func relativeError(_ got: [Double], _ want: [Double]) -> Double {
    precondition(got.count == want.count, "\(got.count) values against \(want.count)")
    let scale = Swift.max(1, want.map(Swift.abs).max() ?? 0)
    return zip(got, want).map { Swift.abs($0 - $1) }.max().map { $0 / scale } ?? 0
}

extension NDArray {
    /// Elements as Doubles, for comparisons.
    var doubles: [Double] { scalars.map(\._double) }
}

/// The vectors along `axis` of a row-major m×n matrix: its columns (axis 0) or rows (axis 1).
func axisVectors(_ v: [Double], _ m: Int, _ n: Int, axis: Int) -> [[Double]] {
    axis == 0 ? (0..<n).map { j in (0..<m).map { v[$0 * n + j] } } : (0..<m).map { i in Array(v[(i * n)..<(i * n + n)]) }
}
