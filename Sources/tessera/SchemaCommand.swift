import ArgumentParser
import Foundation
import Tessera
import TesseraFrame

/// `tessera schema PATH`: the columns, their types and whether they hold missing values.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the schema of CSV files as CSV: column,type,nullable.",
        discussion: """
            Types are int64, float64, bool, string or timestamp, inferred from every value of every \
            file (files are read in parallel, partitions dropped as they are summarised) and unified \
            by promotion (int64 with float64 gives float64; anything else mixed gives string). \
            PATH is a file, a directory (its *.csv files, sorted) or a glob. Exit status 1 on bad \
            data (the message names file:line:column), 2 on bad usage.
            """)

    @OptionGroup var input: CSVInputOptions

    @OptionGroup var scheduling: SchedulerOptions
    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
        try reportingDataErrors {
            let frame = try input.frame()
            let schema = try diagnostics.run({ try frame.inferSchema(scheduler: scheduling.resolved) })
            FileHandle.standardOutput.write(Data(schema.csv.utf8))
        }
    }
}
