import Foundation
import Testing

/// Launches real `mpirun` jobs of `tessera-mpi-check` (Tests/MPICheck), bytes going over TCP on
/// the loopback interface as they would between machines, and reads what every rank printed.
/// Skipped under a sanitizer (`make tsan`): Open MPI's own threads are not instrumented.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TESSERA_SANITIZER"] == nil))
struct MPIJobTests {
    struct Job {
        let status: Int32
        /// Standard output, and standard error too unless asked apart (`separateErrors`).
        let output: String
        /// Standard error when asked apart; empty otherwise.
        var errors: String = ""
        /// Lines `rank R ok NAME`, as (rank, name).
        var passed: Set<String> { Set(output.split(separator: "\n").filter { $0.contains(" ok ") }.map(String.init)) }
    }

    enum LaunchError: Error, CustomStringConvertible {
        case missing(String)
        var description: String {
            switch self {
            case .missing(let what):
                return "\(what) not found: install Open MPI (Debian packages openmpi-bin libopenmpi-dev, `make deps`)"
            }
        }
    }

    /// A program of this package, built beside this test bundle.
    static func program(_ name: String) throws -> String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [here, here.deletingLastPathComponent(), here.deletingLastPathComponent().deletingLastPathComponent()] {
            let p = dir.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        throw LaunchError.missing("\(name) (build it with `swift build`)")
    }

    /// The check program, built beside this test bundle.
    static func checkProgram() throws -> String { try program("tessera-mpi-check") }

    static func mpirun() throws -> String {
        for p in ["/usr/bin/mpirun", "/usr/local/bin/mpirun"] where FileManager.default.isExecutableFile(atPath: p) { return p }
        throw LaunchError.missing("mpirun")
    }

    /// The package root (the frame scenarios and the CLI tests read `data/`).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Where a job's ranks run and which interfaces carry their bytes.
    struct Hosts {
        /// A command that enters where `mpirun` runs and then executes it (its arguments follow).
        var prefix: [String] = []
        /// `mpirun` options naming the hosts, their launcher and the interfaces to use.
        var options: [String]
        /// Every rank on this machine, bytes over TCP on the loopback interface.
        static let loopback = Hosts(options: ["--mca", "btl_tcp_if_include", "lo"])
    }

    /// Runs `np` ranks of the check program with `scenarios`, under a time limit (Open MPI's abort
    /// path can hang), from the package root (the frame scenarios read `data/`).
    static func run(np: Int, _ scenarios: [String], environment: [String: String] = [:], limit: Int = 150,
                    hosts: Hosts = .loopback) throws -> Job {
        try launch(np: np, [try checkProgram()] + scenarios, environment: environment, limit: limit, hosts: hosts)
    }

    /// Runs `command` (a program and its arguments) on `np` ranks with bytes over TCP (on the
    /// loopback interface unless `hosts` says otherwise), under `timeout`; with `np` nil, runs it
    /// as one plain process.
    static func launch(np: Int?, _ command: [String], environment: [String: String] = [:], limit: Int = 150,
                       separateErrors: Bool = false, hosts: Hosts = .loopback) throws -> Job {
        var args = [String(limit)]
        if let np {
            args += hosts.prefix + [try mpirun()] + (getuid() == 0 ? ["--allow-run-as-root"] : [])
            args += ["--oversubscribe", "-np", String(np), "--mca", "pml", "ob1", "--mca", "btl", "tcp,self"] + hosts.options
            for (k, v) in environment { args += ["-x", "\(k)=\(v)"] }
        }
        args += command
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = args
        p.currentDirectoryURL = root
        var env = ProcessInfo.processInfo.environment
        env["OMPI_MCA_rmaps_base_oversubscribe"] = "1"
        // A test runner's own sanitizer settings must not leak into the ranks.
        env["TSAN_OPTIONS"] = nil
        if np == nil { for (k, v) in environment { env[k] = v } }
        p.environment = env
        let pipe = Pipe()
        let errorPipe = separateErrors ? Pipe() : pipe
        p.standardOutput = pipe
        p.standardError = errorPipe
        try p.run()
        // Standard error drains on its own thread, so neither pipe can fill and stall the job.
        let errorData = LockedData()
        let drained = DispatchSemaphore(value: 0)
        if separateErrors {
            Thread.detachNewThread {
                errorData.set(errorPipe.fileHandleForReading.readDataToEndOfFile())
                drained.signal()
            }
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        if separateErrors { drained.wait() }
        p.waitUntilExit()
        return Job(status: p.terminationStatus, output: String(decoding: data, as: UTF8.self),
                   errors: String(decoding: errorData.get(), as: UTF8.self))
    }

    final class LockedData: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
        func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
    }

    static let differentialScenarios = ["delayed-tree", "delayed-strings", "array-elementwise-sum", "array-mean-axis",
                                        "array-matmul", "array-rechunk-int", "frame-filter", "frame-merge", "frame-merge-hash", "frame-to-array",
                                        "array-tsqr-r", "frame-groupby", "frame-groupby-splitout", "frame-sort", "array-big-blocks",
                                        "array-big-blocks-again"]

    @Test(arguments: [1, 2, 3, 4])
    func sameResultsAsThreadsOnEveryRank(np: Int) throws {
        // At 3 ranks, values are cut into messages of at most 4 KiB, so reassembly is exercised;
        // at 2 and 3, every array buffer of 64 bytes or more travels as a tail (at 3, in pieces).
        let environment = np == 3 ? ["TESSERA_MPI_MAX_MESSAGE": "4096", "TESSERA_MPI_MIN_TAIL": "64"]
            : np == 2 ? ["TESSERA_MPI_MIN_TAIL": "64"] : [:]
        let job = try Self.run(np: np, ["differential"], environment: environment)
        #expect(job.status == 0, "\(job.output)")
        for r in 0..<np {
            for s in Self.differentialScenarios { #expect(job.passed.contains("rank \(r) ok \(s)"), "rank \(r) \(s): \(job.output)") }
        }
    }

    @Test(arguments: [2, 3])
    func failuresReachEveryRankAndTheNextComputeRuns(np: Int) throws {
        let job = try Self.run(np: np, ["failure", "mismatch", "unencodable"])
        #expect(job.status == 0, "\(job.output)")
        for r in 0..<np {
            for s in ["failure", "mismatch", "unencodable"] { #expect(job.passed.contains("rank \(r) ok \(s)"), "\(job.output)") }
        }
        // The failure names the key, the rank and the error, and the type that could not cross.
        #expect(job.output.contains("failed on rank") && job.output.contains("thirteen"))
        #expect(job.output.contains("different graphs"))
        #expect(job.output.contains("Opaque") && job.output.contains("cannot cross processes"))
    }

    /// Values that reach a rank before its share of the compute is ready wait with their tails
    /// on the wire and are decoded in order; a compute failing meanwhile leaves the wire in step.
    @Test(arguments: [2, 3])
    func valuesArrivingBeforeARankIsReadyAreDecodedInOrder(np: Int) throws {
        let job = try Self.run(np: np, ["latecomer"])
        #expect(job.status == 0, "\(job.output)")
        for r in 0..<np {
            for s in ["latecomer", "latecomer-failure", "latecomer-after"] { #expect(job.passed.contains("rank \(r) ok \(s)"), "\(job.output)") }
        }
    }

    /// Rank 0 serves the dashboard, rank 1 forwards to it: the page's final state (dumped by rank
    /// 0) holds lanes of both ranks, and per rank as many `inc` and `add` tasks in its task
    /// stream as that rank's tasks counted themselves running; progress is complete.
    @Test func theDashboardOnRankZeroShowsEveryRanksTasks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-dashboard-\(getpid()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let job = try Self.run(np: 2, ["dashboard"], environment: ["TESSERA_DASHBOARD_STATE": path])
        #expect(job.status == 0, "\(job.output)")
        for r in 0..<2 { #expect(job.passed.contains("rank \(r) ok dashboard"), "\(job.output)") }
        // What each rank's tasks counted: "rank R dashboard-ran add=M,inc=N".
        var ran: [Int: [String: Int]] = [:]
        for line in job.output.split(separator: "\n") where line.contains(" dashboard-ran ") {
            let parts = line.split(separator: " ")
            guard parts.count == 4, let r = Int(parts[1]) else { continue }
            for pair in parts[3].split(separator: ",") {
                let kv = pair.split(separator: "=")
                if kv.count == 2 { ran[r, default: [:]][String(kv[0])] = Int(kv[1]) }
            }
        }
        #expect(ran.keys.sorted() == [0, 1], "\(job.output)")
        #expect(ran.values.reduce(0) { $0 + ($1["inc"] ?? 0) } == 600)
        #expect(ran.values.reduce(0) { $0 + ($1["add"] ?? 0) } == 599)

        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let state = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let kinds = try #require(state["kinds"] as? [String])
        let lanes = try #require(state["lanes"] as? [[Int]])
        #expect(Set(lanes.map { $0[0] }) == [0, 1], "lanes \(lanes)")
        #expect(state["finished"] as? Bool == true)
        // Per rank and task name (`inc` also inside fused kinds such as `value+inc`).
        var streamed: [Int: [String: Int]] = [:]
        for s in try #require(state["segments"] as? [[Double]]) {
            let kind = kinds[Int(s[2])]
            for name in ["inc", "add"] where kind.split(separator: "+").contains(Substring(name)) {
                streamed[Int(s[0]), default: [:]][name, default: 0] += Int(s[5])
            }
        }
        #expect(streamed == ran, "task stream \(streamed) against what ran \(ran)")
        let progress = try #require(state["progress"] as? [[String: Int]])
        #expect(!progress.isEmpty && progress.allSatisfy { $0["done"] == $0["total"] }, "\(progress)")
        // Every task of the plan counted once, on the rank that ran it: the stream's total.
        let streamedTasks = (state["segments"] as? [[Double]] ?? []).reduce(0) { $0 + Int($1[5]) }
        #expect(progress.reduce(0) { $0 + ($1["done"] ?? 0) } == streamedTasks)
        #expect(streamedTasks >= 1_199)
        let computes = try #require(state["computes"] as? [[String: Any]])
        #expect(Set(computes.compactMap { $0["rank"] as? Int }) == [0, 1])
        let resources = try #require(state["resources"] as? [[Double]])
        #expect(Set(resources.map { Int($0[0]) }) == [0, 1])
    }

    @Test(arguments: [2, 3])
    func rankZerosProgressBarCountsEveryRanksTasksResultsCanStayOnRankZeroAndEventsCarryTheRank(np: Int) throws {
        let job = try Self.run(np: np, ["progress", "rankzero", "events"])
        #expect(job.status == 0, "\(job.output)")
        for r in 0..<np {
            // events: every task event on rank r carries r (and its profiler and dashboard learn it).
            for s in ["progress", "rankzero", "events"] { #expect(job.passed.contains("rank \(r) ok \(s)"), "\(job.output)") }
        }
    }

    @Test func aKilledRankEndsTheJob() throws {
        let start = Date()
        let job = try Self.run(np: 2, ["killed"], limit: 60)
        #expect(job.status != 0)
        #expect(job.status != 124, "the job hung until the time limit: \(job.output)")
        #expect(!job.output.contains("FAIL survived"))
        #expect(Date().timeIntervalSince(start) < 30)
    }
}
