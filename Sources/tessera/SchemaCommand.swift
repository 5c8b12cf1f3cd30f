import ArgumentParser
import Foundation
import Tessera
import TesseraFrame
import TesseraParquet

/// `tessera schema PATH`: the columns, their types and whether they hold missing values.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the schema of CSV or Parquet files as CSV: column,type,nullable.",
        discussion: """
            Types are int64, float64, bool, string or timestamp, inferred from every value of every \
            file (files are read in parallel, partitions dropped as they are summarised) and unified \
            by promotion (int64 with float64 gives float64; anything else mixed gives string). \
            PATH is a file, a directory (its *.csv files, sorted) or a glob. For Parquet the types come \
            from the footer (nothing is inferred) and the row-group count goes to standard error. Exit status 1 on bad \
            data (the message names file:line:column), 2 on bad usage.
            """)

    @OptionGroup var input: CSVInputOptions

    @OptionGroup var scheduling: SchedulerOptions
    @OptionGroup var diagnostics: DiagnosticOptions
    @OptionGroup var plan: ExplainOption

    func run() throws {
        try reportingDataErrors {
            if isParquetPath(input.path) {
                // Parquet declares its types in the footer: nothing to infer.
                let data = try ParquetDataset(paths: [input.path])
                FileHandle.standardOutput.write(Data(data.schema.csv.utf8))
                let groups = data.rowGroupCount, files = data.fileCount
                FileHandle.standardError.write(Data("\(groups) row group\(groups == 1 ? "" : "s") in \(files) file\(files == 1 ? "" : "s")\n".utf8))
                return
            }
            let frame = try input.frame()
            if plan.printed({ frame }) { return }
            let schema = try diagnostics.run({ try frame.inferSchema(scheduler: scheduling.resolved) })
            FileHandle.standardOutput.write(Data(schema.csv.utf8))
        }
    }
}
