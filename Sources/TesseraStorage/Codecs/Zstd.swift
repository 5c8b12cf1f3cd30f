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

    /// The most bytes one frame of `count` input bytes can take.
    static func compressBound(_ count: Int) -> Int { ZSTD_compressBound(count) }

    /// Decompresses a frame of exactly `dst.count` bytes straight into `dst`, with a context
    /// from `contexts`.
    /// - Throws: `CodecError` for a corrupt frame or one of another size.
    static func decompress(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer, contexts: ZstdContexts) throws {
        guard let base = src.baseAddress, src.count > 0 else { throw CodecError("zstd: empty input") }
        let size = ZSTD_getFrameContentSize(base, src.count)
        if size == ZSTD_CONTENTSIZE_ERROR { throw CodecError("zstd: not a zstd frame (bad magic or header)") }
        if size != ZSTD_CONTENTSIZE_UNKNOWN && size != UInt64(dst.count) {
            throw CodecError("decoded to \(size) bytes, expected \(dst.count) bytes (zstd frame header)")
        }
        let n = try contexts.withDecompressor { ZSTD_decompressDCtx($0, dst.baseAddress, dst.count, base, src.count) }
        if ZSTD_isError(n) != 0 { throw CodecError("zstd: \(String(cString: ZSTD_getErrorName(n)))") }
        guard n == dst.count else { throw CodecError("decoded to \(n) bytes, expected \(dst.count) bytes") }
    }

    /// Compresses `src` into one frame that records its content size, written to `dst` (at
    /// least `compressBound(src.count)` bytes), with a context from `contexts`.
    /// - Returns: the frame's size.
    /// - Throws: `CodecError` when zstd fails.
    static func compress(_ src: UnsafeRawBufferPointer, level: Int, into dst: UnsafeMutableRawBufferPointer, contexts: ZstdContexts) throws -> Int {
        let n = try contexts.withCompressor { ZSTD_compressCCtx($0, dst.baseAddress, dst.count, src.baseAddress, src.count, Int32(level)) }
        if ZSTD_isError(n) != 0 { throw CodecError("zstd: \(String(cString: ZSTD_getErrorName(n)))") }
        return n
    }

    /// Compresses `src` into one frame that records its content size.
    /// The output buffer is left uninitialised (zstd writes every byte it reports): zero-filling
    /// a chunk-sized buffer first cost a page-faulting pass over memory per chunk.
    static func compress(_ src: UnsafeRawBufferPointer, level: Int, contexts: ZstdContexts) throws -> [UInt8] {
        var failure: CodecError? = nil
        let out = [UInt8](unsafeUninitializedCapacity: compressBound(src.count)) { buf, initialized in
            do { initialized = try compress(src, level: level, into: UnsafeMutableRawBufferPointer(buf), contexts: contexts) } catch {
                failure = error as? CodecError
                initialized = 0
            }
        }
        if let failure { throw failure }
        return out
    }
}

/// Zstandard compression and decompression contexts reused from chunk to chunk by one array's
/// tasks. `ZSTD_compress` and `ZSTD_decompress` allocate a context per call (about 1 MB at
/// level 3 for a chunk of megabytes), which glibc returned to the kernel and faulted in again
/// per chunk.
final class ZstdContexts: Sendable {
    private let compressors = ReusePool<OpaquePointer> { ZSTD_freeCCtx($0) }
    private let decompressors = ReusePool<OpaquePointer> { ZSTD_freeDCtx($0) }

    /// Runs `body` with a compression context of its own.
    /// - Throws: `CodecError` when no context can be made.
    func withCompressor<R>(_ body: (OpaquePointer) throws -> R) throws -> R {
        guard let c = compressors.take(where: { _ in true }) ?? ZSTD_createCCtx() else { throw CodecError("zstd: out of memory") }
        defer { compressors.give(back: c) }
        return try body(c)
    }

    /// Runs `body` with a decompression context of its own.
    /// - Throws: `CodecError` when no context can be made.
    func withDecompressor<R>(_ body: (OpaquePointer) throws -> R) throws -> R {
        guard let d = decompressors.take(where: { _ in true }) ?? ZSTD_createDCtx() else { throw CodecError("zstd: out of memory") }
        defer { decompressors.give(back: d) }
        return try body(d)
    }
}
