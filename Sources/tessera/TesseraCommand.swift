import ArgumentParser
import Foundation
import Tessera
import TesseraFrame

/// The `tessera` command line: the classic Dask exercises as commands.
@main
struct TesseraCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tessera",
        abstract: "Parallel, lazy, chunked arrays and data frames — Dask's model in Swift.",
        discussion: """
            Every command builds a task graph and runs it on all cores (see --workers and --scheduler \
            where a command computes). Exit status: 0 on success, 1 on bad data (the message names \
            file:line:column), 2 on bad usage.
            """,
        subcommands: [Demo.self, Groupby.self, Head.self, Describe.self, SchemaCommand.self, Convert.self, GenerateFlights.self, GenerateH2O.self])

    /// Runs the command, mapping argument-parser's usage failures (its exit code 64) to 2, the
    /// conventional "bad usage" status the documentation promises; bad data stays 1.
    static func main() {
        AllocatorTuning.tuneForParsing()  // an executable may tune its own process; the library never does
        do {
            var command = try parseAsRoot(DiagnosticOptions.normalizingDashboardPort(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code.rawValue == 64 {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// Options shared by every command that computes.
struct SchedulerOptions: ParsableArguments {
    @Option(help: "Scheduler: 'threads' (all cores, default) or 'sync' (calling thread, for debugging).")
    var scheduler: String = "threads"

    @Option(help: "Worker threads for the threads scheduler (default: all cores).")
    var workers: Int?

    func validate() throws {
        guard ["threads", "sync", "synchronous"].contains(scheduler) else {
            throw ValidationError("unknown scheduler '\(scheduler)': use 'threads' or 'sync'")
        }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1, got \(workers)") }
    }

    /// The scheduler these options name.
    var resolved: Scheduler {
        scheduler == "threads" ? .threads(workers ?? Scheduler.defaultWorkerCount) : .synchronous
    }
}
