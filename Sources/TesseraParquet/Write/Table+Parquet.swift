// A whole Parquet file from one table: `PAR1`, the row groups' column chunks one after another,
// the footer (FileMetaData in Thrift compact), its length and `PAR1` again. Every column is
// written OPTIONAL with its LogicalType and its ConvertedType, so old and new readers agree.

import Tessera
import TesseraFrame

extension Table {
    /// The table as the bytes of a Parquet file.
    ///
    /// ```swift
    /// let bytes = try table.parquetBytes(compression: .snappy)
    /// ```
    /// - Parameters:
    ///   - compression: the pages' codec.
    ///   - rowGroupRows: rows per row group (the last may hold fewer).
    ///   - pageRows: rows per data page at most.
    /// - Returns: the complete file.
    /// - Throws: `ParquetError` (path `<memory>`) when a compression library fails.
    /// - Complexity: O(rows × columns) plus compression.
    public func parquetBytes(compression: ParquetCompression = .zstd(level: 3), rowGroupRows: Int = 1 << 20,
                             pageRows: Int = 20_000) throws -> [UInt8] {
        precondition(rowGroupRows > 0 && pageRows > 0, "row group and page sizes must be positive")
        var out: [UInt8] = [0x50, 0x41, 0x52, 0x31]
        var rowGroups: [ThriftValue] = []
        var start = 0
        repeat {
            let end = Swift.min(start + rowGroupRows, rowCount)
            var chunks: [ThriftValue] = []
            var groupCompressed = 0, groupUncompressed = 0
            let groupOffset = out.count
            for (name, column) in zip(names, columns) {
                let encoded = try ParquetError.locating(path: "<memory>", rowGroup: rowGroups.count, column: name) {
                    try encodeColumnChunk(column, rows: start..<end, codec: compression.codec, level: compression.level, pageRows: pageRows)
                }
                let offset = out.count
                out.append(contentsOf: encoded.bytes)
                groupCompressed += encoded.bytes.count
                groupUncompressed += encoded.uncompressedSize
                let (physical, _, _) = parquetType(of: column.type)
                var meta = ThriftStruct()
                meta.set(1, .i32(Int32(physical.rawValue)))
                meta.set(2, .list(5, encoded.encodings.map { .i32(Int32($0.rawValue)) }))
                meta.set(3, .list(8, [.binary(Array(name.utf8))]))
                meta.set(4, .i32(Int32(compression.codec.rawValue)))
                meta.set(5, .i64(Int64(end - start)))
                meta.set(6, .i64(Int64(encoded.uncompressedSize)))
                meta.set(7, .i64(Int64(encoded.bytes.count)))
                meta.set(9, .i64(Int64(offset + encoded.dataPageStart)))
                if encoded.hasDictionary { meta.set(11, .i64(Int64(offset))) }
                meta.set(12, .struct(encoded.statistics))
                chunks.append(.struct(ThriftStruct([(2, .i64(Int64(offset))), (3, .struct(meta))])))
            }
            rowGroups.append(.struct(ThriftStruct([
                (1, .list(12, chunks)), (2, .i64(Int64(groupUncompressed))), (3, .i64(Int64(end - start))),
                (5, .i64(Int64(groupOffset))), (6, .i64(Int64(groupCompressed))), (7, .i16(Int16(truncatingIfNeeded: rowGroups.count))),
            ])))
            start = end
        } while start < rowCount
        var schema: [ThriftValue] = [.struct(ThriftStruct([(4, .binary(Array("schema".utf8))), (5, .i32(Int32(columnCount)))]))]
        for (name, column) in zip(names, columns) {
            let (physical, logical, converted) = parquetType(of: column.type)
            var e = ThriftStruct([(1, .i32(Int32(physical.rawValue))), (3, .i32(Int32(Repetition.optional.rawValue))),
                                  (4, .binary(Array(name.utf8)))])
            e.set(6, converted.map { .i32(Int32($0.rawValue)) })
            e.set(10, logical.map { .struct($0) })
            schema.append(.struct(e))
        }
        let footer = ThriftStruct([
            (1, .i32(1)), (2, .list(12, schema)), (3, .i64(Int64(rowCount))), (4, .list(12, rowGroups)),
            (6, .binary(Array("Tessera".utf8))),
        ]).encoded
        out.append(contentsOf: footer)
        withUnsafeBytes(of: UInt32(footer.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: [0x50, 0x41, 0x52, 0x31])
        return out
    }
}

extension ChunkedFrame {
    /// Writes one Parquet file per partition into `directory` (created if missing), named
    /// `part-00000.parquet`, …, each through a temporary name and a rename; partitions are
    /// computed and written in parallel.
    ///
    /// ```swift
    /// try df.toParquet("out/", compression: .snappy)
    /// let back = try readParquet("out/")
    /// ```
    /// - Parameters:
    ///   - directory: where the files go.
    ///   - compression: the pages' codec (zstd level 3 by default).
    ///   - rowGroupRows: rows per row group (1 Mi by default, as pyarrow).
    ///   - scheduler: where to run (the default scheduler when nil).
    /// - Returns: the paths written, in partition order.
    /// - Throws: `FrameError.io` naming a path that couldn't be written (as a `TaskFailure`
    ///   from a partition's task).
    @discardableResult
    public func toParquet(_ directory: String, compression: ParquetCompression = .zstd(level: 3),
                          rowGroupRows: Int = 1 << 20, scheduler: Scheduler? = nil) throws -> [String] {
        try writePartitionFiles(directory, fileExtension: "parquet", kind: "to-parquet", scheduler: scheduler) {
            try $0.parquetBytes(compression: compression, rowGroupRows: rowGroupRows)
        }
    }
}
