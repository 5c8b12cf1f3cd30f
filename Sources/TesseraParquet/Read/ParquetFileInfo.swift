// Opening a file: the last eight bytes give the footer's length and the magic `PAR1`; the
// footer is read with one pread and decoded once, when the frame is built. Tasks later open
// the file again and pread exactly the column chunks they need.

#if canImport(Glibc)
import Glibc
#endif

/// A Parquet file's decoded footer and flat columns.
struct ParquetFileInfo: Sendable {
    let path: String
    let size: Int64
    let metadata: FileMetadata
    let schema: FlatSchema

    /// Reads and decodes the footer of `path`.
    /// - Throws: `ParquetError` for an unreadable file, wrong magic bytes, a footer length past
    ///   the file, or corrupt footer Thrift.
    init(path: String) throws {
        self.path = path
        let file = try ReadOnlyFile(path: path)
        size = file.size
        guard size >= 12 else {
            throw ParquetError(path: path, message: "\(size) bytes is too short for a Parquet file (truncated?)")
        }
        let tail = try file.read(at: size - 8, count: 8)
        guard tail[4...] == [0x50, 0x41, 0x52, 0x31] else {
            if tail[4...] == [0x50, 0x41, 0x52, 0x45] {
                throw ParquetError(path: path, message: "the footer is encrypted (PARE); encrypted files are not supported")
            }
            throw ParquetError(path: path, message: "not a Parquet file (the last four bytes are not PAR1; truncated or another format)")
        }
        let head = try file.read(at: 0, count: 4)
        guard head == [0x50, 0x41, 0x52, 0x31] else {
            throw ParquetError(path: path, message: "not a Parquet file (it does not start with PAR1)")
        }
        let footerLength = Int64(UInt32(tail[0]) | UInt32(tail[1]) << 8 | UInt32(tail[2]) << 16 | UInt32(tail[3]) << 24)
        guard footerLength > 0, footerLength <= size - 12 else {
            throw ParquetError(path: path, message: "footer length \(footerLength) runs past the start of the file (\(size) bytes; truncated?)")
        }
        let footer = try file.read(at: size - 8 - footerLength, count: Int(footerLength))
        let path = path, size = self.size
        (metadata, schema) = try ParquetError.locating(path: path) {
            let s = try footer.withUnsafeBytes { try ThriftStruct.decode($0).0 }
            let m = try FileMetadata(s)
            let flat = try FlatSchema(m.schema)
            for (g, group) in m.rowGroups.enumerated() {
                guard group.columns.count == flat.leafCount else {
                    throw CorruptData("row group \(g) has \(group.columns.count) column chunks for \(flat.leafCount) schema leaves")
                }
                guard group.rowCount >= 0 else { throw CorruptData("row group \(g) has a negative row count") }
                for c in group.columns where c.byteRange.upperBound > size - 8 - footerLength || c.totalCompressedSize > Int32.max {
                    throw CorruptData("row group \(g), column '\(c.path.joined(separator: "."))': its bytes run past the data")
                }
            }
            return (m, flat)
        }
    }
}

/// A file open for pread; closed when the value goes away.
final class ReadOnlyFile {
    let path: String
    private let fd: Int32
    let size: Int64

    init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ParquetError(path: path, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw ParquetError(path: path, message: "cannot stat: \(String(cString: strerror(errno)))")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ParquetError(path: path, message: "is a directory")
        }
        size = Int64(st.st_size)
    }

    deinit { close(fd) }

    /// Exactly `count` bytes at `offset`.
    /// - Throws: `ParquetError` when the file is shorter or the read fails.
    func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        var out: [UInt8] = uninitializedArray(count)
        try out.withUnsafeMutableBytes { try read(at: offset, into: $0) }
        return out
    }

    /// Fills `buffer` with the bytes at `offset` (one pread, repeated only when the kernel
    /// returns fewer bytes).
    /// - Throws: `ParquetError` when the file is shorter or the read fails.
    func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws {
        let count = buffer.count
        var done = 0
        while done < count {
            let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw ParquetError(path: path, message: n == 0 ? "ends at byte \(offset + Int64(done)), \(count - done) bytes early (truncated?)"
                                                           : "read failed: \(String(cString: strerror(errno)))")
            }
            done += n
        }
    }
}
