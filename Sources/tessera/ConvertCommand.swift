import ArgumentParser
import Foundation
import TesseraFrame
import TesseraParquet

/// `tessera convert SRC DST`: CSV to Parquet or Parquet to CSV, one output file per partition.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert CSV to Parquet or Parquet to CSV.",
        discussion: """
            SRC is a CSV or Parquet file, directory or glob (Parquet is recognised by extension or \
            magic bytes). DST is a directory, created if missing, that receives one file per \
            partition (part-00000.parquet or part-00000.csv), each written to a temporary name and \
            renamed; with --partition-by, Hive folders (Year=2013/part-00000.parquet) instead. \
            CSV becomes Parquet; Parquet becomes CSV (Hive folders become columns). Exit status 1 on bad data, 2 on bad usage.
            """)

    @Argument(help: "The input: a CSV or Parquet file, directory or glob.")
    var source: String

    @Argument(help: "The output directory.")
    var destination: String

    @Option(help: "Parquet compression: none, snappy, zstd[:LEVEL], gzip[:LEVEL], lz4, brotli[:LEVEL].")
    var compression: String = "zstd"

    @Option(name: .customLong("partition-by"), parsing: .upToNextOption,
            help: "CSV to Parquet only: columns whose values become Hive folders (KEY=VALUE/…), outermost first.")
    var partitionBy: [String] = []

    @OptionGroup var scheduling: SchedulerOptions
    @OptionGroup var plan: ExplainOption
    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
        guard let codec = ParquetCompression(name: compression) else {
            throw ValidationError("unknown compression '\(compression)'")
        }
        if !partitionBy.isEmpty && isParquetPath(source) {
            throw ValidationError("--partition-by applies to CSV → Parquet only")
        }
        try reportingDataErrors {
            if try plan.printed({ try isParquetPath(source) ? readParquet(source) : readCSV(source) }) { return }
            try diagnostics.run {
                if isParquetPath(source) {
                    try readParquet(source).toCSV(destination, scheduler: scheduling.resolved)
                } else {
                    try readCSV(source).toParquet(destination, partitionBy: partitionBy, compression: codec, scheduler: scheduling.resolved)
                }
            }
        }
    }
}
