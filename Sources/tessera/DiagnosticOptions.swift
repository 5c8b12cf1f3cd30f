import ArgumentParser
import Foundation
import Tessera
import TesseraDashboard
import TesseraDashboardMPI
import TesseraMPI

/// The diagnostics options every computing `tessera` command accepts:
/// `--progress/--no-progress`, `--profile DIR`, `--graph FILE` and `--dashboard [PORT]`
/// (with `--dashboard-host HOST`).
///
/// ```swift
/// struct GroupBy: ParsableCommand {
///     @OptionGroup var diagnostics: DiagnosticOptions
///     func run() throws {
///         let result = try diagnostics.run({ try means.compute() }, graph: { means.graph })
///     }
/// }
/// ```
struct DiagnosticOptions: ParsableArguments {
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(
        "Show a progress bar on standard error.",
        discussion: "By default the bar shows when standard error is a terminal, for work longer than half a second; --progress shows it for all work, terminal or not; --no-progress never."))
    var progress: Bool?

    @Option(name: .customLong("profile"), help: ArgumentHelp(
        "Profile the computation into <dir>: trace.json (open in https://ui.perfetto.dev), tasks.svg (task stream), resources.csv and resources.svg (CPU and memory every 100 ms).",
        valueName: "dir"))
    var profileDirectory: String?

    @Option(name: .customLong("graph"), help: ArgumentHelp(
        "Write the task graph to <file>: .dot text, or .svg/.png drawn by Graphviz's dot (must be on PATH). Graphs over 500 tasks are drawn one node per operation.",
        valueName: "file"))
    var graphFile: String?

    @Option(name: .customLong("dashboard"), help: ArgumentHelp(
        "Serve a live dashboard while the command computes, at http://127.0.0.1:<port>/ (printed at start): task stream per worker, progress per kind of task, memory and CPU. <port> is \(DiagnosticOptions.defaultDashboardPort) when omitted; 0 picks a free one.",
        valueName: "port"))
    var dashboardPort: Int?

    @Option(name: .customLong("dashboard-host"), help: ArgumentHelp(
        "The address the dashboard listens on (default 127.0.0.1, this machine only). The page has no authentication: bind to another address only on a trusted network.",
        valueName: "host"))
    var dashboardHost: String?

    /// The port `--dashboard` without a number means (dask's dashboard port).
    static let defaultDashboardPort = 8787

    /// Seconds of work after which the progress bar appears when it wasn't asked for.
    static let progressMinimum = 0.5

    func validate() throws {
        if let dashboardPort, !(0...65535).contains(dashboardPort) {
            throw ValidationError("--dashboard \(dashboardPort): a port is 0...65535 (0 picks a free one)")
        }
        if dashboardHost != nil && dashboardPort == nil {
            throw ValidationError("--dashboard-host needs --dashboard")
        }
        if let graphFile {
            let ext = URL(fileURLWithPath: graphFile).pathExtension.lowercased()
            guard ["dot", "gv", "svg", "png", "pdf"].contains(ext) else {
                throw ValidationError("--graph \(graphFile): the file must end in .dot, .svg or .png")
            }
            if ext != "dot" && ext != "gv" && Graphviz.dotExecutable() == nil {
                throw ValidationError("--graph \(graphFile): drawing .\(ext) needs Graphviz's `dot` on PATH (apt-get install graphviz); or write a .dot file")
            }
        }
    }

    /// The observers the options ask for, and what to do with them afterwards. Under MPI, rank
    /// 0 draws the bar (the relay adds the other ranks' tasks to it) and keeps the resource
    /// samples; every rank profiles its own tasks.
    private func makeObservers() -> (observers: [ComputeObserver], profiler: Profiler?, resources: ResourceProfiler?) {
        var observers: [ComputeObserver] = []
        let world = MPIMode.world
        let rank = world?.rank ?? 0
        if progress != false {
            // Asked for explicitly, the bar shows however short the work (as dask's ProgressBar).
            let bar = rank == 0 ? ProgressBar(minimum: progress == true ? 0 : Self.progressMinimum, force: progress == true) : nil
            if let bar { observers.append(bar) }
            if let world, world.size > 1 { observers.append(MPIProgressRelay(bar: bar, world: world)) }
        }
        var profiler: Profiler?
        var resources: ResourceProfiler?
        if profileDirectory != nil {
            profiler = Profiler()
            observers.append(profiler!)
            if rank == 0 {
                resources = ResourceProfiler()
                observers.append(resources!)
            }
        }
        return (observers, profiler, resources)
    }

    /// Writes the graph (before computing, so a failing computation still leaves its picture).
    private func writeGraph(_ graph: () -> TaskGraph?) throws {
        guard let graphFile, MPIMode.writesOutput else { return }
        guard let g = graph() else {
            FileHandle.standardError.write(Data("note: this command computes no task graph; \(graphFile) not written\n".utf8))
            return
        }
        try g.visualize(to: URL(fileURLWithPath: graphFile))
    }

    private func writeProfile(_ profiler: Profiler?, _ resources: ResourceProfiler?) throws {
        guard let profileDirectory, let profiler else { return }
        if let world = MPIMode.world {
            // Every rank's records into rank 0's profiler, which alone writes.
            let complete = profiler.gatherOverMPI(world: world)
            guard world.rank == 0 else { return }
            if !complete { FileHandle.standardError.write(Data("note: the profile lacks ranks whose records did not arrive\n".utf8)) }
        }
        try ProfileReport.write(to: URL(fileURLWithPath: profileDirectory), tasks: profiler, resources: resources)
        FileHandle.standardError.write(Data("profile written to \(profileDirectory)/ (trace.json opens in https://ui.perfetto.dev)\n".utf8))
    }

    /// Starts the dashboard `--dashboard` asks for and prints its address on standard error.
    /// Under MPI, rank 0 serves it and the other ranks forward their tasks to it.
    /// - Returns: what stops it, or nil without `--dashboard`.
    private func startDashboard() throws -> (() -> Void)? {
        guard let dashboardPort else { return nil }
        if let world = MPIMode.world {
            let board = try MPIDashboard.start(host: dashboardHost ?? "127.0.0.1", port: dashboardPort, world: world)
            if let url = board.dashboard?.url { FileHandle.standardError.write(Data("dashboard: \(url)\n".utf8)) }
            return { board.stop() }
        }
        let dashboard = try Dashboard.start(host: dashboardHost ?? "127.0.0.1", port: dashboardPort)
        FileHandle.standardError.write(Data("dashboard: \(dashboard.url)\n".utf8))
        return { dashboard.stop() }
    }

    /// Makes `--dashboard` without a port number mean the default port, so that
    /// `tessera demo --dashboard` and `--dashboard 9000` both parse (argument-parser has no
    /// option with an optional value): a `--dashboard` not followed by a number becomes
    /// `--dashboard=8787`. Arguments after `--` are left alone.
    static func normalizingDashboardPort(_ arguments: [String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(arguments.count)
        for (i, a) in arguments.enumerated() {
            if a == "--" {
                out += arguments[i...]
                break
            }
            let next = i + 1 < arguments.count ? arguments[i + 1] : nil
            if a == "--dashboard" && next.flatMap({ Int($0) }) == nil {
                out.append("--dashboard=\(defaultDashboardPort)")
            } else {
                out.append(a)
            }
        }
        return out
    }

    /// Runs `body` (the command's computation) with the progress bar, profilers and dashboard the
    /// options ask for, writing the graph first and the profile afterwards (also when `body` fails).
    ///
    /// - Parameters:
    ///   - body: the computation.
    ///   - graph: the graph to draw for `--graph`; only called when that option is given.
    /// - Throws: what `body` throws; `GraphvizError` or file-system errors from the outputs.
    func run<T>(_ body: () throws -> T, graph: () -> TaskGraph? = { nil }) throws -> T {
        try writeGraph(graph)
        let stopDashboard = try startDashboard()
        defer { stopDashboard?() }
        let (observers, profiler, resources) = makeObservers()
        for o in observers { ComputeObservers.add(o) }
        let result: T
        do {
            defer { for o in observers { ComputeObservers.remove(o) } }
            result = try body()
        } catch {
            try? writeProfile(profiler, resources)
            throw error
        }
        try writeProfile(profiler, resources)
        return result
    }

    /// The asynchronous form of `run(_:graph:)`.
    func run<T>(_ body: () async throws -> T, graph: () -> TaskGraph? = { nil }) async throws -> T {
        try writeGraph(graph)
        let stopDashboard = try startDashboard()
        defer { stopDashboard?() }
        let (observers, profiler, resources) = makeObservers()
        for o in observers { ComputeObservers.add(o) }
        let result: T
        do {
            defer { for o in observers { ComputeObservers.remove(o) } }
            result = try await body()
        } catch {
            try? writeProfile(profiler, resources)
            throw error
        }
        try writeProfile(profiler, resources)
        return result
    }
}
