import Foundation
import Tessera
import TesseraFrame

/// `flights`: the Dask tutorial's question — mean departure delay per origin airport — over
/// `generate-flights` data, 10 files × 1.4M rows (≈1 GB). Only `Origin` and `DepDelay` are
/// parsed (`usecols`; the peers get the same projection, explicitly or from their optimisers);
/// missing delays are skipped. Result text: `EWR=…;JFK=…;LGA=…`.
let flightsWorkload = Workload(
    name: "flights",
    summary: "mean DepDelay per Origin over 10 × 1.4M-row flights CSVs (≈1 GB)",
    prepare: { context in
        let dir = flightsDirectory(context)
        if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("1999.csv").path) {
            try generateFlights(directory: dir, files: 10, rows: 1_400_000, seed: 42)
        }
    },
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
        Peer(name: "pandas loop", script: "Benchmarks/peers/flights_pandas.py"),
        Peer(name: "dask.delayed", script: "Benchmarks/peers/flights_dask_delayed.py"),
        Peer(name: "dask.dataframe", script: "Benchmarks/peers/flights_dask_dataframe.py"),
        Peer(name: "polars", script: "Benchmarks/peers/flights_polars.py"),
    ],
    tolerance: 1e-9)

/// Where `prepare` writes the flights files.
func flightsDirectory(_ context: BenchContext) -> URL {
    context.dataDirectory.appendingPathComponent("flights")
}

/// `KEY=mean;…` in key order, the means as Swift prints a Double (the peers use Python's repr,
/// which is also the shortest round-trip form).
func flightsResultText(_ table: Table) -> String {
    (0..<table.rowCount).map { "\(table.columns[0][$0])=\(table.columns[1][$0])" }.joined(separator: ";")
}
