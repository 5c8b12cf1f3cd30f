import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One engine's measurement of one workload.
struct Measurement: Codable {
    var workload: String
    var engine: String
    var seconds: Double?
    var peak_rss_bytes: Int?
    var result: String?
    var error: String?
    /// Under MPI: per rank, peak memory and bytes sent in one run (a line for the table).
    var ranks: String?
    /// The graph's task count, when the workload states it (see `Workload.tasks`).
    var tasks: Int?
}

/// Runs measurements in child processes and reads their peak memory.
enum Harness {
    static func runTessera(_ workload: Workload, context: BenchContext, runs: Int, warmup: Bool) throws -> Measurement {
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let args = [exe, "--child", workload.name, "--runs", String(runs), "--workers", String(context.workers),
                    "--data-directory", context.dataDirectory.path] + (warmup ? [] : ["--no-warmup"])
            + (context.dashboardPort.map { ["--dashboard", String($0)] } ?? [])
        guard let ranks = context.mpiRanks else {
            var m = measure(args, workload: workload.name, engine: "tessera")
            m.tasks = workload.tasks
            return m
        }
        var m = measure(MPILaunch.arguments(ranks: ranks) + args + ["--mpi", String(ranks)], workload: workload.name,
                        engine: "tessera mpi \(ranks)")
        m.tasks = workload.tasks
        return m
    }

    static func runPeer(_ peer: Peer, workload: Workload, context: BenchContext, runs: Int) -> Measurement {
        let args = [PeerEnvironment.python, peer.script, "--workers", String(context.workers), "--runs", String(runs),
                    "--data-directory", context.dataDirectory.path] + peer.arguments
        return measure(args, workload: workload.name, engine: peer.name)
    }

    /// Spawns `args`, waits, and parses the last stdout line as `{"seconds": …, "result": …}`.
    static func measure(_ args: [String], workload: String, engine: String) -> Measurement {
        var m = Measurement(workload: workload, engine: engine)
        let (status, output, maxRSS) = spawn(args)
        m.peak_rss_bytes = maxRSS
        let last = output.split(separator: "\n").last.map(String.init) ?? ""
        if status == 0, let data = last.data(using: .utf8),
           let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            m.seconds = obj["seconds"] as? Double
            m.result = obj["result"].map { "\($0)" }
            // The child's own VmHWM; wait4's figure starts from the parent's high-water mark.
            if let own = obj["peak_rss_bytes"] as? Int { m.peak_rss_bytes = own }
            m.ranks = obj["ranks"] as? String
            m.tasks = obj["tasks"] as? Int
        } else {
            m.error = "exit \(status): " + String(output.suffix(400))
        }
        return m
    }

    /// posix_spawn with stdout to a temporary file, then wait4 for the exit status and max RSS.
    static func spawn(_ args: [String]) -> (Int32, String, Int) {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tessera-bench-\(getpid())-\(UUID().uuidString).out")
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_addopen(&actions, 1, out.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var cargs: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        defer { for p in cargs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, args[0], &actions, nil, &cargs, environ)
        guard rc == 0 else { return (127, "cannot start \(args[0]): \(String(cString: strerror(rc)))", 0) }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: out)
        let exit: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exit, text, Int(usage.ru_maxrss) * 1024)
    }
}

/// The child side: warm-up, timed runs, one JSON line.
enum ChildRun {
    static func run(workload: Workload, context: BenchContext, runs: Int, warmup: Bool) throws {
        var result = warmup ? try workload.run(context) : ""
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            result = try workload.run(context)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        let median = times[times.count / 2]
        let obj: [String: Any] = ["seconds": median, "result": result, "peak_rss_bytes": peakResidentBytes() as Any]
        let data = try JSONSerialization.data(withJSONObject: obj)
        print(String(decoding: data, as: UTF8.self))
    }
}

/// This process's peak resident memory, VmHWM from /proc/self/status.
///
/// Not `getrusage`/`wait4`: Linux seeds a spawned child's `ru_maxrss` with the parent's high-water
/// mark at exec (posix_spawn shares the parent's memory until then), so a parent that generated
/// 300 MB of input would make every child look 300 MB large.
func peakResidentBytes() -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
        let parts = line.split(separator: " ", omittingEmptySubsequences: true)
        if parts.count >= 2, let kb = Int(parts[1]) { return kb * 1024 }
    }
    return nil
}

/// Where the Python peers run: the venv `--setup-peers` makes, else the system python3.
enum PeerEnvironment {
    static let venv = ".build/peers"

    static var python: String {
        FileManager.default.isExecutableFile(atPath: venv + "/bin/python") ? venv + "/bin/python" : "python3"
    }

    static func setUp() throws {
        func sh(_ args: [String]) throws {
            let (status, out, _) = Harness.spawn(args)
            guard status == 0 else { throw BenchError.setup("\(args.joined(separator: " ")) failed:\n\(out)") }
        }
        if !FileManager.default.isExecutableFile(atPath: venv + "/bin/python") {
            try sh(["python3", "-m", "venv", venv])
        }
        try sh([venv + "/bin/pip", "install", "--quiet", "dask[array,dataframe]", "pandas", "polars", "numpy", "pyarrow", "duckdb", "zarr", "h5py"])
        print("peers ready in \(venv)")
    }
}

enum BenchError: Error, CustomStringConvertible {
    case setup(String)
    var description: String {
        switch self { case .setup(let s): return s }
    }
}
