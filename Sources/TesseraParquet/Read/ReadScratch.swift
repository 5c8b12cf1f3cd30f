// Memory a reading task reuses from page to page and chunk to chunk: the column chunk's bytes
// (one pread), each page's decompressed bytes, and the small block dictionary indices are
// unpacked into. Allocating them per page would mean, for a 1 MiB page, a fresh zero-filled
// megabyte and its page faults every time; one task owns one `ReadScratch` for its whole
// partition, so nothing in it is shared between threads.

/// Reusable buffers of one reading task.
final class ReadScratch {
    private var chunk = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private var page = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    /// Room for unpacked dictionary indices (a multiple of eight values).
    let indices: UnsafeMutableBufferPointer<UInt32>
    /// Data pages decoded with this scratch (what page skipping saves, for tests).
    var dataPagesDecoded = 0

    init() {
        indices = .allocate(capacity: 1024)
    }

    deinit {
        chunk.deallocate()
        page.deallocate()
        indices.deallocate()
    }

    /// At least `count` bytes for a column chunk, contents undefined; valid until the next call.
    func chunkBuffer(_ count: Int) -> UnsafeMutableRawBufferPointer {
        Self.grow(&chunk, to: count)
        return UnsafeMutableRawBufferPointer(rebasing: chunk[0..<count])
    }

    /// At least `count` bytes for a decompressed page, contents undefined; valid until the next call.
    func pageBuffer(_ count: Int) -> UnsafeMutableRawBufferPointer {
        Self.grow(&page, to: count)
        return UnsafeMutableRawBufferPointer(rebasing: page[0..<count])
    }

    private static func grow(_ b: inout UnsafeMutableRawBufferPointer, to count: Int) {
        guard count > b.count else { return }
        b.deallocate()
        // Some headroom, so a slightly larger next page does not reallocate.
        b = .allocate(byteCount: Swift.max(count, b.count + b.count / 2, 64), alignment: 16)
    }
}
