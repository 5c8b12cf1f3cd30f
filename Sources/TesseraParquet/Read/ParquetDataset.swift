// The files of one `readParquet` call and its partition plan. Planning (eager, when the frame
// is built) reads every footer once, checks the files' columns agree, drops the row groups whose
// statistics exclude the predicate, and groups the rest into partitions: consecutive row groups
// of one file up to a target size (a row group is never split). Reading (lazy, one task per
// partition) preads exactly the column chunks the partition needs and decodes them; with a
// predicate and a page index, only the pages it can't rule out (ParquetDataset+PageIndex.swift).
//
// `readPartition(_:columns:predicate:)` is the shape of a scan source: given a projection and a
// predicate it returns the partition's rows with the predicate fully applied, so a frame plan
// can use it as its scan with nothing left to filter above it.

import Foundation
import Tessera
import TesseraFrame

/// One or more Parquet files, their footers, and their row groups grouped into partitions.
///
/// ```swift
/// let data = try ParquetDataset(paths: ["flights/"])
/// let first = try data.readPartition(0, columns: ["Origin", "DepDelay"], predicate: nil)
/// ```
public struct ParquetDataset: Sendable {
    /// The flat columns of the files, in the first file's order (nested columns are left out).
    public let schema: Schema
    let files: [ParquetFileInfo]
    /// The Hive `key=value` folder columns and each file's values of them (nil: none).
    let hive: HivePartitioning?
    /// Each partition: a file and the row groups it reads, in order.
    let plan: [(file: Int, rowGroups: [Int])]
    let targetPartitionBytes: Int

    /// Reads the footers of the files at `paths` and plans partitions.
    /// - Parameters:
    ///   - paths: files, directories (every `*.parquet` file below, sorted) or globs.
    ///   - predicate: row groups whose statistics prove it false for every row are dropped.
    ///   - targetPartitionBytes: consecutive row groups of one file are merged while their
    ///     compressed size stays under this (a larger row group is one partition on its own).
    /// - Throws: `ParquetError` for missing or corrupt files, and for files whose columns differ.
    /// - Complexity: one footer read per file; O(row groups × columns) to plan.
    public init(paths: [String], predicate: Expr? = nil, targetPartitionBytes: Int = 16 << 20) throws {
        let resolved = try paths.flatMap { try resolveParquetPaths($0) }
        guard !resolved.isEmpty else { throw ParquetError(path: paths.joined(separator: ", "), message: "no Parquet files") }
        let files = try resolved.map { try ParquetFileInfo(path: $0.path) }
        self.files = files
        hive = try HivePartitioning(files: resolved)
        let first = files[0]
        var fields = first.schema.columns.map { Field($0.name, $0.conversion.dataType, nullable: $0.maxDefinitionLevel > 0) }
        for f in files.dropFirst() {
            let names = Set(f.schema.columns.map(\.name) + f.schema.nested)
            let firstNames = Set(first.schema.columns.map(\.name) + first.schema.nested)
            guard names == firstNames else {
                throw ParquetError(path: f.path, message: "its columns \(f.schema.columns.map(\.name).sorted()) differ from \(first.path)'s \(first.schema.columns.map(\.name).sorted())")
            }
            for (j, field) in fields.enumerated() {
                let other = f.schema.columns.first { $0.name == field.name }!
                let t = other.conversion.dataType
                if t != field.type {
                    let unified = t.unified(with: field.type)
                    guard unified.isNumeric else {
                        throw ParquetError(path: f.path, column: field.name,
                                           message: "is \(t) here but \(field.type) in \(first.path); the types can't be unified")
                    }
                    fields[j].type = unified
                }
                fields[j].nullable = fields[j].nullable || other.maxDefinitionLevel > 0
            }
        }
        for key in hive?.fields ?? [] where fields.contains(where: { $0.name == key.name }) || first.schema.nested.contains(key.name) {
            throw ParquetError(path: first.path, column: key.name,
                               message: "is both a column of the file and a Hive folder key (\(key.name)=…); rename one of them")
        }
        schema = Schema(fields + (hive?.fields ?? []))
        self.targetPartitionBytes = targetPartitionBytes
        plan = Self.partitionPlan(files, hive: hive, predicate: predicate, targetPartitionBytes: targetPartitionBytes)
    }

    private init(schema: Schema, files: [ParquetFileInfo], hive: HivePartitioning?, plan: [(file: Int, rowGroups: [Int])],
                 targetPartitionBytes: Int) {
        self.schema = schema
        self.files = files
        self.hive = hive
        self.plan = plan
        self.targetPartitionBytes = targetPartitionBytes
    }

    /// The same files planned again for `predicate`: row groups whose statistics prove it false
    /// for every row are left out (what a scan source does with the predicate it is handed).
    /// - Complexity: O(row groups × predicate size); reads nothing.
    public func pruned(by predicate: Expr) -> ParquetDataset {
        ParquetDataset(schema: schema, files: files, hive: hive,
                       plan: Self.partitionPlan(files, hive: hive, predicate: predicate, targetPartitionBytes: targetPartitionBytes),
                       targetPartitionBytes: targetPartitionBytes)
    }

    /// Consecutive row groups of each file whose statistics (and Hive folder values) don't
    /// exclude `predicate`, grouped up to `targetPartitionBytes` compressed.
    private static func partitionPlan(_ files: [ParquetFileInfo], hive: HivePartitioning?, predicate: Expr?,
                                      targetPartitionBytes: Int) -> [(file: Int, rowGroups: [Int])] {
        var plan: [(file: Int, rowGroups: [Int])] = []
        for (fi, f) in files.enumerated() {
            var current: [Int] = []
            var bytes: Int64 = 0
            for (g, group) in f.metadata.rowGroups.enumerated() where group.rowCount > 0 {
                if let p = predicate, !mayMatch(p, { name in
                    if let k = hive?.index(of: name) {
                        let v = hive!.values[fi][k]
                        return ColumnBounds(min: v.isMissing ? nil : v, max: v.isMissing ? nil : v,
                                            nullCount: v.isMissing ? group.rowCount : 0, rowCount: group.rowCount)
                    }
                    return f.bounds(rowGroup: g, column: name)
                }) { continue }
                let size = group.columns.reduce(Int64(0)) { $0 + $1.totalCompressedSize }
                if !current.isEmpty && bytes + size > Int64(targetPartitionBytes) {
                    plan.append((fi, current))
                    current = []
                    bytes = 0
                }
                current.append(g)
                bytes += size
            }
            if !current.isEmpty { plan.append((fi, current)) }
        }
        return plan
    }

    /// The number of partitions.
    public var partitionCount: Int { plan.count }

    /// The number of files.
    public var fileCount: Int { files.count }

    /// The number of row groups in all files (pruned or not).
    public var rowGroupCount: Int { files.reduce(0) { $0 + $1.metadata.rowGroups.count } }

    /// The row count of each partition, from the footers (before any row-level filter).
    public var partitionRowCounts: [Int] {
        plan.map { p in p.rowGroups.reduce(0) { $0 + Int(files[p.file].metadata.rowGroups[$1].rowCount) } }
    }

    /// About how many bytes the planned row groups' `columns` take once read, from the footers
    /// alone: fixed-width columns 8 bytes a row (how a table holds them, validity aside), byte
    /// arrays their decompressed pages (dictionary included), Hive folder columns 8 bytes a row.
    /// Names the files don't hold count nothing.
    /// - Complexity: O(planned row groups × columns), reading nothing.
    public func estimatedBytes(columns: [String]) -> Int {
        var total: Int64 = 0
        for p in plan {
            let info = files[p.file]
            for name in columns {
                if hive?.index(of: name) != nil {
                    total += p.rowGroups.reduce(0) { $0 + info.metadata.rowGroups[$1].rowCount } * 8
                    continue
                }
                guard let leaf = info.schema.columns.first(where: { $0.name == name }) else { continue }
                for g in p.rowGroups {
                    let group = info.metadata.rowGroups[g]
                    switch leaf.physical {
                    case .byteArray, .fixedLenByteArray:
                        total += group.columns[leaf.leafIndex].totalUncompressedSize
                    default:
                        total += group.rowCount * 8
                    }
                }
            }
        }
        return Int(clamping: total)
    }

    /// Checks that `columns` can be read: flat columns of the files.
    /// - Throws: `ParquetError` naming a nested column, `FrameError.unknownColumn` for a missing one.
    public func checkReadable(_ columns: [String]) throws {
        for c in columns where schema[c] == nil {
            if files[0].schema.nested.contains(c) {
                throw ParquetError(path: files[0].path, column: c,
                                   message: "is nested (LIST, MAP or STRUCT), which a flat frame can't hold; leave it out with `columns:`")
            }
            throw FrameError.unknownColumn(c, available: schema.names)
        }
    }

    /// Reads partition `index`: the named columns of its row groups, only the rows where
    /// `predicate` holds (all rows when nil), at most `rowLimit` rows. Runs on a worker thread;
    /// opens the file and preads each needed column chunk. The predicate's columns are read
    /// first, so a row group where no row matches reads nothing more.
    /// - Parameters:
    ///   - index: the partition, `0..<partitionCount`.
    ///   - columns: the columns to return, in order (the predicate's own are read too); Hive
    ///     folder columns are made from the file's folder values, not read.
    ///   - predicate: a row filter, applied completely.
    ///   - rowLimit: stop once this many rows are kept (every row when nil).
    /// - Returns: a table with `columns`.
    /// - Throws: `ParquetError` naming the file, row group, column and page of corrupt data.
    /// - Complexity: O(bytes of the needed column chunks).
    public func readPartition(_ index: Int, columns: [String], predicate: Expr?, rowLimit: Int? = nil) throws -> Table {
        try readPartition(index, columns: columns, predicate: predicate, rowLimit: rowLimit, scratch: ReadScratch())
    }

    /// `readPartition(_:columns:predicate:rowLimit:)` with the task's buffers given (tests read
    /// its page counter) and the page index optionally ignored (tests compare both reads).
    func readPartition(_ index: Int, columns: [String], predicate: Expr?, rowLimit: Int? = nil, scratch: ReadScratch,
                       usePageIndex: Bool = true) throws -> Table {
        let p = plan[index]
        let info = files[p.file]
        let filterColumns = (predicate?.columns ?? []).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let rest = columns.filter { !filterColumns.contains($0) }
        try checkReadable(filterColumns + rest)
        let file = try ReadOnlyFile(path: info.path)
        var tables: [Table] = []
        var kept = 0
        for g in p.rowGroups {
            if let limit = rowLimit, kept >= limit { break }
            // Pages the page index rules out are never read; `rows` counts the rest.
            var selection: [Range<Int>]?
            if let predicate, usePageIndex {
                selection = try pageSelection(predicate, file: file, fileIndex: p.file, rowGroup: g)
                if selection?.isEmpty == true { continue }
            }
            let rows = selection?.reduce(0) { $0 + $1.count } ?? Int(info.metadata.rowGroups[g].rowCount)
            let read = { (name: String) in
                try self.readColumn(name, file: file, fileIndex: p.file, rowGroup: g, selection: selection, scratch: scratch)
            }
            var names = filterColumns
            var cols = try filterColumns.map(read)
            var mask: Bitmap?
            if let predicate {
                let m = try predicate.mask(on: Table(names: names, columns: cols, rowCount: rows))
                if m.nonzeroBitCount == 0 { continue }
                mask = m
            }
            names += rest
            cols += try rest.map(read)
            var t = try Table(names: names, columns: cols, rowCount: rows)
            if let mask { t = t.filter(mask) }
            if let limit = rowLimit, kept + t.rowCount > limit { t = t.slice(0..<(limit - kept)) }
            kept += t.rowCount
            tables.append(names == columns ? t : try t.select(columns))
        }
        guard !tables.isEmpty else {
            return Table(empty: Schema(try columns.map { try schema.field($0) }))
        }
        return try Table.concatenate(tables)
    }

    /// Column `name` of row group `rowGroup` of file `fileIndex`: its chunk preaded and decoded,
    /// or a Hive folder value repeated; only the rows of `selection` when given (the pages the
    /// page index kept). The chunk's bytes land in `scratch`, reused by the next chunk.
    private func readColumn(_ name: String, file: ReadOnlyFile, fileIndex: Int, rowGroup g: Int, selection: [Range<Int>]?,
                            scratch: ReadScratch) throws -> Column {
        let info = files[fileIndex]
        let group = info.metadata.rowGroups[g]
        let rows = selection?.reduce(0) { $0 + $1.count } ?? Int(group.rowCount)
        if let hive, let k = hive.index(of: name) {
            return Column(repeating: hive.values[fileIndex][k], type: hive.fields[k].type, count: rows)
        }
        guard let leaf = info.schema.columns.first(where: { $0.name == name }) else {
            throw ParquetError(path: info.path, column: name, message: "is not in this file")
        }
        if let selection {
            return try readSelectedRows(leaf, selection, file: file, fileIndex: fileIndex, rowGroup: g, scratch: scratch)
        }
        let meta = group.columns[leaf.leafIndex]
        let range = meta.byteRange
        let bytes = scratch.chunkBuffer(Int(range.count))
        try file.read(at: range.lowerBound, into: bytes)
        return try ColumnChunkDecoder.decode(UnsafeRawBufferPointer(bytes), leaf: leaf, codec: meta.codec, rowCount: rows,
                                             path: info.path, rowGroup: g, scratch: scratch)
    }
}

extension ParquetFileInfo {
    /// The statistics of `column` in row group `rowGroup` (nil for a column not in the file).
    func bounds(rowGroup: Int, column: String) -> ColumnBounds? {
        guard let leaf = schema.columns.first(where: { $0.name == column }) else { return nil }
        let group = metadata.rowGroups[rowGroup]
        return ColumnBounds(group.columns[leaf.leafIndex].statistics, leaf: leaf, rowCount: group.rowCount)
    }
}

/// The Parquet files `path` names, each with its path relative to the directory named (where
/// Hive `key=value/` folders are found): itself, every `*.parquet` file below a directory
/// (sorted, so Hive folders are walked in order), or a glob's matches.
func resolveParquetPaths(_ path: String) throws -> [(path: String, relative: String)] {
    var isDir: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
        guard isDir.boolValue else { return [(path, "")] }
        guard let walker = FileManager.default.enumerator(atPath: path) else {
            throw ParquetError(path: path, message: "cannot list the directory")
        }
        let found = walker.compactMap { $0 as? String }.filter { $0.lowercased().hasSuffix(".parquet") }.sorted()
        guard !found.isEmpty else { throw ParquetError(path: path, message: "no *.parquet files in the directory") }
        let dir = path.hasSuffix("/") ? path : path + "/"
        return found.map { (dir + $0, $0) }
    }
    if path.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) {
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(path, 0, nil, &g) == 0, g.gl_pathc > 0 else { throw ParquetError(path: path, message: "no file matches the pattern") }
        return (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }.sorted().map { ($0, "") }
    }
    throw ParquetError(path: path, message: "no such file or directory")
}
