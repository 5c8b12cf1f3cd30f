import Foundation
import Tessera
import TesseraFrame

/// Reads Parquet files into a lazy frame, one partition per row group (small row groups of a
/// file merged up to about 16 MiB compressed).
///
/// ```swift
/// let df = try readParquet("flights/", columns: ["Origin", "DepDelay"], filter: Expr.col("DepDelay") > 15)
/// let means = try df.groupby("Origin").agg(["DepDelay": .mean]).compute()
/// ```
/// - Parameters:
///   - path: a file, a directory (every `*.parquet` file below it, sorted) or a glob.
///   - columns: the columns to read, in order (all flat columns when nil). Only their column
///     chunks are read.
///   - filter: a row predicate. Row groups whose min/max/null-count statistics prove it false
///     for every row are skipped without being read; the rows of the others are filtered.
/// - Returns: a frame whose partitions read when computed. Footers are read now.
/// - Throws: `ParquetError` for missing or corrupt files, files whose columns differ, or a
///   nested (LIST, MAP, STRUCT) column among `columns`; `FrameError.unknownColumn` for a name
///   the files don't have. Corrupt pages throw when computing, as a `TaskFailure` wrapping the
///   `ParquetError` that names file, row group, column and page.
///
/// Types: BOOLEAN → bool; INT32/INT64 (signed or unsigned up to 32 bits) → int64, UINT64 →
/// int64 (a value past Int64.max is an error); FLOAT/DOUBLE → float64 (NaN is missing, as in
/// pandas); DECIMAL → float64, the nearest double to the exact decimal; DATE, TIMESTAMP (ms, µs,
/// ns — nanoseconds rounded down to µs) and INT96 → timestamp; BYTE_ARRAY and
/// FIXED_LEN_BYTE_ARRAY → string (dictionary-encoded text stays dictionary-encoded).
public func readParquet(_ path: String, columns: [String]? = nil, filter: Expr? = nil) throws -> ChunkedFrame {
    try readParquet([path], columns: columns, filter: filter)
}

/// Reads the listed Parquet files, directories or globs, in order; see `readParquet(_:columns:filter:)`.
public func readParquet(_ paths: [String], columns: [String]? = nil, filter: Expr? = nil) throws -> ChunkedFrame {
    let dataset = try ParquetDataset(paths: paths, predicate: filter)
    let wanted = columns ?? dataset.schema.names + dataset.files[0].schema.nested
    try dataset.checkReadable(wanted + (filter?.columns ?? []))
    let schema = Schema(try wanted.map { try dataset.schema.field($0) })
    let layer = Layer(kind: "read-parquet", count: dataset.partitionCount) { i in
        TaskSpec { _ in try dataset.readPartition(i, columns: wanted, predicate: filter) }
    }
    return ChunkedFrame(schema: schema, partitions: layer.refs,
                        knownRowCounts: filter == nil ? dataset.partitionRowCounts : nil)
}

/// Whether `path` names Parquet data: a `.parquet` file or glob, a file that starts with the
/// magic bytes `PAR1`, or a directory holding `*.parquet` files and no `*.csv` file. Commands
/// that take "a CSV or Parquet path" use it to pick the reader.
/// - Complexity: reads at most four bytes, or lists one directory.
public func isParquetPath(_ path: String) -> Bool {
    if path.lowercased().hasSuffix(".parquet") { return true }
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return false }
    if isDir.boolValue {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.contains { $0.lowercased().hasSuffix(".parquet") } && !names.contains { $0.lowercased().hasSuffix(".csv") }
    }
    guard let file = try? ReadOnlyFile(path: path), file.size >= 4, let head = try? file.read(at: 0, count: 4) else { return false }
    return head == [0x50, 0x41, 0x52, 0x31]
}
