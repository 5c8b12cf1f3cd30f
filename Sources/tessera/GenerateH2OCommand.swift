import ArgumentParser
import Foundation
import TesseraFrame

/// `tessera generate-h2o OUT`: the h2o.ai db-benchmark's group-by and join data.
struct GenerateH2O: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-h2o",
        abstract: "Write the h2o.ai db-benchmark's group-by and join tables as CSV files.",
        discussion: """
            Follows db-benchmark's groupby-datagen and join-datagen rules: OUT/groupby/ holds \
            id1..id6, v1, v2, v3 (id1-id3 text id%03d / id%010d, id4-id6 integers, v1 in 1..5, \
            v2 in 1..15, v3 uniform 0-100 with 6 decimals); OUT/join/x, small, medium and big \
            hold the join tables (N, N/1e6, N/1e3 and N rows). The same arguments give \
            byte-identical files.

            Example: tessera generate-h2o /tmp/h2o --rows 10000000 --k 100 --files 4
            """)

    @Argument(help: "Directory to write into (created if missing).")
    var out: String

    @Option(help: "Rows of the group-by table (N).")
    var rows: Int = 1_000_000

    @Option(help: "Groups of the small-cardinality keys (K); id3 and id6 take N/K values.")
    var k: Int = 100

    @Option(name: .customLong("na-fraction"), help: "Probability that a field is missing (0.05 for db-benchmark's 5%).")
    var naFraction: Double = 0

    @Option(help: "Files per large table.")
    var files: Int = 4

    @Option(help: "Which data to write: groupby, join or both.")
    var tables: String = "both"

    @Option(help: "Random seed; the same seed gives byte-identical files.")
    var seed: UInt64 = 108

    @OptionGroup var scheduling: SchedulerOptions
    @OptionGroup var diagnostics: DiagnosticOptions

    func validate() throws {
        guard rows >= 1, k >= 1, files >= 1 else { throw ValidationError("--rows, --k and --files must be at least 1") }
        guard naFraction >= 0, naFraction < 1 else { throw ValidationError("--na-fraction must be in [0, 1)") }
        guard ["groupby", "join", "both"].contains(tables) else { throw ValidationError("--tables must be groupby, join or both") }
    }

    func run() throws {
        let url = URL(fileURLWithPath: out)
        let scheduler = scheduling.resolved
        try diagnostics.run {
            if tables != "join" {
                try generateH2OGroupBy(directory: url.appendingPathComponent("groupby"), rows: rows, k: k, naFraction: naFraction,
                                       files: files, seed: seed, scheduler: scheduler)
                print("wrote \(rows) group-by rows in \(files) files to \(url.appendingPathComponent("groupby").path)")
            }
            if tables != "groupby" {
                try generateH2OJoin(directory: url.appendingPathComponent("join"), rows: rows, naFraction: naFraction, files: files,
                                    seed: seed, scheduler: scheduler)
                print("wrote the join tables x, small, medium, big (\(rows) rows) to \(url.appendingPathComponent("join").path)")
            }
        }
    }
}
