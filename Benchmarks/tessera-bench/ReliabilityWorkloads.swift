import Foundation
import Tessera
import TesseraArray
import TesseraFrame

// Workloads behind the reliability guarantees: memory bounds (checked by
// Tests/TesseraTests/MemoryBoundTests.swift from the harness's peak RSS) and size limits.

/// `memory-array`: an 8 GB array (10⁹ doubles in 80 MB blocks), every block materialised by
/// `mapBlocks` (so fusion can't hide it), then summed. Peak memory must stay near
/// workers × block × a small factor: blocks are released as soon as their partial sum exists.
let memoryArrayWorkload = Workload(
    name: "memory-array",
    summary: "sum of an 8 GB random array in 80 MB blocks, each materialised",
    run: { context in
        let x = try ChunkedArray<Double>.random(shape: [1_000_000_000], chunks: [10_000_000], seed: 7)
        let materialised = try x.mapBlocks(name: "materialise") { block, _ in block }
        let total = try materialised.sum().compute(scheduler: context.scheduler)
        return String(total.scalar!)
    },
    tolerance: 0)

/// Where `memory-groupby` keeps its CSV directory: 4 files of about 85 MB, read in 8 MiB
/// partitions, so the data is about forty partitions.
func memoryGroupbyDirectory(_ context: BenchContext) -> URL {
    context.dataDirectory.appendingPathComponent("memory-groupby")
}

/// `memory-groupby`: mean DepDelay per Origin over ≈340 MB of CSV read whole (all 23 columns) in
/// 8 MiB partitions. Peak memory must stay near workers × partition × a small factor, far below
/// the data's size: partitions stream through the reduction and are released.
let memoryGroupbyWorkload = Workload(
    name: "memory-groupby",
    summary: "groupby over a CSV directory ≈40 partitions large, all columns parsed",
    prepare: { context in
        let dir = memoryGroupbyDirectory(context)
        if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("1993.csv").path) {
            try generateFlights(directory: dir, files: 4, rows: 1_200_000, seed: 11)
        }
    },
    run: { context in
        var options = CSVOptions()
        options.blocksize = 8 << 20
        let frame = try readCSV(memoryGroupbyDirectory(context).path, options: options)
        let table = try frame.groupby("Origin").agg(["DepDelay": .mean]).compute(scheduler: context.scheduler)
        return table.description
    },
    parsesCSV: true,
    tolerance: 0)

/// `limits-many-files`: 10,000 small CSV files (20 rows each) read and counted.
let manyFilesWorkload = Workload(
    name: "limits-many-files",
    summary: "read 10,000 small CSV files",
    prepare: { context in
        let dir = context.dataDirectory.appendingPathComponent("many-files")
        if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("09999.csv").path) {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            _ = try (0..<10_000).parallelMap(batchSize: 100) { i -> Int in
                var text = "id,value,name\n"
                for r in 0..<20 { text += "\(i * 20 + r),\(Double(r) * 0.5),n\(r % 3)\n" }
                try text.write(to: dir.appendingPathComponent(String(format: "%05d.csv", i)), atomically: true, encoding: .utf8)
                return i
            }
        }
    },
    run: { context in
        let frame = try readCSV(context.dataDirectory.appendingPathComponent("many-files").path)
        return String(try frame.rowCount(scheduler: context.scheduler))
    },
    parsesCSV: true,
    tolerance: 0)

/// `limits-big-file`: one 2 GB CSV file, split at quote-aware row starts and read whole.
let bigFileWorkload = Workload(
    name: "limits-big-file",
    summary: "read one 2 GB CSV file, split into 64 MiB partitions",
    prepare: { context in
        let dir = context.dataDirectory.appendingPathComponent("big-file")
        let file = dir.appendingPathComponent("1990.csv")
        if !FileManager.default.fileExists(atPath: file.path) {
            try generateFlights(directory: dir, files: 1, rows: 28_000_000, seed: 5)
        }
    },
    run: { context in
        let frame = try readCSV(context.dataDirectory.appendingPathComponent("big-file/1990.csv").path)
        return String(try frame.rowCount(scheduler: context.scheduler))
    },
    parsesCSV: true,
    tolerance: 0)

let reliabilityWorkloads: [Workload] = [memoryArrayWorkload, memoryGroupbyWorkload, manyFilesWorkload, bigFileWorkload]
