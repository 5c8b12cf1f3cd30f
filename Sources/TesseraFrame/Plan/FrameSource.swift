// A scan's source: where a frame's rows come from (CSV files today, Parquet next).
//
// The plan asks a source for columns, a predicate and a row limit (a `ScanRequest`); the source
// applies what it can and says what it could not, so the plan keeps a filter above the scan for
// the rest. Header discovery (the I/O that tells the columns) happens once, when the source is
// made; asking for fewer columns afterwards is cheap and reads nothing. Types a format doesn't
// record (CSV) are inferred once, when something first needs them.

import Tessera

/// Where a scan's partitions come from: a conformer turns a `ScanRequest` into one task per
/// partition, each yielding a `Table` with exactly the requested columns.
///
/// To plug in a format (Parquet: row groups as partitions, column chunks read only when asked
/// for, row-group statistics to skip data a predicate rules out):
/// - `names` come from metadata read once (headers, a footer), never from data; `schema`'s
///   types too where the format records them (a CSV source infers them from a sample when
///   first asked);
/// - `accepts(_:)` returns the part of a predicate the source evaluates itself; whatever it
///   doesn't accept stays in a filter above the scan (a Parquet source that only skips row groups
///   by statistics accepts nothing exactly: it would prune, then leave the filter in place);
/// - `partitions(for:)` builds lazy tasks (layers); nothing is read until they run.
///
/// ```swift
/// let df = ChunkedFrame(source: try CSVSource(paths: ["flights/"]))
/// print(try df.groupby("Origin").agg(["DepDelay": .mean]).explain())   // scan reads 2 columns
/// ```
public protocol FrameSource: Sendable {
    /// Every column's name, in order, from metadata only (what building a plan needs).
    var names: [String] { get }

    /// Every column the source can yield, with (provisional) types. Asked for only when a type
    /// is needed (lowering a plan never asks), so a source without type metadata (CSV) may read a
    /// sample of its data here, once.
    var schema: Schema { get }

    /// A short description for plans (`csv 10 files`), without reading anything.
    var summary: String { get }

    /// The part of `predicate` this source evaluates while reading, so rows it rules out never
    /// become columns; nil when it takes none of it. The optimizer moves only that part into
    /// the scan and keeps the rest (`predicate` minus the accepted conjuncts) above it.
    func accepts(_ predicate: Expr) -> Expr?

    /// Whether the source can stop each partition after `ScanRequest.rowLimit` rows.
    var supportsRowLimit: Bool { get }

    /// The partitions for `request`: one task per partition, each yielding a `Table` of
    /// `request.columns` (every column when nil) in schema order, only rows where
    /// `request.predicate` holds and at most `request.rowLimit` rows.
    /// - Complexity: O(partitions) to build; reads nothing (a source may read metadata).
    func partitions(for request: ScanRequest) -> [TaskRef]

    /// About how many bytes the partitions for `request` hold in memory, from metadata only (file
    /// sizes, row counts in a footer); nil when the source can't tell without reading data. A
    /// merge broadcasts a side estimated below its broadcast limit (`ChunkedFrame.broadcastLimit`).
    /// The default implementation returns nil.
    /// - Parameter request: the columns, predicate and row limit asked for (an upper bound is
    ///   fine: a predicate only makes the partitions smaller).
    /// - Complexity: O(files), reading nothing.
    func estimatedBytes(for request: ScanRequest) -> Int?
}

extension FrameSource {
    /// Unknown: nil (a merge then decides by partition count).
    /// - Parameter request: unused.
    public func estimatedBytes(for request: ScanRequest) -> Int? { nil }

    /// The names of `schema`'s fields (for sources whose schema is metadata already).
    public var names: [String] { schema.names }

    /// The schema of the columns `columns` (every column when nil), in the source's order.
    func schema(of columns: [String]?) -> Schema {
        guard let columns else { return schema }
        let wanted = Set(columns)
        return Schema(schema.fields.filter { wanted.contains($0.name) })
    }
}
