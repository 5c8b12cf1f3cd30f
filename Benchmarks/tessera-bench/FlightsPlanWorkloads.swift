import Foundation
import Tessera
import TesseraFrame

// Workloads of the frame plan (issue 15): the README's code as a user writes it, no `usecols`,
// no blocksize, no hints — the optimizer must find the columns (and, for `flights-filter`, move
// the filter into the scan) by itself.

/// The months `flights-filter` keeps: June, July, August.
let summerMonths: ClosedRange<Int64> = 6...8

let flightsPlanWorkloads: [Workload] = [
    Workload(
        name: "flights-naive",
        summary: "flights as the README writes it: readCSV(dir).groupby(\"Origin\").agg(mean DepDelay), no usecols or hints",
        prepare: prepareFlights,
        run: { context in
            let means = try readCSV(flightsDirectory(context).path)
                .groupby("Origin").agg(["DepDelay": .mean])
                .compute(scheduler: context.scheduler)
            return flightsResultText(means)
        },
        peers: [
            Peer(name: "polars", script: "Benchmarks/peers/flights_polars.py", arguments: ["--rows", String(flightsRows)]),
        ],
        parsesCSV: true,
        tolerance: 1e-9),
    Workload(
        name: "flights-filter",
        summary: "mean DepDelay per Origin where Distance > 1000 and Month in 6...8, no usecols or hints",
        prepare: prepareFlights,
        run: { context in
            let df = try readCSV(flightsDirectory(context).path)
            let summer = df["Month"] >= Expr.literal(.int64(summerMonths.lowerBound)) && df["Month"] <= Expr.literal(.int64(summerMonths.upperBound))
            let means = try df.filter(df["Distance"] > 1000 && summer)
                .groupby("Origin").agg(["DepDelay": .mean])
                .compute(scheduler: context.scheduler)
            return flightsResultText(means)
        },
        peers: [
            Peer(name: "polars", script: "Benchmarks/peers/flights_filter_polars.py", arguments: ["--rows", String(flightsRows)]),
            Peer(name: "dask.dataframe", script: "Benchmarks/peers/flights_filter_dask_dataframe.py", arguments: ["--rows", String(flightsRows)]),
        ],
        parsesCSV: true,
        tolerance: 1e-9),
]
