import ArgumentParser
import Foundation
import Tessera
import TesseraDashboard
import TesseraFrame
import TesseraMPI

/// `tessera-bench`: runs the standard workloads of ../shared/BENCHMARKS.md and, with `--compare`,
/// the Python peers in the same invocation, printing time and memory ratios.
///
/// Each measurement runs in a child process (Tessera re-executes itself with `--child`; peers are
/// `python3 SCRIPT`), so peak resident memory is that run's alone, read from `wait4`'s rusage.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tessera-bench",
        abstract: "Run Tessera's standard workloads, optionally side by side with dask, pandas, polars and numpy.",
        discussion: "Workloads: " + allWorkloads.map { "\($0.name) (\($0.summary))" }.joined(separator: "; "))

    @Argument(help: "Workloads to run (default: all). See the discussion for names.")
    var workloads: [String] = []

    @Option(help: "Timed runs per engine after one warm-up; the median is reported.")
    var runs: Int = 3

    @Flag(inversion: .prefixedNo, help: "Run each engine once untimed before the timed runs.")
    var warmup = true

    @Option(help: "Timed runs for the Python peers (default: --runs).")
    var peerRuns: Int?

    @Option(help: "Worker threads (default: all cores); peers get the same number where they can use it.")
    var workers: Int?

    @Option(help: "Write the measurements as a JSON array to this file.")
    var json: String?

    @Flag(help: "Also run the Python peers of each workload and print ratios peer/Tessera.")
    var compare = false

    @Option(help: ArgumentHelp("With --compare, only these peers (comma-separated names, e.g. polars,duckdb).", valueName: "NAME,…"))
    var peers: String?

    @Flag(help: "Create a venv under .build/peers with dask, pandas, polars, numpy, pyarrow from PyPI, then exit unless workloads are named.")
    var setupPeers = false

    @Option(help: "Folder for generated inputs.")
    var dataDirectory: String = ".build/bench-data"

    @Option(help: "Serve the live dashboard on this port (0: any free one) in every Tessera run, to measure what it costs.")
    var dashboard: Int?

    @Option(help: ArgumentHelp("Run Tessera on N MPI ranks through mpirun (bytes over TCP on the loopback interface, as between machines), --workers threads per rank (default 1); with --compare, the peer is dask.distributed: LocalCluster(n_workers=N, threads_per_worker=1, processes=True), its start-up not timed.", valueName: "N"))
    var mpi: Int?

    @Option(help: .hidden)
    var child: String?

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        for name in workloads where selectWorkloads(name).isEmpty {
            throw ValidationError("unknown workload '\(name)'; known: \(allWorkloads.map(\.name).joined(separator: ", "))")
        }
    }

    func run() throws {
        let workerCount = workers ?? (mpi != nil ? 1 : Scheduler.defaultWorkerCount)
        let underMPI = child != nil && mpi != nil
        var context = BenchContext(scheduler: underMPI ? .mpi(workersPerRank: workerCount) : .threads(workerCount), workers: workerCount,
                                   dataDirectory: URL(fileURLWithPath: dataDirectory), dashboardPort: dashboard)
        context.mpiRanks = mpi
        if let child, underMPI {
            let workload = allWorkloads.first { $0.name == child }!
            if workload.parsesCSV { AllocatorTuning.tuneForParsing() }
            try MPIChildRun.run(workload: workload, context: context, runs: runs, warmup: warmup)
            return
        }
        if let child {
            let workload = allWorkloads.first { $0.name == child }!
            // As the tessera executable does for its CSV commands (the library never does); the
            // other workloads keep glibc's defaults, which suit many small allocations better.
            if workload.parsesCSV { AllocatorTuning.tuneForParsing() }
            let server = try dashboard.map { try Dashboard.start(port: $0) }
            defer { server?.stop() }
            try ChildRun.run(workload: workload, context: context, runs: runs, warmup: warmup)
            return
        }
        if setupPeers {
            try PeerEnvironment.setUp()
            if workloads.isEmpty { return }
        }
        let selected = workloads.isEmpty ? allWorkloads : workloads.flatMap { selectWorkloads($0) }
        var measurements: [Measurement] = []
        for workload in selected {
            try workload.prepare(context)
            var rows: [Measurement] = []
            rows.append(try Harness.runTessera(workload, context: context, runs: runs, warmup: warmup))
            if compare {
                let only = peers.map { Set($0.split(separator: ",").map(String.init)) }
                for peer in (mpi.map { workload.distributedPeers(workers: $0) } ?? workload.peers) where only?.contains(peer.name) ?? true {
                    var peerContext = context
                    if let mpi { peerContext = BenchContext(scheduler: context.scheduler, workers: mpi, dataDirectory: context.dataDirectory) }
                    rows.append(Harness.runPeer(peer, workload: workload, context: peerContext, runs: peerRuns ?? runs))
                }
            }
            Report.printTable(rows, tolerance: workload.tolerance, expected: workload.expectedResult)
            if let note = rows.first?.ranks { print(note) }
            measurements += rows
        }
        if let json { try Report.writeJSON(measurements, to: json) }
    }
}

/// Every workload the bench knows, in the order of BENCHMARKS.md.
let allWorkloads: [Workload] = [delayedWorkload] + frameWorkloads + [flightsWorkload] + flightsPlanWorkloads + parquetWorkloads + arrayWorkloads + linalgWorkloads + reliabilityWorkloads + storageWorkloads
    + h2oGroupByWorkloads + h2oJoinWorkloads + sortWorkloads + [mpiBandwidthWorkload]

/// The workload named `name`, or the group it names (`h2o-groupby`: every `h2o-groupby-…`).
func selectWorkloads(_ name: String) -> [Workload] {
    if let w = allWorkloads.first(where: { $0.name == name }) { return [w] }
    return allWorkloads.filter { $0.name.hasPrefix(name + "-") }
}
