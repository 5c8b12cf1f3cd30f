import Tessera
import TesseraArray

// Owned by the ChunkedArray and linear algebra work: `array-sum`, `array-tutorial`, `matmul`, `tsqr`.
//
// Our random numbers are not NumPy's (counter-based, see `IndexGenerator`), so results agree
// with the peers only statistically: both are sums/means of ~1e8 uniform numbers, whose relative
// spread is ~1e-5, so the comparison uses a relative tolerance of 1e-3.

/// `array-sum`: `x = random(200_000_000)` in chunks of 10M; `(x * 2 + 1).sum()`.
let arraySumWorkload = Workload(
    name: "array-sum",
    summary: "(random(200M) * 2 + 1).sum(), chunks of 10M",
    run: { context in
        let x = try ChunkedArray<Double>.random(shape: [200_000_000], chunks: [10_000_000], seed: 42)
        let total = try (x * 2 + 1).sum().compute(scheduler: context.scheduler)
        return String(total.scalar!)
    },
    peers: [
        Peer(name: "dask", script: "Benchmarks/peers/array_sum_dask.py"),
        Peer(name: "numpy", script: "Benchmarks/peers/array_sum_numpy.py"),
    ],
    tolerance: 1e-3)

/// `array-tutorial`: `x = random((20000, 20000))`, chunks 2000×2000;
/// `(x + x.T)[::2, 5000:].mean(axis: 1)`, then summed.
let arrayTutorialWorkload = Workload(
    name: "array-tutorial",
    summary: "(x + x.T)[::2, 5000:].mean(axis: 1).sum(), x random 20000², chunks 2000²",
    run: { context in
        let x = try ChunkedArray<Double>.random(shape: [20_000, 20_000], chunks: [2_000, 2_000], seed: 42)
        let y = try (x + x.T)[.slice(step: 2), .from(5_000)]
        let total = try y.mean(axis: 1).sum().compute(scheduler: context.scheduler)
        return String(total.scalar!)
    },
    peers: [
        Peer(name: "dask", script: "Benchmarks/peers/array_tutorial_dask.py"),
        Peer(name: "numpy", script: "Benchmarks/peers/array_tutorial_numpy.py"),
    ],
    tolerance: 1e-3)

let arrayWorkloads: [Workload] = [arraySumWorkload, arrayTutorialWorkload]
