import Foundation
import Tessera
@testable import TesseraArray

let schedulers: [Scheduler] = [.synchronous, .threads(1), .threads(2), .threads(4)]

/// A small deterministic generator for test shapes and data (SplitMix64).
struct TestRNG: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random shape with 0–3 axes of length 0–7 (zero-length axes included now and then).
func randomShape(_ rng: inout TestRNG, maxAxes: Int = 3) -> [Int] {
    let nd = Int.random(in: 0...maxAxes, using: &rng)
    return (0..<nd).map { _ in Int.random(in: 0...7, using: &rng) }
}

/// Random per-axis chunk sizes for `shape`, ragged and uneven.
func randomChunks(_ shape: [Int], _ rng: inout TestRNG) -> Chunks {
    .sizes(shape.map { n in
        if n == 0 { return [0] }
        var left = n, c: [Int] = []
        while left > 0 { let s = Int.random(in: 1...left, using: &rng); c.append(s); left -= s }
        return c
    })
}

func randomDoubles(_ n: Int, _ rng: inout TestRNG) -> [Double] {
    (0..<n).map { _ in (Double.random(in: -10..<10, using: &rng) * 4).rounded() / 4 }
}

/// All multi-indices of `shape` in row-major order.
func allIndices(_ shape: [Int]) -> [[Int]] {
    var out: [[Int]] = [[]]
    for n in shape { out = out.flatMap { p in (0..<n).map { p + [$0] } } }
    return out
}

func close(_ a: Double, _ b: Double, _ tol: Double = 1e-9) -> Bool {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
    if a == b { return true }
    return Swift.abs(a - b) <= tol * Swift.max(1, Swift.abs(a), Swift.abs(b))
}

func allClose(_ a: [Double], _ b: [Double], _ tol: Double = 1e-9) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { close($0, $1, tol) }
}
