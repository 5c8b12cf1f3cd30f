import Foundation
import Tessera
import TesseraFrame
import TesseraParquet

// `parquet-flights` and `parquet-scan`: the flights data written by pyarrow with its defaults
// (snappy, dictionary pages, 1 Mi-row row groups), one file per yearly CSV.

/// `<data>/flights-parquet-<files>x<rows>/`, converted once from the CSV set by the peers' pyarrow.
func flightsParquetDirectory(_ context: BenchContext) -> URL {
    context.dataDirectory.appendingPathComponent("flights-parquet-\(flightsFiles)x\(flightsRows)")
}

/// Makes the CSV set, then its Parquet copy (Benchmarks/peers/make_flights_parquet.py), unless
/// a complete copy is there.
func prepareFlightsParquet(_ context: BenchContext) throws {
    try prepareFlights(context)
    let dir = flightsParquetDirectory(context)
    try makeOnce(dir) {
        let (status, out, _) = Harness.spawn([PeerEnvironment.python, "Benchmarks/peers/make_flights_parquet.py",
                                              flightsDirectory(context).path, dir.path])
        guard status == 0 else { throw BenchError.setup("make_flights_parquet.py failed (run --setup-peers first):\n\(out)") }
    }
}

let parquetWorkloads: [Workload] = [
    Workload(
        name: "parquet-flights",
        summary: "mean DepDelay per Origin over the flights data as pyarrow-written Parquet (10 files, snappy)",
        prepare: prepareFlightsParquet,
        run: { context in
            let means = try readParquet(flightsParquetDirectory(context).path, columns: ["Origin", "DepDelay"])
                .groupby("Origin").agg(["DepDelay": .mean])
                .compute(scheduler: context.scheduler)
            return flightsResultText(means)
        },
        peers: ["polars", "duckdb", "pyarrow", "dask_dataframe"].map {
            Peer(name: $0.replacingOccurrences(of: "_", with: "."), script: "Benchmarks/peers/parquet_flights_\($0).py",
                 arguments: ["--rows", String(flightsRows)])
        },
        tolerance: 1e-9),
    Workload(
        name: "parquet-scan",
        summary: "read every column of the flights Parquet files and count rows",
        prepare: prepareFlightsParquet,
        run: { context in
            // Every partition is decoded into typed columns, counted and dropped.
            let df = try readParquet(flightsParquetDirectory(context).path)
            let counts = try TaskGraph(df.partitionLayer(kind: "scan") { $0.rowCount }.refs).compute(scheduler: context.scheduler)
            return String(counts.reduce(0) { $0 + ($1 as! Int) })
        },
        peers: ["pyarrow", "polars", "duckdb"].map {
            Peer(name: $0, script: "Benchmarks/peers/parquet_scan_\($0).py", arguments: ["--rows", String(flightsRows)])
        },
        tolerance: 0),
]
