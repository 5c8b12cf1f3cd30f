import Foundation
import Tessera
import TesseraArray

// `matmul` and `tsqr` of ../shared/BENCHMARKS.md.
//
// Random numbers differ between engines (each has its own generator), so the printed result is
// made engine-independent: the raw value divided by its expectation for uniform [0, 1) inputs,
// printed to two decimals. Both sides print "1.00" unless a result is off by more than 0.5 %,
// far beyond sampling noise (about 1e-4 relative for matmul's 2·10¹¹ products, 1e-3 for tsqr's
// 10⁸ values); the tolerance is there as a second line of defence.

let linalgWorkloads: [Workload] = [matmulWorkload, tsqrWorkload]

/// `(a @ b).sum()` for `a, b = random((6000, 6000))` in 1500×1500 blocks: 64 dgemms of 1500³.
/// E[sum] = n³/4 (each of n² entries sums n products of mean 1/4).
let matmulWorkload = Workload(
    name: "matmul",
    summary: "a, b = random((6000, 6000)) chunks 1500×1500; (a @ b).sum()",
    run: { context in
        let n = 6000
        let a = try ChunkedArray<Double>.random(shape: [n, n], chunks: [1500, 1500], seed: 1)
        let b = try ChunkedArray<Double>.random(shape: [n, n], chunks: [1500, 1500], seed: 2)
        let total = try (a • b).sum().compute(scheduler: context.scheduler).scalar!
        return String(format: "%.2f", total / (Double(n) * Double(n) * Double(n) / 4))
    },
    peers: [Peer(name: "dask", script: "Benchmarks/peers/matmul_dask.py"),
            Peer(name: "numpy", script: "Benchmarks/peers/matmul_numpy.py")],
    tolerance: 1e-2)

/// QR of `a = random((2_000_000, 50))` in (100_000, 50) blocks; `abs(R).sum()`.
/// RᵀR = AᵀA ≈ m·Σ with Σ = 1/4·11ᵀ + 1/12·I for uniform [0, 1) columns, so
/// sum|R| ≈ √m · sum|chol(Σ)|.
let tsqrWorkload = Workload(
    name: "tsqr",
    summary: "a = random((2_000_000, 50)) chunks (100_000, 50); QR; abs(R).sum()",
    run: { context in
        let m = 2_000_000, n = 50
        let a = try ChunkedArray<Double>.random(shape: [m, n], chunks: [100_000, 50], seed: 1)
        let (_, r) = try Linalg.qr(a)
        let total = try r.abs().sum().compute(scheduler: context.scheduler).scalar!
        return String(format: "%.2f", total / (Double(m).squareRoot() * uniformCholeskyAbsSum(n)))
    },
    peers: [Peer(name: "dask", script: "Benchmarks/peers/tsqr_dask.py"),
            Peer(name: "numpy", script: "Benchmarks/peers/tsqr_numpy.py")],
    tolerance: 1e-2)

/// sum|L| for the Cholesky factor L of Σ = 1/4·11ᵀ + 1/12·I (n × n), by the textbook loop.
func uniformCholeskyAbsSum(_ n: Int) -> Double {
    var l = [Double](repeating: 0, count: n * n)
    for j in 0..<n {
        var d = 1.0 / 3
        for k in 0..<j { d -= l[j * n + k] * l[j * n + k] }
        l[j * n + j] = d.squareRoot()
        for i in (j + 1)..<n {
            var s = 0.25
            for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
            l[i * n + j] = s / l[j * n + j]
        }
    }
    return l.reduce(0) { $0 + Swift.abs($1) }
}
