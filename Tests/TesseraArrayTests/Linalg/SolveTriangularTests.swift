import Foundation
import Tessera
import Testing
@testable import TesseraArray

/// `Linalg.solveTriangular` against naive substitution, and `argtopk` against a naive sort, at
/// random chunkings.
@Suite struct SolveTriangularTests {
    /// A random triangular matrix with a dominant diagonal, row-major; the other triangle holds
    /// junk, which must not be read.
    func triangular(_ n: Int, lower: Bool, _ rng: inout TestRNG) -> [Double] {
        var a = uniforms(n * n, &rng)
        for i in 0..<n { a[i * n + i] = 4 + abs(a[i * n + i]) }
        for i in 0..<n { for j in 0..<n where lower ? j > i : j < i { a[i * n + j] = 1e6 } }
        return a
    }

    /// Naive forward or back substitution for `k` right-hand sides.
    func naiveSolve(_ a: [Double], _ b: [Double], _ n: Int, _ k: Int, lower: Bool) -> [Double] {
        var x = b
        for i in (lower ? Array(0..<n) : Array((0..<n).reversed())) {
            for c in 0..<k {
                var s = b[i * k + c]
                for j in (lower ? Array(0..<i) : Array((i + 1)..<n)) { s -= a[i * n + j] * x[j * k + c] }
                x[i * k + c] = s / a[i * n + i]
            }
        }
        return x
    }

    @Test func matchesNaiveSubstitution() throws {
        var rng = TestRNG(3)
        for trial in 0..<8 {
            let n = Int.random(in: 1...14, using: &rng), k = Int.random(in: 1...4, using: &rng)
            let lower = trial % 2 == 0
            let a = triangular(n, lower: lower, &rng), b = uniforms(n * k, &rng)
            let ca = try ChunkedArray<Double>(a, shape: [n, n], chunks: .sizes([chunksAtLeast(n, 1, &rng), chunksAtLeast(n, 1, &rng)]))
            let cb = try ChunkedArray<Double>(b, shape: [n, k], chunks: .sizes([chunksAtLeast(n, 1, &rng), chunksAtLeast(k, 1, &rng)]))
            let x = try Linalg.solveTriangular(ca, cb, lower: lower).compute()
            #expect(x.shape == [n, k])
            #expect(relativeError(x.scalars, naiveSolve(a, b, n, k, lower: lower)) < 1e-12, "trial \(trial) n \(n)")
            let v = try Linalg.solveTriangular(ca, try ChunkedArray<Double>(Array(b.prefix(n)), chunks: .sizes([chunksAtLeast(n, 1, &rng)])), lower: lower).compute()
            let want = naiveSolve(a, (0..<n).map { b[$0] }, n, 1, lower: lower)
            #expect(v.shape == [n] && relativeError(v.scalars, want) < 1e-12)
        }
    }

    @Test func zeroOnTheDiagonalIsSingular() throws {
        let a = try ChunkedArray<Double>([1, 0, 0, 2, 0, 0, 3, 4, 5], shape: [3, 3], chunks: .sizes([[2, 1], [2, 1]]))
        let b = try ChunkedArray<Double>([1, 2, 3], chunks: .sizes([[3]]))
        #expect(throws: TaskFailure.self) { try Linalg.solveTriangular(a, b, lower: true).compute() }
        #expect(throws: LinalgError.self) { try Linalg.solveTriangular(a, try ChunkedArray<Double>([1, 2], chunks: .sizes([[2]]))) }
    }

    @Test func argtopkMatchesNaiveSort() throws {
        var rng = TestRNG(11)
        for _ in 0..<8 {
            let n = Int.random(in: 1...40, using: &rng)
            // Few distinct values, so ties are common; NaN counts as largest.
            let x: [Double] = (0..<n).map { _ in Int.random(in: 0..<8, using: &rng) == 0 ? .nan : Double(Int.random(in: 0..<5, using: &rng)) }
            let a = try ChunkedArray<Double>(x, chunks: .sizes([chunksAtLeast(n, 1, &rng)]))
            let k = Int.random(in: 1...n, using: &rng)
            func key(_ v: Double) -> Double { v.isNaN ? .infinity : v }
            let down = x.indices.sorted { key(x[$0]) != key(x[$1]) ? key(x[$0]) > key(x[$1]) : $0 < $1 }
            let up = x.indices.sorted { key(x[$0]) != key(x[$1]) ? key(x[$0]) < key(x[$1]) : $0 < $1 }
            #expect(try a.argtopk(k).compute().scalars == down.prefix(k).map { Int64($0) })
            #expect(try a.argtopk(-k).compute().scalars == up.prefix(k).map { Int64($0) })
        }
    }
}
