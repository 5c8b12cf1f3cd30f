import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Plain-file access for stores: whole objects, byte ranges (`pread`, so tasks share nothing),
/// and writes through a temporary name and a rename.
enum StoreFiles {
    /// Runs `body` with the bytes of the file at `path`, read into a buffer from `buffers`, or
    /// returns nil when the file does not exist (a missing chunk).
    /// - Throws: `CodecError` when the file exists but cannot be read; what `body` throws.
    static func withContents<R>(_ path: String, buffers: ScratchBuffers, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        try withOpenFile(path) { fd, size in
            try buffers.withBuffer(size) { buffer in
                try read(fd: fd, offset: 0, into: buffer, path: path)
                return try body(UnsafeRawBufferPointer(buffer))
            }
        }
    }

    /// Runs `body` with the open file at `path` and its size, or returns nil when it does not
    /// exist.
    private static func withOpenFile<R>(_ path: String, _ body: (Int32, Int) throws -> R) throws -> R? {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw CodecError("cannot open \(path) (errno \(errno))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw CodecError("cannot stat \(path) (errno \(errno))") }
        return try body(fd, Int(st.st_size))
    }

    /// The size of the file at `path`, or nil when it does not exist.
    static func size(_ path: String) throws -> Int? {
        var st = stat()
        if stat(path, &st) != 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw CodecError("cannot stat \(path) (errno \(errno))")
        }
        return Int(st.st_size)
    }

    /// `count` bytes at `offset` of the open file `fd`.
    /// - Throws: `CodecError` when the file ends first.
    static func read(fd: Int32, offset: Int, count: Int, path: String) throws -> [UInt8] {
        if count == 0 { return [] }  // an empty uninitialized array would write the shared empty storage
        return try [UInt8](unsafeUninitializedCapacity: count) { buf, initialized in
            try read(fd: fd, offset: offset, into: UnsafeMutableRawBufferPointer(buf), path: path)
            initialized = count
        }
    }

    /// Fills `dst` with the bytes at `offset` of the open file `fd`.
    /// - Throws: `CodecError` when the file ends first.
    static func read(fd: Int32, offset: Int, into dst: UnsafeMutableRawBufferPointer, path: String) throws {
        var done = 0
        while done < dst.count {
            let n = pread(fd, dst.baseAddress! + done, dst.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw CodecError("truncated: \(path) ends before byte \(offset + dst.count)") }
            done += n
        }
    }

    /// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
    /// reader never sees a partial chunk under its final name.
    static func atomicWrite(_ path: String, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try atomicWrite(path, $0) }
    }

    /// Writes `raw` to `path` through a temporary file in the same folder and a rename (no
    /// fsync: like zarr-python, a chunk is durable when the kernel flushes it; the rename only
    /// keeps readers from seeing a partial chunk).
    static func atomicWrite(_ path: String, _ raw: UnsafeRawBufferPointer) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let tmp = (dir as NSString).appendingPathComponent(".\((path as NSString).lastPathComponent).tmp-\(UUID().uuidString)")
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw CodecError("cannot create \(tmp) (errno \(errno))") }
        var ok = true
        var done = 0
        while done < raw.count {
            let n = write(fd, raw.baseAddress! + done, raw.count - done)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { ok = false; break }
            done += n
        }
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            unlink(tmp)
            throw CodecError("cannot write \(path) (errno \(errno))")
        }
    }
}
