// Parquet files as a scan source of the frame plan.
//
// Footers were read (once) when the source was made, so the schema, the row groups and their
// statistics are known before anything runs; a request only changes which column chunks the
// partition tasks pread (projection) and which row groups they visit (predicate). The source
// accepts every predicate over its columns and applies it exactly: row groups (and Hive
// directories) whose statistics prove it false for every row are dropped from the partition
// plan without being read, and each remaining row group's rows are filtered in its own task,
// so no filter is needed above the scan. The row limit stops a partition after enough rows.

import Tessera
import TesseraFrame

/// Parquet files as a `FrameSource`: every flat column of the files, each column chunk read only
/// when a plan above needs it, and row groups the predicate rules out never read.
///
/// `readParquet` makes one; `ChunkedFrame(source:)` scans it.
///
/// ```swift
/// let df = ChunkedFrame(source: try ParquetSource(paths: ["flights/"]))
/// let late = try df.filter(df["DepDelay"] > 15).select(["Origin", "DepDelay"])
/// print(late.explain())   // scan parquet …: 2 of 23 columns, predicate (DepDelay > 15)
/// ```
public struct ParquetSource: FrameSource {
    /// The files, their footers and their row groups.
    public let dataset: ParquetDataset

    /// A source over `dataset`.
    public init(dataset: ParquetDataset) {
        self.dataset = dataset
    }

    /// Reads the footers of the Parquet files at `paths` (files, directories or globs).
    /// - Throws: `ParquetError` as `ParquetDataset(paths:)` does.
    /// - Complexity: one footer read per file.
    public init(paths: [String]) throws {
        dataset = try ParquetDataset(paths: paths)
    }

    /// The flat columns of the files (nested ones left out), then any Hive partition columns.
    public var schema: Schema { dataset.schema }

    /// `parquet N files, M row groups`.
    public var summary: String {
        let files = dataset.fileCount, groups = dataset.rowGroupCount
        return "parquet \(files) file\(files == 1 ? "" : "s"), \(groups) row group\(groups == 1 ? "" : "s")"
    }

    /// Every predicate over the source's columns: row-group statistics prune what they can, and
    /// the partition tasks filter the rows of the rest exactly.
    public func accepts(_ predicate: Expr) -> Expr? {
        predicate.columns.allSatisfy { schema[$0] != nil } ? predicate : nil
    }

    /// True: a partition stops reading row groups once it has enough rows.
    public var supportsRowLimit: Bool { true }

    /// The footers' estimate of the columns `request` asks for, in the row groups its predicate
    /// doesn't rule out (`ParquetDataset.estimatedBytes(columns:)`): what a merge decides to
    /// broadcast this side by. The row limit is not counted (an upper bound).
    /// - Parameter request: the columns (every column when nil) and the predicate.
    /// - Complexity: O(row groups × columns), reading nothing.
    public func estimatedBytes(for request: ScanRequest) -> Int? {
        let data = request.predicate.map { dataset.pruned(by: $0) } ?? dataset
        return data.estimatedBytes(columns: request.columns ?? schema.names)
    }

    /// One task per partition of the row groups the predicate doesn't rule out, each preading
    /// only the column chunks of `request.columns` and the predicate's columns.
    public func partitions(for request: ScanRequest) -> [TaskRef] {
        let data = request.predicate.map { dataset.pruned(by: $0) } ?? dataset
        let columns = request.columns ?? schema.names
        let predicate = request.predicate, limit = request.rowLimit
        return Layer(kind: "read-parquet", count: data.partitionCount) { i in
            TaskSpec { _ in try data.readPartition(i, columns: columns, predicate: predicate, rowLimit: limit) }
        }.refs
    }
}
