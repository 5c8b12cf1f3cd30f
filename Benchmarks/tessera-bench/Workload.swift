import Foundation
import Tessera

/// What a workload run is given: where to run and where generated inputs live.
struct BenchContext {
    /// The scheduler Tessera runs on (`.threads(workers)`).
    let scheduler: Scheduler
    /// Worker count (also passed to peers, which use it where they can).
    let workers: Int
    /// A folder for generated inputs (CSV directories and the like), kept between runs.
    let dataDirectory: URL
    /// With `--mpi N`: the ranks Tessera runs on (through `mpirun`), `workers` threads each.
    var mpiRanks: Int? = nil
    /// The port of the live dashboard each Tessera child serves while it runs (nil: none).
    var dashboardPort: Int? = nil
}

/// A Python peer that runs the same workload: `python3 SCRIPT --workers N --runs R [args…]`.
///
/// The script prints, as its last line, JSON `{"seconds": median, "result": "…"}` after one
/// warm-up; the harness measures its peak memory from outside.
struct Peer {
    let name: String
    let script: String
    var arguments: [String] = []
}

/// One standard workload of ../shared/BENCHMARKS.md.
struct Workload: Sendable {
    /// The name given on the command line (`delayed`, `array-sum`, …).
    let name: String
    /// One line for `--help` and the table.
    let summary: String
    /// Makes inputs outside the timed region (for example `generate-flights` files). May be empty.
    var prepare: @Sendable (BenchContext) throws -> Void = { _ in }
    /// Runs the workload once and returns its result as text, the same text the peers print
    /// (numbers are compared with `tolerance`, relative).
    let run: @Sendable (BenchContext) throws -> String
    /// The peers `--compare` runs.
    var peers: [Peer] = []
    /// Whether the workload reads CSV: its process gets `AllocatorTuning.tuneForParsing()`.
    var parsesCSV = false
    /// Relative tolerance when comparing numeric results with the peers.
    var tolerance: Double = 1e-9
    /// Tessera's task count, for workloads whose peers may run a smaller graph of the same shape
    /// (then the ratio is per task, and each side's result is checked against `expectedResult`).
    var tasks: Int? = nil
    /// The result of this workload's graph at a given task count (see `tasks`).
    var expectedResult: (@Sendable (_ tasks: Int) -> String)? = nil
    /// Extra arguments of the dask.distributed peer (`--mpi N --compare`), such as a smaller size
    /// where the full one would take far too long there.
    var distributedPeerArguments: [String] = []
}
