import ArgumentParser
import Foundation
import Tessera
import TesseraFrame

/// `tessera head PATH [-n N]`: the first rows of CSV files, as CSV on stdout.
struct Head: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "head",
        abstract: "Print the first rows of CSV files as CSV (types inferred, so numbers print normalised).",
        discussion: """
            PATH is a file, a directory (its *.csv files, sorted) or a glob such as 'data/*.csv'. \
            Only the partitions needed for N rows are read. Exit status 1 on bad data (the message \
            names file:line:column), 2 on bad usage.
            """)

    @OptionGroup var input: CSVInputOptions

    @Option(name: .short, help: "Number of rows to print.")
    var n: Int = 5

    @OptionGroup var diagnostics: DiagnosticOptions
    @OptionGroup var plan: ExplainOption

    func run() throws {
        guard n >= 0 else { throw usageFailure("-n must not be negative, got \(n)") }
        try reportingDataErrors {
            let frame = try input.frame()
            if try plan.printed({ try frame.headPlan(n) }) { return }
            // Under MPI the ranks read the few partitions needed between them, one thread each.
            let scheduler: Scheduler = MPIMode.isActive ? .mpi(workersPerRank: 1) : .synchronous
            let table = try diagnostics.run({ try frame.head(n, scheduler: scheduler) })
            FileHandle.standardOutput.write(Data(table.csvBytes()))
        }
    }
}

/// CSV options from command-line flags. - Throws: a usage failure for a bad delimiter.
func csvOptions(delimiter: String) throws -> CSVOptions {
    var options = CSVOptions()
    guard delimiter.count == 1, let c = delimiter.first, c.isASCII else {
        throw usageFailure("--delimiter must be one ASCII character, got '\(delimiter)'")
    }
    options.delimiter = c
    return options
}

/// Prints `message` to standard error and returns the exit status for bad usage (2).
func usageFailure(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("tessera: \(message)\n".utf8))
    return ExitCode(2)
}

/// Runs `body`, turning frame and CSV errors into a message on standard error and an exit
/// status: 1 for bad data (the message starts with file:line:column), 2 for bad usage
/// (missing paths, unknown columns, bad options).
func reportingDataErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch {
        let underlying = (error as? TaskFailure)?.underlying ?? error
        if underlying is ExitCode { throw underlying }
        FileHandle.standardError.write(Data("tessera: \(underlying)\n".utf8))
        switch underlying {
        case CSVError.noFiles, CSVError.unreadable, CSVError.invalidOption, CSVError.unknownColumn:
            throw ExitCode(2)
        case is FrameError:
            throw ExitCode(2)
        default:
            throw ExitCode(1)
        }
    }
}
