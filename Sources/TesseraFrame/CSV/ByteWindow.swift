// Streaming a partition's bytes through one small buffer.
//
// A partition is parsed a window at a time (1 MiB by default) instead of being read whole: the
// window is reused for the partition's whole range, so a task holds one small buffer rather than
// its 64 MiB block; the bytes a `pread` just copied are still in the L2 cache when the tokenizer
// reads them; and the buffer comes from the heap, not from fresh zeroed pages (faulting in a
// new 64 MiB mapping per partition cost about a sixth of parsing time, all of it system time).

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A byte range of a file, seen through a reusable buffer that slides forward.
///
/// The buffer holds the file's bytes `[offset, offset + length)`, followed by the tokenizer's
/// sentinels (LF, quote) and zero padding for unaligned 8-byte loads. A CR that ends the buffer
/// while the range goes on is held back to the next window, so a CRLF is never cut in two.
final class ByteWindow {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// File offset of `base[0]`.
    private(set) var offset: Int
    /// Usable bytes in the buffer (a held-back CR is past them).
    private(set) var length = 0
    /// Bytes read into the buffer (`length`, or one more when a CR is held back).
    private var filled = 0
    /// End of the range (exclusive).
    let end: Int
    let path: String
    private let fd: Int32
    private let quote: UInt8
    static let padding = 16

    /// Opens `path` and reads the first window of `[start, end)`.
    /// - Throws: `CSVError.unreadable` naming the file and the system's reason.
    init(path: String, start: Int, end: Int, quote: UInt8, capacity: Int = 1 << 20) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        self.fd = fd
        self.path = path
        self.end = end
        self.quote = quote
        offset = start
        self.capacity = Swift.max(64, Swift.min(capacity, Swift.max(end - start, 0)))
        base = .allocate(capacity: self.capacity + ByteWindow.padding)
        try fill()
    }

    deinit {
        close(fd)
        base.deallocate()
    }

    /// Whether the buffer holds the range's last byte.
    var atEnd: Bool { offset + length == end }

    /// Drops the first `consumed` bytes, moves the rest to the front and reads more after them.
    /// A window none of which could be consumed (a row longer than the buffer) doubles.
    /// - Throws: `CSVError.unreadable`.
    func advance(consumed: Int) throws {
        precondition(consumed <= length, "consumed past the window")
        if filled > length { base[length] = 13 }  // the held-back CR, under the LF sentinel
        let kept = filled - consumed
        if consumed == 0 {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2 + ByteWindow.padding)
            bigger.update(from: base, count: kept)
            base.deallocate()
            base = bigger
            capacity *= 2
        } else if kept > 0 {
            base.update(from: base + consumed, count: kept)
        }
        offset += consumed
        filled = kept
        try fill()
    }

    /// Reads until the buffer is full or the range ends, then places the sentinels.
    private func fill() throws {
        let want = Swift.min(capacity, end - offset)
        while filled < want {
            let r = pread(fd, base + filled, want - filled, off_t(offset + filled))
            if r < 0 {
                if errno == EINTR { continue }
                throw CSVError.unreadable(file: path, reason: String(cString: strerror(errno)))
            }
            if r == 0 { throw CSVError.unreadable(file: path, reason: "file shrank while reading (expected \(offset + want) bytes)") }
            filled += r
        }
        length = filled
        if length > 0 && offset + length < end && base[length - 1] == 13 { length -= 1 }
        base[length] = 10
        base[length + 1] = quote
        (base + length + 2).initialize(repeating: 0, count: ByteWindow.padding - 2)
    }
}
