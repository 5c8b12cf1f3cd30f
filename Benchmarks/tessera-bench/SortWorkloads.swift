import Foundation
import Tessera
import TesseraFrame

// A sample sort over the db-benchmark group-by data (`generate-h2o`, H2O_ROWS/H2O_K/H2O_NA):
// the four CSV files read afresh, sorted by a few-valued integer key then a float descending,
// into as many partitions as files. A range shuffle of every row. Result text: row count, the
// sum of v3, and a position-weighted sum of id4 (which changes if the order does).

let sortWorkloads: [Workload] = [
    Workload(
        name: "h2o-sort",
        summary: "sort the db-benchmark groupby table by id4, v3 descending (H2O_ROWS, H2O_K, H2O_NA)",
        prepare: prepareH2OGroupBy,
        run: { context in
            var options = CSVOptions()
            options.usecols = ["id4", "v3"]
            let dir = H2OSize.current.directory(context).appendingPathComponent("groupby")
            let out = try readCSV(dir.path, options: options)
                .sortValues(by: ["id4", "v3"], ascending: [true, false])
                .compute(scheduler: context.scheduler)
            let id4 = h2oDoubles(try out.column("id4"))
            let weighted = id4.indices.reduce(0.0) { $0 + (id4[$1].isNaN ? 0 : id4[$1] * Double($1 % 1_000)) }
            return h2oResultText(rows: out.rowCount, columns: [h2oDoubles(try out.column("v3"))]) + ";order=\(weighted)"
        },
        parsesCSV: true),
]
