import CZstd

/// Zstandard frames (Zarr's `zstd` codec and compressor), through Debian's libzstd.
enum Zstd {
    /// Decompresses one or more frames. `expected` bounds the output when the frame header does
    /// not record its size (streamed frames), so a corrupt header cannot make us allocate without
    /// limit.
    /// - Throws: `CodecError` for corrupt or truncated input, or output larger than `limit`.
    static func decompress(_ src: UnsafeRawBufferPointer, limit: Int) throws -> [UInt8] {
        guard let base = src.baseAddress, src.count > 0 else { throw CodecError("zstd: empty input") }
        let size = ZSTD_getFrameContentSize(base, src.count)
        if size == ZSTD_CONTENTSIZE_ERROR { throw CodecError("zstd: not a zstd frame (bad magic or header)") }
        if size != ZSTD_CONTENTSIZE_UNKNOWN {
            guard size <= UInt64(limit) else { throw CodecError("zstd: frame says \(size) bytes, more than the \(limit) expected") }
            var out = [UInt8](repeating: 0, count: Int(size))
            let n = out.withUnsafeMutableBytes { ZSTD_decompress($0.baseAddress, $0.count, base, src.count) }
            if ZSTD_isError(n) != 0 { throw CodecError("zstd: \(String(cString: ZSTD_getErrorName(n)))") }
            out.removeLast(out.count - n)
            return out
        }
        return try stream(src, limit: limit)
    }

    private static func stream(_ src: UnsafeRawBufferPointer, limit: Int) throws -> [UInt8] {
        guard let ds = ZSTD_createDStream() else { throw CodecError("zstd: out of memory") }
        defer { ZSTD_freeDStream(ds) }
        var out = [UInt8](repeating: 0, count: Swift.min(limit, 1 << 16) + 1)
        var input = ZSTD_inBuffer(src: src.baseAddress, size: src.count, pos: 0)
        var produced = 0
        while true {
            let r = out.withUnsafeMutableBytes { o -> Int in
                var output = ZSTD_outBuffer(dst: o.baseAddress, size: o.count, pos: produced)
                let r = ZSTD_decompressStream(ds, &output, &input)
                produced = output.pos
                return r
            }
            if ZSTD_isError(r) != 0 { throw CodecError("zstd: \(String(cString: ZSTD_getErrorName(r)))") }
            if produced > limit { throw CodecError("zstd: output exceeds the \(limit) bytes expected") }
            if r == 0 && input.pos == input.size { break }
            if produced == out.count { out.append(contentsOf: repeatElement(0, count: Swift.min(out.count, limit + 1 - out.count + 1))) }
            else if input.pos == input.size && r != 0 { throw CodecError("zstd: truncated frame") }
        }
        out.removeLast(out.count - produced)
        return out
    }

    /// The content size a frame header records, or nil when it records none (or is no frame).
    static func declaredSize(_ src: UnsafeRawBufferPointer) -> Int? {
        guard let base = src.baseAddress, src.count > 0 else { return nil }
        let size = ZSTD_getFrameContentSize(base, src.count)
        return size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > UInt64(Int.max) ? nil : Int(size)
    }

    /// Decompresses a frame of exactly `dst.count` bytes straight into `dst`.
    /// - Throws: `CodecError` for a corrupt frame or one of another size.
    static func decompress(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer) throws {
        guard let base = src.baseAddress, src.count > 0 else { throw CodecError("zstd: empty input") }
        let size = ZSTD_getFrameContentSize(base, src.count)
        if size == ZSTD_CONTENTSIZE_ERROR { throw CodecError("zstd: not a zstd frame (bad magic or header)") }
        if size != ZSTD_CONTENTSIZE_UNKNOWN && size != UInt64(dst.count) {
            throw CodecError("decoded to \(size) bytes, expected \(dst.count) bytes (zstd frame header)")
        }
        let n = ZSTD_decompress(dst.baseAddress, dst.count, base, src.count)
        if ZSTD_isError(n) != 0 { throw CodecError("zstd: \(String(cString: ZSTD_getErrorName(n)))") }
        guard n == dst.count else { throw CodecError("decoded to \(n) bytes, expected \(dst.count) bytes") }
    }

    /// Compresses `src` into one frame that records its content size.
    /// The output buffer is left uninitialised (zstd writes every byte it reports): zero-filling
    /// a chunk-sized buffer first cost a page-faulting pass over memory per chunk.
    static func compress(_ src: UnsafeRawBufferPointer, level: Int) throws -> [UInt8] {
        var failure: Int? = nil
        let out = [UInt8](unsafeUninitializedCapacity: ZSTD_compressBound(src.count)) { buf, initialized in
            let n = ZSTD_compress(buf.baseAddress, buf.count, src.baseAddress, src.count, Int32(level))
            if ZSTD_isError(n) != 0 { failure = n; initialized = 0 } else { initialized = n }
        }
        if let failure { throw CodecError("zstd: \(String(cString: ZSTD_getErrorName(failure)))") }
        return out
    }
}
