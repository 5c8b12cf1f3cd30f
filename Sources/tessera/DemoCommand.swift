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
        print("Mean departure delay per origin airport, \(files.count) files in \(data)/\n")

        let t0 = Date()
        let sequential = try FlightFiles.sequentialMeans(files)
        let tSequential = Date().timeIntervalSince(t0)

        let t1 = Date()
        let graph = FlightFiles.delayedMeans(files)
        let viaDelayed = try diagnostics.run({ try graph.compute(scheduler: schedulerOptions.resolved) },
                                             graph: { graph.graph })
        let tDelayed = Date().timeIntervalSince(t1)

        guard viaDelayed == sequential else {
            throw ValidationError("the Delayed result differs from the sequential loop")
        }
        print("Origin  MeanDepDelay")
        for (origin, mean) in sequential.sorted(by: { $0.key < $1.key }) {
            print(origin.padding(toLength: 8, withPad: " ", startingAt: 0) + String(mean))
        }
        print("")
        print("way                 seconds")
        print(String(format: "sequential loop     %.4f", tSequential))
        print(String(format: "Delayed graph       %.4f  (%d tasks, %@, speed-up %.1f×)",
                     tDelayed, graph.graph.plan().count, schedulerOptions.resolved.description, tSequential / max(tDelayed, 1e-9)))
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

    /// Per-origin (sum, count) of DepDelay over one file, skipping empty delays.
    static func sums(_ file: URL) throws -> [String: (Double, Int)] {
        let text = try String(contentsOf: file, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard let header = lines.popFirst()?.split(separator: ",", omittingEmptySubsequences: false),
              let delay = header.firstIndex(of: "DepDelay"), let origin = header.firstIndex(of: "Origin") else {
            throw ValidationError("\(file.path):1: missing DepDelay or Origin column")
        }
        var out: [String: (Double, Int)] = [:]
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == header.count else { continue }
            guard let d = Double(fields[delay]) else { continue }
            out[String(fields[origin]), default: (0, 0)].0 += d
            out[String(fields[origin]), default: (0, 0)].1 += 1
        }
        return out
    }

    static func combine(_ parts: [[String: (Double, Int)]]) -> [String: Double] {
        var total: [String: (Double, Int)] = [:]
        for part in parts {
            for (k, v) in part { total[k, default: (0, 0)].0 += v.0; total[k, default: (0, 0)].1 += v.1 }
        }
        return total.mapValues { $0.0 / Double($0.1) }
    }

    static func sequentialMeans(_ files: [URL]) throws -> [String: Double] {
        combine(try files.map(sums))
    }

    static func delayedMeans(_ files: [URL]) -> Delayed<[String: Double]> {
        let perFile = delayed(name: "file-sums") { (url: URL) in try sums(url) }
        let parts = files.map { perFile(Delayed($0)) }
        return delayed(name: "combine", parts) { combine($0) }
    }
}
