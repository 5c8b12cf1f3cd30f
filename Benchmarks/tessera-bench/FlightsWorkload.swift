import Foundation
import Tessera
import TesseraFrame

/// `flights`: the Dask tutorial's question — mean departure delay per origin airport — over
/// `generate-flights` data, 10 files × 1.4M rows (≈1 GB; `prepareFlights` and `flightsDirectory`
/// of FrameWorkloads.swift, shared with `csv-parse`). Only `Origin` and `DepDelay` are
/// parsed (`usecols`; the peers get the same projection, explicitly or from their optimisers);
/// missing delays are skipped. Result text: `EWR=…;JFK=…;LGA=…`.
let flightsWorkload = Workload(
    name: "flights",
    summary: "mean DepDelay per Origin over 10 × 1.4M-row flights CSVs (≈1 GB)",
    prepare: prepareFlights,
    run: { context in
        var options = CSVOptions()
        options.usecols = ["Origin", "DepDelay"]
        // 32 MiB partitions (four per 100 MB file): two workers hold little at a time. Measured
        // on the loaded 2-core machine (CPU seconds per run, peak RSS): 16 MiB 3.0 s / 62 MB,
        // 32 MiB 2.2 s / 101 MB, 128 MiB (files not split) 2.2 s / 253 MB; polars ≈4.5 s / 318 MB.
        options.blocksize = 32 << 20
        let means = try readCSV(flightsDirectory(context).path, options: options)
            .groupby("Origin").agg(["DepDelay": .mean])
            .compute(scheduler: context.scheduler)
        return flightsResultText(means)
    },
    peers: [
        Peer(name: "pandas loop", script: "Benchmarks/peers/flights_pandas.py", arguments: ["--rows", String(flightsRows)]),
        Peer(name: "dask.delayed", script: "Benchmarks/peers/flights_dask_delayed.py", arguments: ["--rows", String(flightsRows)]),
        Peer(name: "dask.dataframe", script: "Benchmarks/peers/flights_dask_dataframe.py", arguments: ["--rows", String(flightsRows)]),
        Peer(name: "polars", script: "Benchmarks/peers/flights_polars.py", arguments: ["--rows", String(flightsRows)]),
    ],
    parsesCSV: true,
    tolerance: 1e-9)

/// `KEY=mean;…` in key order, the means as Swift prints a Double (the peers use Python's repr,
/// which is also the shortest round-trip form).
func flightsResultText(_ table: Table) -> String {
    (0..<table.rowCount).map { "\(table.columns[0][$0])=\(table.columns[1][$0])" }.joined(separator: ";")
}
