// The CSV files of one `readCSV` call as a scan source: the first `FrameSource`.
//
// Headers were read (once) when the source was made, and nothing else; the types are guessed from
// a sample when first needed (CSVSchemaInference.swift). A request only changes which columns the
// partitions convert, so projection costs nothing. The predicate is evaluated batch by batch while
// the partition parses (CSVRowFilter.swift): rows it drops are tokenized, and its own columns
// converted for them, but their other values never become columns. The row limit stops the
// tokenizer.

import Tessera

/// CSV files as a `FrameSource`: every column of the files, parsed only when asked for.
///
/// `readCSV` makes one; `ChunkedFrame(source:)` scans it. Projection, predicates and row limits
/// all apply inside the partition tasks.
public struct CSVSource: FrameSource {
    let plan: CSVReadPlan

    init(plan: CSVReadPlan) {
        self.plan = plan
    }

    /// Every column of the files, from their headers.
    public var names: [String] { plan.outputNames }

    /// Every column of the files with provisional types: the first call parses a sample (of the
    /// first file, and of the next ones for columns without a value there), once for every frame
    /// over this source; `ChunkedFrame.inferSchema()` gives the exact types.
    public var schema: Schema { plan.inference?.schema ?? Schema(names.map { Field($0, .float64) }) }

    /// Reads the headers of the CSV files at `paths` (files, directories or globs).
    /// - Throws: `CSVError` as `readCSV(_:options:)` does.
    public init(paths: [String], options: CSVOptions = CSVOptions()) throws {
        let frame = try readCSV(paths, options: options)
        guard case .scan(let source as CSVSource, _) = frame.node.operation else {
            preconditionFailure("readCSV makes a scan of a CSVSource")
        }
        self = source
    }

    /// `csv N files`.
    public var summary: String {
        "csv \(plan.infos.count) file\(plan.infos.count == 1 ? "" : "s")"
    }

    /// Every predicate: it is evaluated on each partition as soon as it is parsed.
    public func accepts(_ predicate: Expr) -> Expr? { predicate }

    /// True: the tokenizer stops after the limit.
    public var supportsRowLimit: Bool { true }

    /// The files' data bytes (headers left out), scaled by the share of the columns `request`
    /// asks for: parsed numbers take about as many bytes as their text, so a CSV file's size is a
    /// fair estimate of its columns in memory. A predicate or row limit is not counted (an upper
    /// bound).
    /// - Parameter request: the columns asked for (every column when nil).
    /// - Complexity: O(files), reading nothing (the sizes were found with the headers).
    public func estimatedBytes(for request: ScanRequest) -> Int? {
        let data = plan.infos.reduce(0) { $0 + Swift.max(0, $1.size - $1.dataStart) }
        let all = Swift.max(plan.allNames.count, 1)
        let asked = request.columns.map { Set($0).intersection(plan.allNames).count } ?? plan.outputNames.count
        return Int((Double(data) * Double(asked) / Double(all)).rounded(.up))
    }

    /// One task per file, or per `blocksize` range of a large file, converting only the columns
    /// asked for, and only in the rows the predicate keeps.
    public func partitions(for request: ScanRequest) -> [TaskRef] {
        plan.projected(request.columns ?? names, rowLimit: request.rowLimit, predicate: request.predicate).partitionRefs { $0 }
    }
}
