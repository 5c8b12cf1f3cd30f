import ArgumentParser
import Foundation
import Tessera
import TesseraFrame

/// `tessera describe PATH`: pandas' `describe()` of the numeric columns, as CSV.
struct Describe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Summarise the numeric columns of CSV files: count, mean, std, min, quartiles, max.",
        discussion: """
            Prints CSV with one row per statistic and one column per numeric column, like pandas' \
            DataFrame.describe(). Quartiles are exact. PATH is a file, a directory (its *.csv files, \
            sorted) or a glob. Exit status 1 on bad data (the message names file:line:column), 2 on \
            bad usage.
            """)

    @OptionGroup var input: CSVInputOptions

    @OptionGroup var scheduling: SchedulerOptions
    @OptionGroup var diagnostics: DiagnosticOptions
    @OptionGroup var plan: ExplainOption

    func run() throws {
        try reportingDataErrors {
            let frame = try input.frame()
            if try plan.printed({ try frame.describedColumns() }) { return }
            let table = try diagnostics.run({ try frame.describe(scheduler: scheduling.resolved) })
            FileHandle.standardOutput.write(Data(table.csvBytes()))
        }
    }
}
