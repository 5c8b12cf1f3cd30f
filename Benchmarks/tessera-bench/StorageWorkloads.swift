import Foundation
import Tessera
import TesseraArray
import TesseraStorage

// Owned by the array storage work (issue 18): `zarr-sum`, `zarr-write`, `hdf5-sum`.
//
// The input is `random(N)` float64, N = 2e8 (TESSERA_BENCH_STORAGE_N overrides it, for a quick
// look on a loaded machine), in chunks of 1e6 elements: a v3 Zarr store with zstd level 3,
// written once by Tessera (zarr-python reads it, see ZarrPythonInteropTests), and an HDF5 file
// made from it by h5py (chunks of 1e6, gzip level 1 with byte shuffle). The peers read the same
// files, so both sides read from the same page cache.

let storageElements = ProcessInfo.processInfo.environment["TESSERA_BENCH_STORAGE_N"].flatMap { Int($0) } ?? 200_000_000
let storageChunk = 1_000_000

func storageInput(_ context: BenchContext) -> String { context.dataDirectory.appendingPathComponent("storage-\(storageElements).zarr").path }

/// Writes the Zarr input once (kept between runs) and, through the peers' Python, the HDF5 copy.
func prepareStorageInputs(_ context: BenchContext, hdf5: Bool) throws {
    let zarr = storageInput(context)
    if !FileManager.default.fileExists(atPath: zarr + "/zarr.json") {
        try FileManager.default.createDirectory(at: context.dataDirectory, withIntermediateDirectories: true)
        let x = try ChunkedArray<Double>.randomUniform(shape: [storageElements], chunks: [storageChunk], seed: 18)
        try x.toZarr(zarr, codec: .zstd(level: 3), overwrite: true, scheduler: context.scheduler)
    }
    let h5 = zarr.replacingOccurrences(of: ".zarr", with: ".h5")
    if hdf5 && !FileManager.default.fileExists(atPath: h5) {
        let (status, out, _) = Harness.spawn([PeerEnvironment.python, "Benchmarks/peers/storage_make_hdf5.py", zarr, h5])
        guard status == 0 else { throw BenchError.setup("making \(h5) failed (peers need zarr and h5py: --setup-peers):\n\(out)") }
    }
}

/// `zarr-sum`: `fromZarr(store).sum()`.
let zarrSumWorkload = Workload(
    name: "zarr-sum",
    summary: "fromZarr(v3 store of random(2e8) float64, zstd, chunks 1e6).sum()",
    prepare: { try prepareStorageInputs($0, hdf5: false) },
    run: { context in
        let x = try ChunkedArray<Double>.fromZarr(storageInput(context))
        return String(try x.sum().compute(scheduler: context.scheduler).scalar!)
    },
    peers: [Peer(name: "dask", script: "Benchmarks/peers/zarr_sum_dask.py")],
    tolerance: 1e-9)

/// `zarr-write`: the same array read and written to a new store (zstd level 3, same chunks).
let zarrWriteWorkload = Workload(
    name: "zarr-write",
    summary: "fromZarr(store).toZarr(new store, zstd 3), 2e8 float64 in chunks of 1e6",
    prepare: { try prepareStorageInputs($0, hdf5: false) },
    run: { context in
        let out = context.dataDirectory.appendingPathComponent("zarr-write-tessera.zarr").path
        try ChunkedArray<Double>.fromZarr(storageInput(context)).toZarr(out, codec: .zstd(level: 3), overwrite: true, scheduler: context.scheduler)
        return String(try ChunkedArray<Double>.fromZarr(out, chunks: [storageChunk * 10]).sum().compute(scheduler: context.scheduler).scalar!)
    },
    peers: [Peer(name: "dask", script: "Benchmarks/peers/zarr_write_dask.py")],
    tolerance: 1e-9)

/// `hdf5-sum`: `fromHDF5(file, "/x").sum()`.
let hdf5SumWorkload = Workload(
    name: "hdf5-sum",
    summary: "fromHDF5(random(2e8) float64, chunks 1e6, gzip 1 + shuffle).sum()",
    prepare: { try prepareStorageInputs($0, hdf5: true) },
    run: { context in
        let h5 = storageInput(context).replacingOccurrences(of: ".zarr", with: ".h5")
        return String(try ChunkedArray<Double>.fromHDF5(h5, dataset: "/x").sum().compute(scheduler: context.scheduler).scalar!)
    },
    peers: [Peer(name: "dask", script: "Benchmarks/peers/hdf5_sum_dask.py")],
    tolerance: 1e-9)

let storageWorkloads: [Workload] = [zarrSumWorkload, zarrWriteWorkload, hdf5SumWorkload]
