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
    let stamp = dir.appendingPathComponent(".complete")
    if FileManager.default.fileExists(atPath: stamp.path) { return }
    try generateFlights(directory: dir, files: flightsFiles, rows: flightsRows, seed: flightsSeed)
    try Data().write(to: stamp)
}

let frameWorkloads: [Workload] = [
    Workload(
        name: "csv-parse",
        summary: "read the flights directory (10 files, all 23 columns, types inferred) and count rows",
        prepare: prepareFlights,
        run: { context in
            func cpu() -> Double {
                var ts = timespec()
                clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
                return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
            }
            let c0 = cpu()
            let t0 = Date()
            var options = CSVOptions()
            if let cols = ProcessInfo.processInfo.environment["TESSERA_BENCH_USECOLS"] {
                options.usecols = cols.split(separator: ",").map(String.init)
            }
            let df = try readCSV(flightsDirectory(context).path, options: options)
            let t1 = Date()
            let parts = try TaskGraph(df.partitions).compute(scheduler: context.scheduler)
            let t2 = Date()
            let c2 = cpu()
            let rows = parts.reduce(0) { $0 + ($1 as! Table).rowCount }
            let t3 = Date()
            let c3 = cpu()
            if ProcessInfo.processInfo.environment["TESSERA_BENCH_VERBOSE"] != nil {
                FileHandle.standardError.write(Data("plan \(t1.timeIntervalSince(t0)) parse \(t2.timeIntervalSince(t1)) concat \(t3.timeIntervalSince(t2)) cpu: parse \(c2 - c0) concat \(c3 - c2)\n".utf8))
            }
            return String(rows)
        },
        peers: [
            Peer(name: "pandas", script: "Benchmarks/peers/csv_parse_pandas.py", arguments: ["--rows", String(flightsRows)]),
            Peer(name: "polars", script: "Benchmarks/peers/csv_parse_polars.py", arguments: ["--rows", String(flightsRows)]),
            Peer(name: "pyarrow", script: "Benchmarks/peers/csv_parse_pyarrow.py", arguments: ["--rows", String(flightsRows)]),
        ],
        tolerance: 0),
]
