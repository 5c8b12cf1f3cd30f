// Page skipping inside a row group. When the predicate's columns have a page index, the row
// group's rows are cut at every page boundary of those columns; a segment is dropped when the
// bounds of the pages covering it prove the predicate false (columns without a page index
// answer with their row-group statistics, Hive columns with their folder value). Every column
// then reads only its pages that overlap a kept segment (one pread each, after the bytes of the
// dictionary page), decodes them as if they were the whole chunk, and keeps the kept segments'
// rows. Columns written without an offset index decode their whole chunk and keep the same rows,
// so all columns line up. Byte-array bounds in a column index may be truncated by the writer,
// so only their null counts are used.

import TesseraFrame

extension ParquetDataset {
    /// The page index of column `leafIndex` of row group `g` (nil when the file has none).
    func pageIndex(file: ReadOnlyFile, fileIndex: Int, rowGroup g: Int, leafIndex: Int, withBounds: Bool) throws -> ColumnPageIndex? {
        let info = files[fileIndex]
        let meta = info.metadata.rowGroups[g].columns[leafIndex]
        guard let offsets = meta.offsetIndexRange else { return nil }
        let leaf = info.schema.columns.first { $0.leafIndex == leafIndex }!
        return try ParquetError.locating(path: info.path, rowGroup: g, column: leaf.name) {
            func decode(_ r: Range<Int64>) throws -> ThriftStruct {
                let bytes = try file.read(at: r.lowerBound, count: Int(r.count))
                return try bytes.withUnsafeBytes { try ThriftStruct.decode($0).0 }
            }
            let columnIndex = withBounds ? try meta.columnIndexRange.map(decode) : nil
            let usable = leaf.physical != .byteArray && leaf.physical != .fixedLenByteArray
            return try ColumnPageIndex(offsetIndex: decode(offsets), columnIndex: columnIndex,
                                       rowCount: Int(info.metadata.rowGroups[g].rowCount), chunk: meta.byteRange, boundsUsable: usable)
        }
    }

    /// The rows of row group `g` that the page index can't rule out for `predicate`, as sorted,
    /// disjoint, non-adjacent ranges; nil when no predicate column has a column index or no page
    /// is ruled out.
    func pageSelection(_ predicate: Expr, file: ReadOnlyFile, fileIndex: Int, rowGroup g: Int) throws -> [Range<Int>]? {
        let info = files[fileIndex]
        let rowCount = Int(info.metadata.rowGroups[g].rowCount)
        var indexes: [String: (ColumnPageIndex, [ChunkStatistics], LeafColumn)] = [:]
        for name in Set(predicate.columns) where hive?.index(of: name) == nil {
            guard let leaf = info.schema.columns.first(where: { $0.name == name }),
                  let index = try pageIndex(file: file, fileIndex: fileIndex, rowGroup: g, leafIndex: leaf.leafIndex, withBounds: true),
                  let stats = index.statistics else { continue }
            indexes[name] = (index, stats, leaf)
        }
        guard !indexes.isEmpty else { return nil }
        let cuts = Set(indexes.values.flatMap { $0.0.pages.map(\.firstRow) } + [rowCount]).sorted()
        var kept: [Range<Int>] = []
        var start = 0
        for end in cuts where end > start {
            let segment = start..<end
            start = end
            let may = mayMatch(predicate) { name in
                if let (index, stats, leaf) = indexes[name] {
                    // The last page starting at or before the segment covers it (cuts include every page start).
                    var lo = 0, hi = index.pages.count - 1
                    while lo < hi {
                        let mid = (lo + hi + 1) / 2
                        if index.pages[mid].firstRow <= segment.lowerBound { lo = mid } else { hi = mid - 1 }
                    }
                    return ColumnBounds(stats[lo], leaf: leaf, rowCount: Int64(index.rows(lo).count))
                }
                if let k = hive?.index(of: name) {
                    let v = hive!.values[fileIndex][k]
                    return ColumnBounds(min: v.isMissing ? nil : v, max: v.isMissing ? nil : v,
                                        nullCount: v.isMissing ? Int64(rowCount) : 0, rowCount: Int64(rowCount))
                }
                return info.bounds(rowGroup: g, column: name)
            }
            guard may else { continue }
            if let last = kept.last, last.upperBound == segment.lowerBound {
                kept[kept.count - 1] = last.lowerBound..<segment.upperBound
            } else {
                kept.append(segment)
            }
        }
        if kept == [0..<rowCount] { return nil }
        return kept
    }

    /// Column `leaf` of row group `g`, only the rows in `selection`: the pages overlapping it
    /// (every page without an offset index) are read and decoded, then the selected rows kept.
    func readSelectedRows(_ leaf: LeafColumn, _ selection: [Range<Int>], file: ReadOnlyFile, fileIndex: Int, rowGroup g: Int,
                          scratch: ReadScratch) throws -> Column {
        let info = files[fileIndex]
        let meta = info.metadata.rowGroups[g].columns[leaf.leafIndex]
        let rowCount = Int(info.metadata.rowGroups[g].rowCount)
        // Which row group rows the decoded column holds, in order (each piece: first row, count).
        var pieces: [Range<Int>] = [0..<rowCount]
        let column: Column
        if let index = try pageIndex(file: file, fileIndex: fileIndex, rowGroup: g, leafIndex: leaf.leafIndex, withBounds: false) {
            let picked = index.pages.indices.filter { i in selection.contains { $0.overlaps(index.rows(i)) } }
            let chunkStart = meta.byteRange.lowerBound
            let prefix = Int(index.pages[0].offset - chunkStart)  // the dictionary page, if any
            let total = prefix + picked.reduce(0) { $0 + index.pages[$1].compressedSize }
            let buffer = scratch.chunkBuffer(total)
            if prefix > 0 { try file.read(at: chunkStart, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<prefix])) }
            var at = prefix
            pieces = []
            for i in picked {
                let p = index.pages[i]
                try file.read(at: p.offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[at..<(at + p.compressedSize)]))
                at += p.compressedSize
                if let last = pieces.last, last.upperBound == index.rows(i).lowerBound {
                    pieces[pieces.count - 1] = last.lowerBound..<index.rows(i).upperBound
                } else {
                    pieces.append(index.rows(i))
                }
            }
            column = try ColumnChunkDecoder.decode(UnsafeRawBufferPointer(buffer), leaf: leaf, codec: meta.codec,
                                                   rowCount: pieces.reduce(0) { $0 + $1.count }, path: info.path, rowGroup: g,
                                                   scratch: scratch)
        } else {
            let bytes = scratch.chunkBuffer(Int(meta.byteRange.count))
            try file.read(at: meta.byteRange.lowerBound, into: bytes)
            column = try ColumnChunkDecoder.decode(UnsafeRawBufferPointer(bytes), leaf: leaf, codec: meta.codec, rowCount: rowCount,
                                                   path: info.path, rowGroup: g, scratch: scratch)
        }
        // Positions of the selected rows in the decoded column.
        var slices: [Range<Int>] = []
        var offset = 0
        for piece in pieces {
            for s in selection where s.overlaps(piece) {
                let lo = Swift.max(s.lowerBound, piece.lowerBound), hi = Swift.min(s.upperBound, piece.upperBound)
                let r = (offset + lo - piece.lowerBound)..<(offset + hi - piece.lowerBound)
                if let last = slices.last, last.upperBound == r.lowerBound {
                    slices[slices.count - 1] = last.lowerBound..<r.upperBound
                } else {
                    slices.append(r)
                }
            }
            offset += piece.count
        }
        if slices == [0..<column.count] { return column }
        return Column.concatenate(slices.map { column.slice($0) })
    }
}
