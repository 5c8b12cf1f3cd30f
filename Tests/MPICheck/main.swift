// The SPMD program Tests/TesseraMPITests launches under `mpirun -np N`: every rank builds the
// same graphs, computes each with `.threads(2)` on its own and with `.mpi` over all ranks, and
// checks the two give the same bytes (`BlockCodec`, so NaNs and text compare exactly). Each rank
// prints one `rank R ok NAME` line per scenario passed; any other outcome prints `rank R FAIL`.
// Usage: tessera-mpi-check [differential[:NAME,…] | failure | mismatch | unencodable | killed | dashboard | progress
//                           | rankzero | events | latecomer | whereami]...
// (`differential:frame-groupby,delayed-tree` runs those differential scenarios only.)
import Foundation
import Tessera
import TesseraArray
import TesseraFrame
import TesseraFrameArray
import TesseraDashboard
import TesseraDashboardMPI
import TesseraMPI

struct CheckFailure: Error, CustomStringConvertible {
    let description: String
}

let world = MPIWorld.shared
let rank = world.rank
let mpi = Scheduler.mpi(workersPerRank: 2)
let threads = Scheduler.threads(2)
/// Whether a scenario failed (the program's exit status).
let failedBox = FailedFlag()

final class FailedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}

/// Writes a line at once (unbuffered), so lines of ranks that are killed are not lost.
nonisolated func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

nonisolated func report(_ name: String, _ outcome: () throws -> Void) {
    do {
        try outcome()
        say("rank \(rank) ok \(name)")
    } catch {
        say("rank \(rank) FAIL \(name): \(error)")
        failedBox.set()
    }
}

/// Computes the same description twice, each time building the graph afresh (as a program does).
func compare(_ name: String, _ build: @escaping () throws -> any Computable) {
    report(name) {
        func bytes(_ s: Scheduler) throws -> [UInt8] {
            let c = try build()
            func run<C: Computable>(_ c: C) throws -> Any { try c.compute(scheduler: s) }
            return try BlockCodec.encode(run(c))
        }
        let expected = try bytes(threads)
        let got = try bytes(mpi)
        guard expected == got else { throw CheckFailure(description: "mpi result differs from threads (\(got.count) vs \(expected.count) bytes)") }
    }
}

/// The differential scenarios, or those of them named in `only`.
func differential(only: Set<String>? = nil) throws {
    var unknown = only ?? []
    func same(_ name: String, _ build: @escaping () throws -> any Computable) {
        unknown.remove(name)
        if only?.contains(name) ?? true { compare(name, build) }
    }
    defer { for name in unknown.sorted() { report(name) { throw CheckFailure(description: "no such scenario") } } }
    same("delayed-tree") {
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let add = delayed(name: "add") { (a: Int, b: Int) in a &+ b }
        return pairwiseTree((0..<301).map { inc(Delayed($0 * 7_919 - 1_000)) }, add)
    }
    same("delayed-strings") {
        let words = (0..<40).map { Delayed(["caf\u{e9}", "cafe\u{301}", "02134", ""][$0 % 4] + String($0)) }
        return delayed(name: "join", words) { $0.joined(separator: "|") }
    }
    same("array-elementwise-sum") {
        let x = try ChunkedArray<Double>.random(shape: [600, 70], chunks: .sizes([[100, 250, 50, 200], [30, 40]]), seed: 3)
        return try (x * 2 + 1).sum()
    }
    same("array-mean-axis") {
        let x = try ChunkedArray<Double>.random(shape: [240, 240], chunks: [70, 60], seed: 4)
        return try (x + x.transpose()).mean(axis: 1)
    }
    same("array-matmul") {
        let a = try ChunkedArray<Double>.random(shape: [120, 90], chunks: [40, 30], seed: 5)
        let b = try ChunkedArray<Double>.random(shape: [90, 60], chunks: [30, 20], seed: 6)
        return try a.matmul(b)
    }
    same("array-rechunk-int") {
        let x = try ChunkedArray<Int64>.randomIntegers(low: .min / 4, high: .max / 4, shape: [97, 13], chunks: [10, 13], seed: 8)
        return try x.rechunk(.sizes([[50, 47], [5, 8]]))
    }
    same("frame-filter") {
        let f = try readCSV("data")
        return try f.filter(f["DepDelay"] > 15 && f["Origin"] == "JFK")
    }
    same("frame-merge") {
        let f = try readCSV("data")
        let airports = try ChunkedFrame(tables: [Table(["Origin": Column(string: ["EWR", "JFK"]), "Hub": Column(int64: [1, 2])])])
        return try f.merge(airports, on: ["Origin"])
    }
    same("frame-merge-hash") {
        // Both sides partitioned and no broadcast: two hash shuffles, then the order restore.
        let f = try readCSV("data")
        let airports = try ChunkedFrame(tables: [Table(["Origin": Column(string: ["EWR", "JFK"]), "Hub": Column(int64: [1, 2])]),
                                                 Table(["Origin": Column(string: ["LGA", "caf\u{e9}"]), "Hub": Column(int64: [3, 4])])])
        return try f.merge(airports, on: ["Origin"], how: .left, broadcast: false)
    }
    same("frame-to-array") {
        let f = try readCSV("data")
        return try f.toArray(["DepDelay", "ArrDelay"]).nanmean(axis: 0)
    }
    same("array-tsqr-r") {
        let a = try ChunkedArray<Double>.random(shape: [2_000, 8], chunks: [250, 8], seed: 7)
        return try Linalg.qr(a).r
    }
    same("frame-groupby") {
        let f = try readCSV("data")
        return try f.groupby("Origin").agg(["DepDelay": .mean, "DepDelay": .count, "DepDelay": .median,
                                            "Dest": .nunique, "ArrDelay": .std, "TailNum": .first])
    }
    same("frame-groupby-splitout") {
        let f = try readCSV("data")
        return try f.groupby("Dest").agg(["ArrDelay": .sum], splitOut: 3)
    }
    same("array-big-blocks") {
        // Blocks over the default 1 MiB tail minimum, returned whole: they travel as tails.
        let x = try ChunkedArray<Double>.random(shape: [800, 400], chunks: [400, 400], seed: 9)
        return try x * 2 + 1
    }
    same("array-big-blocks-again") {
        // The same block size as array-big-blocks, other values: received into the buffers that
        // scenario's blocks left in the pool, which must be wholly overwritten.
        let x = try ChunkedArray<Double>.random(shape: [800, 400], chunks: [400, 400], seed: 10)
        return try x * -3 + 0.5
    }
    same("frame-sort") {
        let f = try readCSV("data")
        return try f.sortValues(by: ["Distance", "FlightNum"], ascending: [false, true])
    }
}


/// `add` over neighbours, level by level, down to one value (an odd one out moves up as is).
func pairwiseTree(_ leaves: [Delayed<Int>], _ add: (Delayed<Int>, Delayed<Int>) -> Delayed<Int>) -> Delayed<Int> {
    var level = leaves
    while level.count > 1 {
        var next: [Delayed<Int>] = []
        for i in stride(from: 0, to: level.count - 1, by: 2) { next.append(add(level[i], level[i + 1])) }
        if level.count % 2 == 1 { next.append(level.last!) }
        level = next
    }
    return level[0]
}

/// A rank killed mid-compute: rank 1 sends itself SIGKILL inside a task; mpirun must end the job.
func killed() throws {
    let die = delayed(name: "die") { (x: Int) -> Int in
        if rank == 1 { kill(getpid(), SIGKILL) }
        Thread.sleep(forTimeInterval: 0.2)
        return x
    }
    let total = delayed(name: "total", (0..<8).map { die(Delayed($0)) }) { $0.reduce(0, +) }
    _ = try total.compute(scheduler: mpi)
    say("rank \(rank) FAIL survived")
}

func failure() {
    report("failure") {
        let boom = delayed(name: "boom") { (x: Int) throws -> Int in
            if x == 13 { throw CheckFailure(description: "thirteen") }
            return x
        }
        let parts = (0..<40).map { boom(Delayed($0)) }
        let total = delayed(name: "total", parts) { $0.reduce(0, +) }
        do {
            _ = try total.compute(scheduler: mpi)
            throw CheckFailure(description: "no error")
        } catch let f as TaskFailure {
            let owner = Placement(plan: total.graph.plan(), ranks: world.size)
            guard f.key.name.hasPrefix("boom"), "\(f)".contains("thirteen"), f.rank != nil else {
                throw CheckFailure(description: "unexpected failure \(f)")
            }
            _ = owner
            say("rank \(rank) failure-message \(f)")
        }
        // The next compute runs cleanly: nothing of the failed one is left in flight.
        guard try (Delayed(20) + 22).compute(scheduler: mpi) == 42 else { throw CheckFailure(description: "after") }
    }
}

func mismatch() {
    report("mismatch") {
        // Rank 1 lists one block more, as with a different file listing.
        let blocks = rank == 1 ? 6 : 5
        let leaves = (0..<blocks).map { Delayed($0) }
        let total = delayed(name: "total", leaves) { $0.reduce(0, +) }
        do {
            _ = try total.compute(scheduler: mpi)
            if world.size > 1 { throw CheckFailure(description: "no error") }
        } catch let e as MPIError {
            guard case .plansDiffer = e, "\(e)".contains("different graphs") else { throw e }
            say("rank \(rank) mismatch-message \(e)")
        }
        guard try (Delayed(1) + 1).compute(scheduler: mpi) == 2 else { throw CheckFailure(description: "after") }
    }
}

final class Opaque: @unchecked Sendable { let v = 1 }

func unencodable() {
    report("unencodable") {
        let leaves = (0..<8).map { i in Delayed(i).map(name: "opaque") { _ in Opaque() } }
        let total = delayed(name: "count", leaves) { $0.count }
        do {
            let n = try total.compute(scheduler: mpi)
            if world.size > 1 { throw CheckFailure(description: "no error, got \(n)") }
        } catch let f as TaskFailure {
            guard "\(f)".contains("Opaque"), f.key.name.hasPrefix("opaque") else { throw CheckFailure(description: "\(f)") }
            say("rank \(rank) unencodable-message \(f)")
        }
    }
}

/// Tasks this process ran, counted inside the tasks themselves (the reference the dashboard's
/// per-rank counts are checked against).
final class RanCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func add(_ name: String) { lock.lock(); counts[name, default: 0] += 1; lock.unlock() }
    var line: String { lock.lock(); defer { lock.unlock() }; return counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") }
}

/// The dashboard over MPI: every rank starts it, one tree of `inc` and `add` tasks runs over the
/// ranks, every rank prints `rank R dashboard-ran inc=N,add=M` (what its tasks counted), and rank 0
/// writes the page's final state (what `GET /state` serves) to the file named by
/// `TESSERA_DASHBOARD_STATE`. The test compares the two.
func dashboard() {
    report("dashboard") {
        let ran = RanCounter()
        let inc = delayed(name: "inc") { (x: Int) in ran.add("inc"); usleep(300); return x + 1 }
        let add = delayed(name: "add") { (a: Int, b: Int) in ran.add("add"); usleep(300); return a &+ b }
        let level = [pairwiseTree((0..<600).map { inc(Delayed($0)) }, add)]
        // The README's example (ReadmeTests checks it appears here line for line).
        let board = try MPIDashboard.start(port: 0)       // on every rank; rank 0 serves the page
        let total = try level[0].compute(scheduler: mpi)  // every rank's tasks on one page
        let complete = board.finish()                     // on every rank, before finalize()
        guard total == 600 * 601 / 2 else { throw CheckFailure(description: "sum \(total)") }
        say("rank \(rank) dashboard-ran \(ran.line)")
        if let dashboard = board.dashboard {
            guard complete, board.ranksFinished == Set(1..<world.size) else {
                throw CheckFailure(description: "last batches from \(board.ranksFinished.sorted()) only")
            }
            guard dashboard.port > 0 else { throw CheckFailure(description: "no port") }
            if let path = ProcessInfo.processInfo.environment["TESSERA_DASHBOARD_STATE"] {
                try Data(dashboard.stateJSON.utf8).write(to: URL(fileURLWithPath: path))
            }
        }
        board.stop()
    }
}

/// One progress bar for the job: rank 0's bar, fed by the relay, ends each of two computes at
/// the task count a bar of one process counts for the same graph, though rank 0 ran fewer.
func progress() {
    report("progress") {
        let ran = RanCounter()
        let inc = delayed(name: "inc") { (x: Int) in ran.add("task"); usleep(200); return x + 1 }
        let add = delayed(name: "add") { (a: Int, b: Int) in ran.add("task"); return a &+ b }
        func build() -> Delayed<Int> {
            pairwiseTree((0..<300).map { inc(Delayed($0)) }, add)
        }
        let reference = ProgressBar(force: true, output: { _ in }, drawsAutomatically: false)
        _ = try reference.observe { try build().compute(scheduler: threads) }
        let expected = reference.finishedTasks
        let bar = ProgressBar(force: true, output: { _ in }, drawsAutomatically: false)
        let relay = MPIProgressRelay(bar: rank == 0 ? bar : nil)
        if rank == 0 { ComputeObservers.add(bar) }
        ComputeObservers.add(relay)
        defer {
            ComputeObservers.remove(relay)
            ComputeObservers.remove(bar)
        }
        for round in 0..<2 {
            let before = ran.line
            guard try build().compute(scheduler: mpi) == 300 * 301 / 2 else { throw CheckFailure(description: "sum") }
            guard rank == 0 else { continue }
            // The other ranks' last counts may come just after the result.
            let deadline = Date().addingTimeInterval(10)
            while bar.finishedTasks < expected && Date() < deadline { usleep(1_000) }
            usleep(50_000)
            guard bar.finishedTasks == expected else {
                throw CheckFailure(description: "round \(round): the bar counted \(bar.finishedTasks) of \(expected) tasks")
            }
            if world.size > 1 && ran.line == before { throw CheckFailure(description: "rank 0 ran nothing") }
        }
        if rank == 0 { say("rank 0 progress-counted \(bar.finishedTasks) ran-here \(ran.line)") }
    }
}

/// `computeOnRankZero`: the value on rank 0 (as `.threads` computes it), nil elsewhere; an
/// array's blocks and a frame too, and a compute with every rank's result afterwards.
func rankZero() {
    report("rankzero") {
        let x = try ChunkedArray<Double>.random(shape: [500, 40], chunks: [60, 40], seed: 11)
        let y = (x * 3 - 1)
        let expected = try y.compute(scheduler: threads)
        let got = try y.computeOnRankZero(workersPerRank: 2)
        if rank == 0 {
            guard let got, try BlockCodec.encode(got) == BlockCodec.encode(expected) else { throw CheckFailure(description: "rank 0 value differs") }
        } else if got != nil {
            throw CheckFailure(description: "rank \(rank) got a value")
        }
        let f = try readCSV("data")
        let g = try f.groupby("Origin").agg(["DepDelay": .mean])
        let table = try g.computeOnRankZero()
        if rank == 0 {
            guard let table, try BlockCodec.encode(table) == BlockCodec.encode(g.compute(scheduler: threads)) else {
                throw CheckFailure(description: "rank 0 table differs")
            }
        } else if table != nil {
            throw CheckFailure(description: "rank \(rank) got a table")
        }
        guard try (Delayed(2) * 21).compute(scheduler: mpi) == 42 else { throw CheckFailure(description: "after") }
    }
}

/// Every task event a rank's observers get carries that rank: a plain observer's, a `Profiler()`
/// and a `DashboardRecorder()` made without one learn it; a `.threads` compute is one process
/// (rank 0 in its events) whatever the MPI rank.
func events() {
    report("events") {
        final class RankLog: ComputeObserver, @unchecked Sendable {
            let lock = NSLock()
            var ranks: [Int] = []
            func taskStarted(plan: ExecutionPlan, task: Int, rank: Int, worker: Int) { lock.lock(); ranks.append(rank); lock.unlock() }
            func taskFinished(plan: ExecutionPlan, task: Int, rank: Int, worker: Int) { lock.lock(); ranks.append(rank); lock.unlock() }
        }
        let inc = delayed(name: "inc") { (x: Int) in x + 1 }
        let add = delayed(name: "add") { (a: Int, b: Int) in a &+ b }
        func build() -> Delayed<Int> { pairwiseTree((0..<64).map { inc(Delayed($0)) }, add) }
        let log = RankLog(), profiler = Profiler(), recorder = DashboardRecorder()
        ComputeObservers.add(log)
        ComputeObservers.add(profiler)
        ComputeObservers.add(recorder)
        defer { for o in [log, profiler, recorder] as [ComputeObserver] { ComputeObservers.remove(o) } }
        guard try build().compute(scheduler: mpi) == 64 * 65 / 2 else { throw CheckFailure(description: "sum") }
        let seen = log.lock.withLock { log.ranks }
        guard !seen.isEmpty else { throw CheckFailure(description: "no task ran here") }
        guard Set(seen) == [rank] else { throw CheckFailure(description: "events carried ranks \(Set(seen).sorted())") }
        guard profiler.records.count * 2 == seen.count, profiler.records.allSatisfy({ $0.rank == rank }), profiler.rank == rank else {
            throw CheckFailure(description: "profiler ranks \(Set(profiler.records.map(\.rank)).sorted()), rank \(profiler.rank)")
        }
        guard recorder.drain(sample: false).rank == rank else { throw CheckFailure(description: "dashboard rank \(recorder.rank)") }
        log.lock.withLock { log.ranks = [] }
        _ = try build().compute(scheduler: threads)
        guard Set(log.lock.withLock { log.ranks }) == [0] else { throw CheckFailure(description: "a threads compute's events are not rank 0") }
        say("rank \(rank) events-seen \(seen.count)")
    }
}

/// Rank 0 is slow to get ready (an observer sleeps as its share starts), so the other ranks'
/// large values (tails over the 1 MiB minimum) arrive first and wait, their tails still on the
/// wire; once ready, rank 0 decodes them in arrival order. A compute that fails while values
/// wait that way (the last rank's failure reaches rank 0 before a value that rank finishes
/// afterwards) leaves nothing on the wire: the next compute gives the right blocks.
func latecomer() {
    final class Slow: ComputeObserver, @unchecked Sendable {
        func computeStarted(plan: ExecutionPlan) { usleep(300_000) }
    }
    let slow = Slow()
    if rank == 0 { ComputeObservers.add(slow) }
    defer { if rank == 0 { ComputeObservers.remove(slow) } }
    // Two leaves per rank; with `failing`, the last rank's first leaf throws and its second one
    // returns only after that (both run at once on its two workers), so its value follows the abort.
    let failedHere = FailedFlag()
    func blocks(failing: Bool, seed: Int) -> Delayed<[NDArray<Double>]> {
        let n = 2 * world.size
        let leaves = (0..<n).map { i in
            Delayed(i).map(name: "block") { (i: Int) throws -> NDArray<Double> in
                if failing && i == n - 2 { failedHere.set(); throw CheckFailure(description: "block \(i)") }
                if failing && i == n - 1 {
                    for _ in 0..<100 where !failedHere.isSet { usleep(10_000) }
                    usleep(50_000)
                }
                return NDArray(shape: [150_000 + i]) { b in for k in b.indices { b[k] = Double(seed * 10_000_000 + i * 1_000_000 + k) } }
            }
        }
        return delayed(name: "gather", leaves) { $0 }
    }
    compare("latecomer") { blocks(failing: false, seed: 1) }
    report("latecomer-failure") {
        do {
            _ = try blocks(failing: true, seed: 2).compute(scheduler: mpi)
            if world.size > 1 { throw CheckFailure(description: "no error") }
        } catch is TaskFailure {}
    }
    compare("latecomer-after") { blocks(failing: false, seed: 3) }
}

/// Where this rank runs: its network namespace and host name (the two-hosts test checks the
/// ranks ran in different namespaces).
func whereAmI() {
    report("whereami") {
        let namespace = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/net")
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count - 1)
        say("rank \(rank) netns \(namespace) host \(String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))")
    }
}

let args = CommandLine.arguments.dropFirst()
for scenario in args.isEmpty ? ["differential"] : Array(args) {
    switch scenario {
    case "differential": try differential()
    case let s where s.hasPrefix("differential:"):
        try differential(only: Set(s.dropFirst("differential:".count).split(separator: ",").map(String.init)))
    case "whereami": whereAmI()
    case "killed": try killed()
    case "failure": failure()
    case "mismatch": mismatch()
    case "unencodable": unencodable()
    case "dashboard": dashboard()
    case "progress": progress()
    case "rankzero": rankZero()
    case "events": events()
    case "latecomer": latecomer()
    default: say("rank \(rank) FAIL unknown scenario \(scenario)")
    }
}
world.finalize()
exit(failedBox.isSet ? 1 : 0)
