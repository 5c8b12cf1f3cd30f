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

            On a cluster: `mpirun -np N tessera groupby …` (or `srun`, or any command with --mpi) runs \
            the command on N processes over MPI: every rank builds the same graph, tasks are spread \
            over the ranks (--workers threads each), and rank 0 alone prints; --progress counts every \
            rank's tasks and --profile writes one trace with a track per rank and worker.
            """,
        subcommands: [Demo.self, Groupby.self, Head.self, Describe.self, SchemaCommand.self, Convert.self, GenerateFlights.self, GenerateH2O.self])

    /// Runs the command, mapping argument-parser's usage failures (its exit code 64) to 2, the
    /// conventional "bad usage" status the documentation promises; bad data stays 1.
    static func main() {
        AllocatorTuning.tuneForParsing()  // an executable may tune its own process; the library never does
        MPIMode.start()
        do {
            let arguments = MPIMode.removingFlag(Array(CommandLine.arguments.dropFirst()))
            var command = try parseAsRoot(DiagnosticOptions.normalizingDashboardPort(arguments))
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code.rawValue == 64 {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                MPIMode.finish(status: 2)
            }
            guard MPIMode.isActive else { exit(withError: error) }
            // exit(withError:) would exit before MPI is finalized: print as it would, then end.
            let message = fullMessage(for: error)
            if !message.isEmpty {
                (code.rawValue == 0 ? FileHandle.standardOutput : FileHandle.standardError).write(Data((message + "\n").utf8))
            }
            MPIMode.finish(status: code.rawValue)
        }
        MPIMode.finish(status: 0)
    }
}

/// Options shared by every command that computes.
struct SchedulerOptions: ParsableArguments {
    @Option(help: "Scheduler: 'threads' (all cores, default) or 'sync' (calling thread, for debugging).")
    var scheduler: String = "threads"

    @Option(help: "Worker threads for the threads scheduler (default: all cores); under MPI (mpirun, or --mpi), threads per rank (default: the cores shared by the ranks on each host).")
    var workers: Int?

    func validate() throws {
        guard ["threads", "sync", "synchronous"].contains(scheduler) else {
            throw ValidationError("unknown scheduler '\(scheduler)': use 'threads' or 'sync'")
        }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1, got \(workers)") }
    }

    /// The scheduler these options name: under MPI, the ranks of the job (`sync` meaning one
    /// thread per rank).
    var resolved: Scheduler {
        if MPIMode.isActive { return .mpi(workersPerRank: scheduler == "threads" ? workers : 1) }
        return scheduler == "threads" ? .threads(workers ?? Scheduler.defaultWorkerCount) : .synchronous
    }
}
