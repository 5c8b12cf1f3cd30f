import Foundation
import Tessera
import TesseraFrame

// The h2o.ai db-benchmark questions over `generate-h2o` data, one workload per question
// (`h2o-groupby-q1` …; `h2o-groupby` names them all). Size from the environment: H2O_ROWS
// (default 1e7), H2O_K (100), H2O_NA (0; 0.05 for 5% missing); the files are made once under
// the data directory as `h2o-ROWS-K-NA/groupby/part-00i.csv`, four files. H2O_BLOCKSIZE (bytes,
// default the reader's 64 MiB) cuts them into more partitions: a small data set then has as
// many partitions as a large one, which memory tests need.
//
// Every engine reads the CSV files afresh per run and keeps groups with a missing key (polars'
// and duckdb's behaviour; pandas' `dropna=False`). Result text: the number of result rows and the
// sum of every aggregated column, `rows=N;sums=a,b,…`, compared to 1e-9 relative. q8 has up to
// two rows per id6 (rows with a missing v3 skipped); q9 sums r² per (id2, id4).

/// The size of the h2o data from the environment.
struct H2OSize {
    var rows = 10_000_000
    var k = 100
    var naFraction = 0.0

    static var current: H2OSize {
        let env = ProcessInfo.processInfo.environment
        var s = H2OSize()
        if let r = env["H2O_ROWS"].flatMap({ Double($0) }) { s.rows = Int(r) }
        if let k = env["H2O_K"].flatMap({ Int($0) }) { s.k = k }
        if let f = env["H2O_NA"].flatMap({ Double($0) }) { s.naFraction = f }
        return s
    }

    func directory(_ context: BenchContext) -> URL {
        context.dataDirectory.appendingPathComponent("h2o-\(rows)-\(k)-\(naFraction)")
    }
}

/// One group-by question: its keys, aggregations, and the post-processing db-benchmark asks for.
struct H2OQuestion: Sendable {
    let id: String
    let summary: String
    let keys: [String]
    let aggregations: [NamedAggregation]
    /// Turns the aggregated columns into the answer's value columns, missing values as NaN
    /// (q7: max − min).
    var answer: @Sendable ([Column]) -> [[Double]] = { cols in cols.map(h2oDoubles) }
}

let h2oQuestions: [H2OQuestion] = [
    H2OQuestion(id: "q1", summary: "sum v1 by id1", keys: ["id1"], aggregations: [NamedAggregation("v1", .sum)]),
    H2OQuestion(id: "q2", summary: "sum v1 by id1, id2", keys: ["id1", "id2"], aggregations: [NamedAggregation("v1", .sum)]),
    H2OQuestion(id: "q3", summary: "sum v1, mean v3 by id3", keys: ["id3"],
                aggregations: [NamedAggregation("v1", .sum), NamedAggregation("v3", .mean)]),
    H2OQuestion(id: "q4", summary: "mean v1, v2, v3 by id4", keys: ["id4"],
                aggregations: ["v1", "v2", "v3"].map { NamedAggregation($0, .mean) }),
    H2OQuestion(id: "q5", summary: "sum v1, v2, v3 by id6", keys: ["id6"],
                aggregations: ["v1", "v2", "v3"].map { NamedAggregation($0, .sum) }),
    H2OQuestion(id: "q6", summary: "median v3, sd v3 by id4, id5", keys: ["id4", "id5"],
                aggregations: [NamedAggregation("v3", .median), NamedAggregation("v3", .std)]),
    H2OQuestion(id: "q7", summary: "max v1 - min v2 by id3", keys: ["id3"],
                aggregations: [NamedAggregation("v1", .max), NamedAggregation("v2", .min)],
                answer: { cols in
                    let a = h2oDoubles(cols[0]), b = h2oDoubles(cols[1])
                    return [zip(a, b).map { $0 - $1 }]
                }),
    H2OQuestion(id: "q8", summary: "largest two v3 by id6", keys: ["id6"], aggregations: [NamedAggregation("v3", .largest(2))]),
    H2OQuestion(id: "q9", summary: "r2 of v1 and v2 by id2, id4", keys: ["id2", "id4"],
                aggregations: [NamedAggregation("v1", .corr(with: "v2"))],
                answer: { cols in [h2oDoubles(cols[0]).map { $0 * $0 }] }),
    H2OQuestion(id: "q10", summary: "sum v3, count by id1..id6 (10M groups)", keys: ["id1", "id2", "id3", "id4", "id5", "id6"],
                aggregations: [NamedAggregation("v3", .sum), NamedAggregation("v1", .size, name: "count")]),
]

/// A numeric column's values as doubles, NaN where missing.
@Sendable func h2oDoubles(_ c: Column) -> [Double] {
    let values: [Double]
    switch c.values {
    case .float64(let a): values = a
    case .int64(let a): values = a.map { Double($0) }
    default: values = (0..<c.count).map { c[$0].doubleValue ?? .nan }
    }
    guard let v = c.validity else { return values }
    return values.indices.map { v[$0] ? values[$0] : .nan }
}

/// `rows=N;sums=…`: the answer's row count and the sum of each value column (NaN and missing skipped).
func h2oResultText(rows: Int, columns: [[Double]]) -> String {
    let sums = columns.map { c in c.reduce(0.0) { $0 + ($1.isNaN ? 0 : $1) } }
    return "rows=\(rows);sums=" + sums.map { "\($0)" }.joined(separator: ",")
}

func prepareH2OGroupBy(_ context: BenchContext) throws {
    let size = H2OSize.current
    let dir = size.directory(context).appendingPathComponent("groupby")
    if FileManager.default.fileExists(atPath: dir.appendingPathComponent("part-003.csv").path) { return }
    try generateH2OGroupBy(directory: dir, rows: size.rows, k: size.k, naFraction: size.naFraction, files: 4)
}

let h2oGroupByWorkloads: [Workload] = h2oQuestions.map { q in
    let columns = Array(Set(q.keys + q.aggregations.flatMap(\.inputs))).sorted()
    return Workload(
        name: "h2o-groupby-\(q.id)",
        summary: "db-benchmark groupby \(q.id): \(q.summary), 4 CSV files (H2O_ROWS, H2O_K, H2O_NA)",
        prepare: prepareH2OGroupBy,
        run: { context in
            var options = CSVOptions()
            options.usecols = columns
            if let b = ProcessInfo.processInfo.environment["H2O_BLOCKSIZE"].flatMap({ Int($0) }) { options.blocksize = b }
            let dir = H2OSize.current.directory(context).appendingPathComponent("groupby")
            let out = try readCSV(dir.path, options: options)
                .groupby(q.keys, dropna: false).agg(q.aggregations)
                .compute(scheduler: context.scheduler)
            return h2oResultText(rows: out.rowCount, columns: q.answer(Array(out.columns[q.keys.count...])))
        },
        peers: h2oPeers(script: "Benchmarks/peers/h2o_groupby.py", question: q.id),
        parsesCSV: true,
        tolerance: 1e-9)
}

/// polars, duckdb and dask.dataframe running `question` through `script`.
func h2oPeers(script: String, question: String) -> [Peer] {
    ["polars", "duckdb", "dask"].map { engine in
        Peer(name: engine == "dask" ? "dask.dataframe" : engine, script: script, arguments: ["--engine", engine, "--question", question])
    }
}
