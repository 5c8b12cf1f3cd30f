import Foundation
import Tessera
import TesseraFrame

// Owned by the ChunkedFrame work: `csv-parse`, `flights`.

/// The standard flights data of ../shared/BENCHMARKS.md: 10 yearly files × 1.4M rows (≈1 GB).
/// `TESSERA_BENCH_FLIGHTS_ROWS` shrinks it for quick local runs.
let flightsFiles = 10
let flightsRows = ProcessInfo.processInfo.environment["TESSERA_BENCH_FLIGHTS_ROWS"].flatMap { Int($0) } ?? 1_400_000
let flightsSeed: UInt64 = 42

/// `<data>/flights-<files>x<rows>/`, generated once (a stamp file marks a complete set).
func flightsDirectory(_ context: BenchContext) -> URL {
    context.dataDirectory.appendingPathComponent("flights-\(flightsFiles)x\(flightsRows)")
}

/// Generates the flights files unless a complete set is already there.
func prepareFlights(_ context: BenchContext) throws {
    let dir = flightsDirectory(context)
    try makeOnce(dir) { try generateFlights(directory: dir, files: flightsFiles, rows: flightsRows, seed: flightsSeed) }
}

/// Runs `make` unless `dir` holds the `.complete` stamp of an earlier run, then writes the stamp.
func makeOnce(_ dir: URL, _ make: () throws -> Void) throws {
    let stamp = dir.appendingPathComponent(".complete")
    if FileManager.default.fileExists(atPath: stamp.path) { return }
    try make()
    try Data().write(to: stamp)
}

let frameWorkloads: [Workload] = [
    Workload(
        name: "csv-parse",
        summary: "read the flights directory (10 files, all 23 columns, types inferred) and count rows",
        prepare: prepareFlights,
        run: { context in
            // Every partition is parsed into typed columns, counted and dropped, as the peers
            // read, count and drop each file: memory stays at a few partitions. A plain
            // rowCount() would convert no column at all (the plan's row-count rule); the opaque
            // closure keeps all 23 converted, which is what this workload measures.
            let df = try readCSV(flightsDirectory(context).path).mapPartitions(kind: "parse-all") { $0 }
            return String(try df.rowCount(scheduler: context.scheduler))
        },
        peers: [
            Peer(name: "pandas", script: "Benchmarks/peers/csv_parse_pandas.py", arguments: ["--rows", String(flightsRows)]),
            Peer(name: "polars", script: "Benchmarks/peers/csv_parse_polars.py", arguments: ["--rows", String(flightsRows)]),
            Peer(name: "pyarrow", script: "Benchmarks/peers/csv_parse_pyarrow.py", arguments: ["--rows", String(flightsRows)]),
        ],
        parsesCSV: true,
        tolerance: 0),
]
