// Writing Hive-style partition directories: each partition's rows are split by the values of
// the `partitionBy` columns and every piece goes to `key=value/…/part-NNNNN.parquet` without
// those columns (the folders hold them), the layout pyarrow's `write_to_dataset` and Polars'
// `partition_by` write and `readParquet` reads back. Partition i writes only files named
// `part-i` (one per folder it has rows for), so the tasks never write the same file; each file
// goes through a temporary name and a rename.

import Foundation
import Tessera
import TesseraFrame

extension ChunkedFrame {
    /// Writes the frame as Hive-style folders under `directory`: one folder level per column of
    /// `partitionBy` (`year=2013/month=1/`), one `part-NNNNN.parquet` per partition in each
    /// folder it has rows for, without the `partitionBy` columns. Partitions are split and
    /// written in parallel.
    ///
    /// ```swift
    /// try df.toParquet("flights/", partitionBy: ["Year", "Month"])
    /// let jfk2013 = try readParquet("flights/", filter: Expr.col("Year") == 2013)   // reads Year=2013/ only
    /// ```
    /// - Parameters:
    ///   - directory: the dataset's root (created if missing).
    ///   - partitionBy: the columns whose values name the folders, outermost first. Values are
    ///     written as text (percent-encoded where a path can't hold them, missing values as
    ///     `__HIVE_DEFAULT_PARTITION__`); reading gives int64 back when every value is an
    ///     integer, else string.
    ///   - compression: the pages' codec (zstd level 3 by default).
    ///   - rowGroupRows: rows per row group.
    ///   - scheduler: where to run (the default scheduler when nil).
    /// - Returns: the paths written, by partition, then folder in the order rows first reach it.
    /// - Throws: `FrameError.unknownColumn` for a `partitionBy` name the frame lacks,
    ///   `FrameError.invalidArgument` when no column would be left in the files, and
    ///   `FrameError.io` naming a path that couldn't be written (as a `TaskFailure`).
    /// - Complexity: one pass over each partition to split it, plus encoding.
    @discardableResult
    public func toParquet(_ directory: String, partitionBy: [String], compression: ParquetCompression = .zstd(level: 3),
                          rowGroupRows: Int = 1 << 20, scheduler: Scheduler? = nil) throws -> [String] {
        guard !partitionBy.isEmpty else {
            return try toParquet(directory, compression: compression, rowGroupRows: rowGroupRows, scheduler: scheduler)
        }
        for key in partitionBy where schema[key] == nil { throw FrameError.unknownColumn(key, available: schema.names) }
        let kept = schema.names.filter { !partitionBy.contains($0) }
        guard !kept.isEmpty else {
            throw FrameError.invalidArgument("partitionBy \(partitionBy) names every column; the files would have none left")
        }
        let root = directory.hasSuffix("/") ? directory : directory + "/"
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw FrameError.io(path: directory, message: "cannot create directory: \(error.localizedDescription)")
        }
        let parts = partitions
        let layer = Layer(kind: "to-parquet-hive", count: parts.count) { i in
            TaskSpec(inputs: [parts[i]]) { args in
                let t = args[0] as! Table
                let name = "part-" + String(repeating: "0", count: Swift.max(0, 5 - String(i).count)) + String(i) + ".parquet"
                var written: [String] = []
                for (folder, rows) in try hiveFolders(t, partitionBy) {
                    let dir = root + folder
                    do {
                        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    } catch {
                        throw FrameError.io(path: dir, message: "cannot create directory: \(error.localizedDescription)")
                    }
                    let piece = try t.take(rows).select(kept)
                    try writeFileAtomically(try piece.parquetBytes(compression: compression, rowGroupRows: rowGroupRows), to: dir + name)
                    written.append(dir + name)
                }
                return written as Any
            }
        }
        return try TaskGraph(layer.refs).compute(scheduler: scheduler).flatMap { $0 as! [String] }
    }
}

/// The rows of `table` by Hive folder (`k1=v1/k2=v2/`), folders in the order rows first reach them.
/// - Complexity: O(rows × keys).
private func hiveFolders(_ table: Table, _ keys: [String]) throws -> [(String, [Int])] {
    let columns = try keys.map { try table.column($0) }
    // Keyed by bytes: String's == would put both Unicode forms of a letter in one folder.
    var order: [[UInt8]] = []
    var rows: [[UInt8]: [Int]] = [:]
    for i in 0..<table.rowCount {
        var folder = ""
        for (key, column) in zip(keys, columns) { folder += HivePartitioning.folder(key, column[i]) + "/" }
        let bytes = Array(folder.utf8)
        if rows[bytes] == nil { order.append(bytes) }
        rows[bytes, default: []].append(i)
    }
    return order.map { (String(decoding: $0, as: UTF8.self), rows[$0]!) }
}
