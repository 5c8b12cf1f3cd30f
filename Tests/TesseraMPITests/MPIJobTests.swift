import Foundation
import Testing

/// Launches real `mpirun` jobs of `tessera-mpi-check` (Tests/MPICheck), bytes going over TCP on
/// the loopback interface as they would between machines, and reads what every rank printed.
/// Skipped under a sanitizer (`make tsan`): Open MPI's own threads are not instrumented.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["TESSERA_SANITIZER"] == nil))
struct MPIJobTests {
    struct Job {
        let status: Int32
        let output: String
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

    /// The check program, built beside this test bundle.
    static func checkProgram() throws -> String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for dir in [here, here.deletingLastPathComponent(), here.deletingLastPathComponent().deletingLastPathComponent()] {
            let p = dir.appendingPathComponent("tessera-mpi-check").path
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        throw LaunchError.missing("tessera-mpi-check (build it with `swift build`)")
    }

    static func mpirun() throws -> String {
        for p in ["/usr/bin/mpirun", "/usr/local/bin/mpirun"] where FileManager.default.isExecutableFile(atPath: p) { return p }
        throw LaunchError.missing("mpirun")
    }

    /// Runs `np` ranks of the check program with `scenarios`, under a time limit (Open MPI's abort
    /// path can hang), from the package root (the frame scenarios read `data/`).
    static func run(np: Int, _ scenarios: [String], environment: [String: String] = [:], limit: Int = 150) throws -> Job {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var args = [String(limit), try mpirun(), "--oversubscribe", "-np", String(np),
                    "--mca", "pml", "ob1", "--mca", "btl", "tcp,self", "--mca", "btl_tcp_if_include", "lo"]
        if getuid() == 0 { args.insert("--allow-run-as-root", at: 2) }
        for (k, v) in environment { args += ["-x", "\(k)=\(v)"] }
        args += [try checkProgram()] + scenarios
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments = args
        p.currentDirectoryURL = root
        var env = ProcessInfo.processInfo.environment
        env["OMPI_MCA_rmaps_base_oversubscribe"] = "1"
        // A test runner's own sanitizer settings must not leak into the ranks.
        env["TSAN_OPTIONS"] = nil
        p.environment = env
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Job(status: p.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    static let differentialScenarios = ["delayed-tree", "delayed-strings", "array-elementwise-sum", "array-mean-axis",
                                        "array-matmul", "array-rechunk-int", "frame-filter", "frame-merge", "frame-to-array",
                                        "array-tsqr-r", "frame-groupby", "frame-groupby-splitout", "frame-sort"]

    @Test(arguments: [1, 2, 3])
    func sameResultsAsThreadsOnEveryRank(np: Int) throws {
        // At 3 ranks, values are cut into messages of at most 4 KiB, so reassembly is exercised.
        let job = try Self.run(np: np, ["differential"], environment: np == 3 ? ["TESSERA_MPI_MAX_MESSAGE": "4096"] : [:])
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

    @Test func aKilledRankEndsTheJob() throws {
        let start = Date()
        let job = try Self.run(np: 2, ["killed"], limit: 60)
        #expect(job.status != 0)
        #expect(job.status != 124, "the job hung until the time limit: \(job.output)")
        #expect(!job.output.contains("FAIL survived"))
        #expect(Date().timeIntervalSince(start) < 30)
    }
}
