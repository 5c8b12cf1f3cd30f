import ArgumentParser
import Foundation
import TesseraFrame

/// `tessera generate-flights DIR`: deterministic flights CSVs in the Dask tutorial's schema.
struct GenerateFlights: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-flights",
        abstract: "Write deterministic yearly flights CSV files (Dask tutorial nycflights schema).",
        discussion: "Files are named 1990.csv, 1991.csv, …; about 2% of flights are cancelled, with empty time and delay fields.")

    @Argument(help: "Directory to write into (created if missing).")
    var directory: String

    @Option(help: "Number of yearly files.")
    var files: Int = 10

    @Option(help: "Rows per file.")
    var rows: Int = 100_000

    @Option(help: "Random seed; the same seed gives byte-identical files.")
    var seed: UInt64 = 42

    @OptionGroup var scheduling: SchedulerOptions
    @OptionGroup var diagnostics: DiagnosticOptions

    func validate() throws {
        guard files >= 1 else { throw ValidationError("--files must be at least 1") }
        guard rows >= 0 else { throw ValidationError("--rows must not be negative") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: directory)
        try diagnostics.run { try generateFlights(directory: url, files: files, rows: rows, seed: seed, scheduler: scheduling.resolved) }
        print("wrote \(files) files of \(rows) rows to \(url.path)")
    }
}
