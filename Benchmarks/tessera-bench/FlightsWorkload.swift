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
        // 16 MiB partitions: five or six per file, so two workers hold little at a time (peak
        // RSS ≈150 MB against ≈510 MB at the 64 MiB default, for ≈5% more CPU time).
        options.blocksize = 16 << 20
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
    tolerance: 1e-9)

/// `KEY=mean;…` in key order, the means as Swift prints a Double (the peers use Python's repr,
/// which is also the shortest round-trip form).
func flightsResultText(_ table: Table) -> String {
    (0..<table.rowCount).map { "\(table.columns[0][$0])=\(table.columns[1][$0])" }.joined(separator: ";")
}
