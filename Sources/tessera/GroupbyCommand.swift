import ArgumentParser
import Foundation
import Tessera
import TesseraFrame
import TesseraParquet

/// `tessera groupby PATH… --by COL --agg COL:FUNC,…`: a group-by over CSV files, as CSV.
struct Groupby: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groupby",
        abstract: "Group CSV rows by key columns and aggregate, printing CSV sorted by key.",
        discussion: """
            Reads only the key and aggregated columns (the plan's projection pushdown skips the \
            others while parsing; --explain shows the plan), one or more partitions per file, in parallel. Output: the key columns, then one column per \
            aggregation named COL_FUNC; rows sorted by key; floats in shortest round-trip form; \
            missing values empty. Rows with a missing key are left out, as pandas does.

            Functions: \(Aggregation.knownNames.joined(separator: ", ")). largest(N) and \
            smallest(N) give a group's N best non-missing values, one row each (best first, \
            the other columns repeated); corr(COLUMN) is Pearson's correlation with COLUMN over \
            the rows where both have values, empty for fewer than two or a constant column. \
            db-benchmark's q8 and q9: --by id6 --agg 'v3:largest(2)' and --by id2,id4 --agg 'v1:corr(v2)'.

            Example: tessera groupby data/ --by Origin --agg DepDelay:mean,DepDelay:count
            Exit status: 1 on bad data (the message names file:line:column), 2 on bad usage.
            """)

    @Argument(help: "CSV files, directories (their *.csv files, sorted) or globs.")
    var paths: [String]

    @Option(help: ArgumentHelp("Key columns, comma-separated.", valueName: "COL[,COL…]"))
    var by: String

    @Option(help: ArgumentHelp("Aggregations, comma-separated COL:FUNC pairs.", valueName: "COL:FUNC[,COL:FUNC…]"))
    var agg: String

    @Option(help: ArgumentHelp("Write the CSV to FILE instead of standard output.", valueName: "FILE"))
    var output: String?

    @Option(help: ArgumentHelp("Split files larger than this into partitions (bytes; K, M, G suffixes allowed). Default 64M.", valueName: "BYTES"))
    var blocksize: String?

    @Option(help: ArgumentHelp("Column types, comma-separated COL:TYPE pairs (int64, float64, bool, string, timestamp).", valueName: "COL:TYPE,…"))
    var dtypes: String?

    @Flag(help: "Print the query's logical plan before and after optimization and the task layers it lowers to, instead of running it.")
    var explain = false

    @OptionGroup var reading: CSVReadingOptions
    @OptionGroup var schedulerOptions: SchedulerOptions
    @OptionGroup var diagnostics: DiagnosticOptions

    /// The parsed `--by`, `--agg`, `--dtypes` and `--blocksize`.
    struct Request {
        var keys: [String]
        var aggregations: [NamedAggregation]
        var options: CSVOptions
    }

    static func splitList(_ s: String) -> [String] {
        s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Parses the options. - Throws: `ValidationError` describing the first bad one.
    func request() throws -> Request {
        let keys = Self.splitList(by)
        guard !keys.isEmpty else { throw ValidationError("--by needs at least one column") }
        var aggregations: [NamedAggregation] = []
        for item in Self.splitList(agg) {
            // The last colon before any parenthesis: `corr(COLUMN)` may name a column with one.
            guard let colon = item[..<(item.firstIndex(of: "(") ?? item.endIndex)].lastIndex(of: ":") else {
                throw ValidationError("--agg '\(item)': expected COL:FUNC, for example DepDelay:mean")
            }
            let column = String(item[..<colon]), name = String(item[item.index(after: colon)...])
            guard !column.isEmpty, let f = Aggregation(name: name) else {
                throw ValidationError("--agg '\(item)': unknown function '\(name)'; use one of \(Aggregation.knownNames.joined(separator: ", "))")
            }
            aggregations.append(NamedAggregation(column, f))
        }
        guard !aggregations.isEmpty else { throw ValidationError("--agg needs at least one COL:FUNC") }
        var options = CSVOptions()
        if let dtypes {
            for item in Self.splitList(dtypes) {
                guard let colon = item.lastIndex(of: ":"),
                      let t = DataType(name: String(item[item.index(after: colon)...])) else {
                    throw ValidationError("--dtypes '\(item)': expected COL:TYPE with TYPE one of int64, float64, bool, string, timestamp")
                }
                options.dtypes[String(item[..<colon])] = t
            }
        }
        if let blocksize {
            guard let b = Self.parseBytes(blocksize), b > 0 else {
                throw ValidationError("--blocksize '\(blocksize)': expected a positive number of bytes such as 1000000 or 64M")
            }
            if b < 64 << 10 { Self.printError("note: --blocksize \(blocksize) is raised to the minimum, 64K") }
            options.blocksize = b
        }
        return Request(keys: keys, aggregations: aggregations, options: options)
    }

    /// `123`, `64K`, `64M`, `1G` (powers of 1024; a trailing `B`/`iB` is allowed).
    static func parseBytes(_ s: String) -> Int? {
        var t = s.uppercased()
        for suffix in ["IB", "B"] where t.hasSuffix(suffix) && t.count > suffix.count { t.removeLast(suffix.count); break }
        var scale = 1
        if let last = t.last, let p = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30][String(last)] { scale = p; t.removeLast() }
        guard let v = Double(t), v.isFinite, v > 0, v * Double(scale) < 9e18 else { return nil }
        return Int(v * Double(scale))
    }

    func run() throws {
        // Checked here rather than in validate(), so bad --by/--agg/--dtypes/--blocksize values
        // exit with 2 (ArgumentParser's validation failures exit with 64).
        let req: Request
        do { req = try request() } catch let e as ValidationError {
            Self.printError("\(e.message)\nUsage: tessera \(Self.usageString())\nSee 'tessera groupby --help' for more information.")
            throw ExitCode(2)
        }
        var options = req.options
        try reading.apply(to: &options)
        let table: Table
        do {
            let frame = try paths.allSatisfy(isParquetPath) ? readParquet(paths) : readCSV(paths, options: options)
            let result = try frame.groupby(req.keys).agg(req.aggregations)
            if explain {
                FileHandle.standardOutput.write(Data(result.explain().utf8))
                return
            }
            table = try diagnostics.run({ try result.compute(scheduler: schedulerOptions.resolved) }, graph: { result.graph })
        } catch {
            throw Self.exit(for: error)
        }
        let text = Self.csv(table)
        if let output {
            guard MPIMode.writesOutput else { return }
            do { try Data(text).write(to: URL(fileURLWithPath: output), options: .atomic) } catch {
                Self.printError("\(output): cannot write: \(error.localizedDescription)")
                throw ExitCode(1)
            }
        } else {
            FileHandle.standardOutput.write(Data(text))
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("tessera groupby: \(message)\n".utf8))
    }

    /// Prints the error and gives the exit status: 1 for bad data, 2 for bad usage (unknown
    /// columns, impossible aggregations, missing files, bad options).
    static func exit(for error: Error) -> ExitCode {
        var e = error
        if let f = e as? TaskFailure { e = f.underlying }
        printError("\(e)")
        switch e {
        case let c as CSVError:
            switch c {
            case .noFiles, .unreadable, .unknownColumn, .invalidOption: return ExitCode(2)
            default: return ExitCode(1)
            }
        case let f as FrameError:
            // A function that doesn't fit a column's type (mean of text) is bad data, found in
            // the data, as pandas raises TypeError from the values: 1, not 2.
            switch f {
            case .unknownColumn, .invalidArgument: return ExitCode(2)
            default: return ExitCode(1)
            }
        default: return ExitCode(1)
        }
    }

    /// The table as CSV, written by `Table.csvBytes` (fields quoted by bytes, missing values and
    /// NaN empty, text bytes exact), so the output reads back as the same table.
    static func csv(_ table: Table) -> [UInt8] { table.csvBytes() }
}
