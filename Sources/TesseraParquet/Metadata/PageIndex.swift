// The page index (Parquet's `OffsetIndex` and `ColumnIndex`, written after the row groups by
// pyarrow with `write_page_index=True`, by Polars and by parquet-mr): for each data page of a
// column chunk, where it lies, its first row, and its min/max/null count. With it a predicate
// can skip pages inside a row group that row-group statistics could not skip as a whole.

/// One data page's place in its column chunk (`PageLocation`).
struct PageLocation: Sendable {
    /// The file offset of the page header.
    var offset: Int64
    /// Header and body, in bytes.
    var compressedSize: Int
    /// The row group row the page starts at.
    var firstRow: Int
}

/// The page index of one column chunk.
struct ColumnPageIndex: Sendable {
    /// The data pages in order (dictionary pages are not listed).
    var pages: [PageLocation]
    /// Each page's bounds (nil when the file has no `ColumnIndex` for the chunk).
    var statistics: [ChunkStatistics]?
    /// The row group's row count.
    var rowCount: Int

    /// Decodes an `OffsetIndex` and, when present, the matching `ColumnIndex`.
    /// - Parameters:
    ///   - chunk: the chunk's byte range, which every page must lie in.
    ///   - boundsUsable: whether the min/max values can be trusted (binary bounds may be truncated).
    /// - Throws: `CorruptData` for pages out of order, outside the chunk, or lists of different lengths.
    init(offsetIndex: ThriftStruct, columnIndex: ThriftStruct?, rowCount: Int, chunk: Range<Int64>, boundsUsable: Bool) throws {
        self.rowCount = rowCount
        pages = try (offsetIndex.structs(1, "OffsetIndex.page_locations") ?? []).map {
            PageLocation(offset: try $0.requiredInt(1, "PageLocation.offset"),
                         compressedSize: Int(try $0.requiredInt(2, "PageLocation.compressed_page_size")),
                         firstRow: Int(clamping: try $0.requiredInt(3, "PageLocation.first_row_index")))
        }
        guard let first = pages.first, first.firstRow == 0 else { throw CorruptData("the offset index does not start at row 0") }
        for (i, p) in pages.enumerated() {
            guard p.compressedSize > 0, p.offset >= chunk.lowerBound, p.offset <= chunk.upperBound - Int64(p.compressedSize) else {
                throw CorruptData("the offset index puts page \(i) outside its column chunk")
            }
            guard p.firstRow < rowCount, i == 0 || p.firstRow > pages[i - 1].firstRow,
                  i == 0 || p.offset >= pages[i - 1].offset + Int64(pages[i - 1].compressedSize) else {
                throw CorruptData("the offset index lists page \(i) out of order")
            }
        }
        guard let c = columnIndex else { return }
        let nullPages = try (c.list(1, "ColumnIndex.null_pages") ?? []).map { v -> Bool in
            guard case .bool(let b) = v else { throw CorruptData("ColumnIndex.null_pages holds a non-boolean") }
            return b
        }
        func binaries(_ id: Int16, _ what: String) throws -> [[UInt8]] {
            try (c.list(id, what) ?? []).map { v in
                guard case .binary(let b) = v else { throw CorruptData("\(what) holds a non-binary") }
                return b
            }
        }
        let mins = try binaries(2, "ColumnIndex.min_values"), maxes = try binaries(3, "ColumnIndex.max_values")
        let nullCounts = try c.list(5, "ColumnIndex.null_counts")?.map { v -> Int64 in
            guard case .i64(let n) = v else { throw CorruptData("ColumnIndex.null_counts holds a non-integer") }
            return n
        }
        guard nullPages.count == pages.count, mins.count == pages.count, maxes.count == pages.count,
              nullCounts == nil || nullCounts!.count == pages.count else {
            throw CorruptData("the column index has lists of other lengths than the offset index's \(pages.count) pages")
        }
        statistics = (0..<pages.count).map { i in
            if nullPages[i] { return ChunkStatistics(min: nil, max: nil, nullCount: Int64(rows(i).count)) }
            return ChunkStatistics(min: boundsUsable ? mins[i] : nil, max: boundsUsable ? maxes[i] : nil, nullCount: nullCounts?[i])
        }
    }

    /// The row group rows of page `i`.
    func rows(_ i: Int) -> Range<Int> {
        pages[i].firstRow..<(i + 1 < pages.count ? pages[i + 1].firstRow : rowCount)
    }
}
