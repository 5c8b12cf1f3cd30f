import ArgumentParser
import Foundation
import Tessera
import TesseraFrame

/// `tessera demo`: the Dask tutorial's exercise — mean departure delay per airport over a directory
/// of yearly flights files — computed several ways, with timings side by side.
struct Demo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Mean departure delay per airport over data/, computed several ways, with timings.")

    @Option(help: "Directory of flights CSV files.")
    var data: String = "data"

    @OptionGroup var schedulerOptions: SchedulerOptions
    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
        let files = try FlightFiles.list(data)
        let scheduler = schedulerOptions.resolved
        print("Mean departure delay per origin airport, \(files.count) files in \(data)/\n")

        // 1. The plain sequential loop.
        let t0 = Date()
        let sequential = try FlightFiles.sequentialMeans(files)
        let tSequential = Date().timeIntervalSince(t0)

        // 2. The same work as a Delayed graph: read and sum per file in parallel, then combine.
        let t1 = Date()
        let viaDelayed = try FlightFiles.delayedMeans(files).compute(scheduler: scheduler)
        let tDelayed = Date().timeIntervalSince(t1)

        // 3. ChunkedFrame: readCSV over the directory, groupby, mean.
        let t2 = Date()
        let frame = try readCSV(data)  // the plan reads only Origin and DepDelay
        let means = try frame.groupby("Origin").agg(["DepDelay": .mean])
        let table = try diagnostics.run({ try means.compute(scheduler: scheduler) }, graph: { means.graph })
        let tFrame = Date().timeIntervalSince(t2)

        try FlightFiles.check(viaDelayed, against: sequential, way: "Delayed graph")
        try FlightFiles.check(FlightFiles.dictionary(table), against: sequential, way: "ChunkedFrame groupby")
        print(table)
        print("")
        print("way                   seconds   speed-up")
        for (way, t) in [("sequential loop", tSequential), ("Delayed graph", tDelayed), ("ChunkedFrame groupby", tFrame)] {
            print(way.padding(toLength: 22, withPad: " ", startingAt: 0)
                  + String(format: "%-10.4f%.1f×", t, tSequential / max(t, 1e-9)))
        }
        print("\n(\(scheduler) scheduler; \(means.graph.plan().count) tasks in the groupby graph)")
    }
}

/// The demo's hand-written ways: the plain loop a Python user writes first, and the same work as
/// a Delayed graph (read, per-file sums and counts, combined).
enum FlightFiles {
    /// The `*.csv` files of `directory`, sorted.
    static func list(_ directory: String) throws -> [URL] {
        let url = URL(fileURLWithPath: directory)
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path)
            .filter { $0.hasSuffix(".csv") }.sorted()
        guard !names.isEmpty else { throw ValidationError("no .csv files in \(directory)") }
        return names.map { url.appendingPathComponent($0) }
    }

    /// A running sum and count: `Codable`, so per-file partials cross processes under MPI.
    struct DelaySum: Codable, Sendable {
        var sum = 0.0
        var count = 0
    }

    /// Per-origin (sum, count) of DepDelay over one file, skipping empty delays.
    static func sums(_ file: URL) throws -> [String: DelaySum] {
        let text = try String(contentsOf: file, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard let header = lines.popFirst()?.split(separator: ",", omittingEmptySubsequences: false),
              let delay = header.firstIndex(of: "DepDelay"), let origin = header.firstIndex(of: "Origin") else {
            throw ValidationError("\(file.path):1: missing DepDelay or Origin column")
        }
        var out: [String: DelaySum] = [:]
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == header.count else { continue }
            guard let d = Double(fields[delay]) else { continue }
            out[String(fields[origin]), default: DelaySum()].sum += d
            out[String(fields[origin]), default: DelaySum()].count += 1
        }
        return out
    }

    static func combine(_ parts: [[String: DelaySum]]) -> [String: Double] {
        var total: [String: DelaySum] = [:]
        for part in parts {
            for (k, v) in part { total[k, default: DelaySum()].sum += v.sum; total[k, default: DelaySum()].count += v.count }
        }
        return total.mapValues { $0.sum / Double($0.count) }
    }

    static func sequentialMeans(_ files: [URL]) throws -> [String: Double] {
        combine(try files.map(sums))
    }

    /// The `Origin → DepDelay_mean` pairs of the groupby's result table.
    static func dictionary(_ table: Table) throws -> [String: Double] {
        let origins = try table.column("Origin"), means = try table.column("DepDelay_mean")
        var out: [String: Double] = [:]
        for i in 0..<table.rowCount {
            if case .string(let o) = origins[i], case .float64(let m) = means[i] { out[o] = m }
        }
        return out
    }

    /// Throws unless `result` has the loop's airports and means (to 1e-12 relative: the ways add
    /// in different orders).
    static func check(_ result: [String: Double], against expected: [String: Double], way: String) throws {
        let agree = result.count == expected.count && expected.allSatisfy { k, v in
            result[k].map { abs($0 - v) <= 1e-12 * max(abs(v), 1) } ?? false
        }
        guard agree else { throw ValidationError("the \(way) result \(result) differs from the sequential loop's \(expected)") }
    }

    static func delayedMeans(_ files: [URL]) -> Delayed<[String: Double]> {
        let perFile = delayed(name: "file-sums") { (url: URL) in try sums(url) }
        let parts = files.map { perFile(Delayed($0)) }
        return delayed(name: "combine", parts) { combine($0) }
    }
}
