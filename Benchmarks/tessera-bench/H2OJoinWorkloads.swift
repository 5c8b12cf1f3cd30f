import Foundation
import Tessera
import TesseraFrame

// The h2o.ai db-benchmark join questions over `generate-h2o` data (`h2o-join-q1` …; `h2o-join`
// names them all): the left table x (N rows) joined with small (N/1e6), medium (N/1e3) or big
// (N) on an integer or text key. Size from H2O_ROWS and H2O_NA as for the group-by questions;
// the tables are made once under `h2o-ROWS-K-NA/join/`. Every engine reads the CSV files afresh
// and materialises the whole joined table (Tessera as its computed partitions, polars as its
// chunks, dask persisted, duckdb as a table); result text: its row count and the sums of v1 and
// v2, `rows=N;sums=v1,v2`. The answers don't depend on row order, so Tessera's hash joins skip
// the shuffle that restores pandas' order (`preserveOrder: false`) unless H2O_JOIN_ORDER=1;
// H2O_JOIN_BROADCAST=1 or 0 forces the broadcast or the hash-partitioned join.

/// One join question: the right table, the key, the kind of join.
struct H2OJoinQuestion: Sendable {
    let id: String
    let summary: String
    let right: String
    let key: String
    let how: JoinKind
}

let h2oJoinQuestions = [
    H2OJoinQuestion(id: "q1", summary: "small inner on int", right: "small", key: "id1", how: .inner),
    H2OJoinQuestion(id: "q2", summary: "medium inner on int", right: "medium", key: "id2", how: .inner),
    H2OJoinQuestion(id: "q3", summary: "medium left outer on int", right: "medium", key: "id2", how: .left),
    H2OJoinQuestion(id: "q4", summary: "medium inner on text", right: "medium", key: "id5", how: .inner),
    H2OJoinQuestion(id: "q5", summary: "big inner on int", right: "big", key: "id3", how: .inner),
]

func prepareH2OJoin(_ context: BenchContext) throws {
    let size = H2OSize.current
    let dir = size.directory(context).appendingPathComponent("join")
    if FileManager.default.fileExists(atPath: dir.appendingPathComponent("big/part-003.csv").path) { return }
    try generateH2OJoin(directory: dir, rows: size.rows, naFraction: size.naFraction, files: 4)
}

/// The join tables' column types, as db-benchmark declares them, for the columns of `table`.
func h2oJoinTypes(_ table: String) -> CSVOptions {
    let types: [String: DataType] = ["id1": .int64, "id2": .int64, "id3": .int64, "id4": .string, "id5": .string,
                                     "id6": .string, "v1": .float64, "v2": .float64]
    let columns: [String: [String]] = ["x": ["id1", "id2", "id3", "id4", "id5", "id6", "v1"], "small": ["id1", "id4", "v2"],
                                       "medium": ["id1", "id2", "id4", "id5", "v2"], "big": ["id1", "id2", "id3", "id4", "id5", "id6", "v2"]]
    var options = CSVOptions()
    for c in columns[table] ?? [] { options.dtypes[c] = types[c] }
    return options
}

let h2oJoinWorkloads: [Workload] = h2oJoinQuestions.map { q in
    Workload(
        name: "h2o-join-\(q.id)",
        summary: "db-benchmark join \(q.id): \(q.summary) (H2O_ROWS, H2O_NA)",
        prepare: prepareH2OJoin,
        run: { context in
            let dir = H2OSize.current.directory(context).appendingPathComponent("join")
            let x = try readCSV(dir.appendingPathComponent("x").path, options: h2oJoinTypes("x"))
            let right = try readCSV(dir.appendingPathComponent(q.right).path, options: h2oJoinTypes(q.right))
            let ordered = ProcessInfo.processInfo.environment["H2O_JOIN_ORDER"] == "1"
            // H2O_JOIN_BROADCAST=1/0 forces the broadcast or the hash-partitioned join (to compare
            // the two); unset, the merge chooses.
            let broadcast = ProcessInfo.processInfo.environment["H2O_JOIN_BROADCAST"].map { $0 == "1" }
            let joined = try x.merge(right, on: [q.key], how: q.how, broadcast: broadcast, preserveOrder: ordered)
            // The joined table materialised as its computed partitions, as polars' collect()
            // keeps its chunks and dask's persist() its partitions; H2O_JOIN_ASSEMBLE=1 copies
            // them into one table (`compute()`) as well.
            let parts: [Table]
            if ProcessInfo.processInfo.environment["H2O_JOIN_ASSEMBLE"] == "1" {
                parts = [try joined.compute(scheduler: context.scheduler)]
            } else {
                parts = try TaskGraph(joined.partitions).compute(scheduler: context.scheduler).map { $0 as! Table }
            }
            let v1 = try parts.flatMap { h2oDoubles(try $0.column("v1")) }, v2 = try parts.flatMap { h2oDoubles(try $0.column("v2")) }
            return h2oResultText(rows: parts.reduce(0) { $0 + $1.rowCount }, columns: [v1, v2])
        },
        peers: h2oPeers(script: "Benchmarks/peers/h2o_join.py", question: q.id),
        parsesCSV: true,
        tolerance: 1e-9)
}
