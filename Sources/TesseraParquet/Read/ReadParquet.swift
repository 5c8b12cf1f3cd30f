import Foundation
import Tessera
import TesseraFrame

/// Reads Parquet files into a lazy frame that scans a `ParquetSource`, one partition per row
/// group (small row groups of a file merged up to about 16 MiB compressed).
///
/// ```swift
/// let df = try readParquet("flights/", columns: ["Origin", "DepDelay"], filter: Expr.col("DepDelay") > 15)
/// let means = try df.groupby("Origin").agg(["DepDelay": .mean]).compute()
/// ```
/// - Parameters:
///   - path: a file, a directory (every `*.parquet` file below it, sorted) or a glob. Hive
///     folders below a directory (`year=2013/month=1/…`) become columns after the files' own,
///     int64 when every value is an integer, else string.
///   - columns: the columns to read, in order (all flat columns when nil). Only their column
///     chunks are read, and so it is for the columns any operation later uses (the plan's
///     projection pushdown narrows the scan).
///   - filter: a row predicate. Row groups (and Hive folders) whose min/max/null-count
///     statistics prove it false for every row are skipped without being read, and so are
///     pages inside a row group when the file has a page index (`write_page_index=True` in
///     pyarrow); the rows of the others are filtered. A `filter` applied to the frame later is pushed into the scan
///     the same way.
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
    let source = try ParquetSource(paths: paths)
    let dataset = source.dataset
    try dataset.checkReadable((columns ?? dataset.schema.names + dataset.files[0].schema.nested) + (filter?.columns ?? []))
    // The plan's own rules move the filter and the projection into the scan.
    var frame = ChunkedFrame(source: source)
    if let filter { frame = try frame.filter(filter) }
    if let columns { frame = try frame.select(columns) }
    return frame
}

/// Whether `path` names Parquet data: a `.parquet` file or glob, a file that starts with the
/// magic bytes `PAR1`, or a directory holding `*.parquet` files (at any depth, as Hive folders
/// do) and no `*.csv` file. Commands
/// that take "a CSV or Parquet path" use it to pick the reader.
/// - Complexity: reads at most four bytes, or lists one directory tree.
public func isParquetPath(_ path: String) -> Bool {
    if path.lowercased().hasSuffix(".parquet") { return true }
    var isDir: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return false }
    if isDir.boolValue {
        // Below, too: a Hive dataset's files sit in `key=value/` folders.
        let names = (FileManager.default.enumerator(atPath: path)?.compactMap { ($0 as? String)?.lowercased() }) ?? []
        return names.contains { $0.hasSuffix(".parquet") } && !names.contains { $0.hasSuffix(".csv") }
    }
    guard let file = try? ReadOnlyFile(path: path), file.size >= 4, let head = try? file.read(at: 0, count: 4) else { return false }
    return head == [0x50, 0x41, 0x52, 0x31]
}
