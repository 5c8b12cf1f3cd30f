import CBlosc

/// Blosc containers (Zarr's `blosc` codec and v2 compressor), through Debian's libblosc. The
/// container records its own shuffle and inner compressor, so decoding needs no configuration.
enum Blosc {
    /// Decompresses one Blosc container, refusing one that claims more than `limit` bytes.
    /// - Throws: `CodecError` for a corrupt or truncated container.
    static func decompress(_ src: UnsafeRawBufferPointer, limit: Int) throws -> [UInt8] {
        guard let base = src.baseAddress, src.count >= 16 else { throw CodecError("blosc: truncated header (\(src.count) bytes)") }
        var nbytes = 0
        guard blosc_cbuffer_validate(base, src.count, &nbytes) == 0 else { throw CodecError("blosc: corrupt or truncated container") }
        guard nbytes <= limit else { throw CodecError("blosc: container says \(nbytes) bytes, more than the \(limit) expected") }
        var out = [UInt8](repeating: 0, count: nbytes)
        if nbytes == 0 { return out }
        // The context functions take no global lock and start no threads of their own: our
        // tasks are the parallelism.
        let n = out.withUnsafeMutableBytes { blosc_decompress_ctx(base, $0.baseAddress, nbytes, 1) }
        guard n == nbytes else { throw CodecError("blosc: corrupt container (decompression returned \(n))") }
        return out
    }

    /// The decoded size a valid container declares, or nil for an invalid one.
    static func declaredSize(_ src: UnsafeRawBufferPointer) -> Int? {
        guard let base = src.baseAddress, src.count >= 16 else { return nil }
        var nbytes = 0
        return blosc_cbuffer_validate(base, src.count, &nbytes) == 0 ? nbytes : nil
    }

    /// Decompresses a container of exactly `dst.count` bytes straight into `dst`.
    /// - Throws: `CodecError` for a corrupt container or one of another size.
    static func decompress(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer) throws {
        guard let base = src.baseAddress, src.count >= 16 else { throw CodecError("blosc: truncated header (\(src.count) bytes)") }
        var nbytes = 0
        guard blosc_cbuffer_validate(base, src.count, &nbytes) == 0 else { throw CodecError("blosc: corrupt or truncated container") }
        guard nbytes == dst.count else { throw CodecError("decoded to \(nbytes) bytes, expected \(dst.count) bytes (blosc header)") }
        if nbytes == 0 { return }
        let n = blosc_decompress_ctx(base, dst.baseAddress, nbytes, 1)
        guard n == nbytes else { throw CodecError("blosc: corrupt container (decompression returned \(n))") }
    }

    /// Compresses `src` with an inner compressor (`lz4`, `zstd`, `zlib`, `blosclz`, `lz4hc`),
    /// `shuffle` 0 (none), 1 (byte) or 2 (bit) over items of `typesize` bytes.
    static func compress(_ src: UnsafeRawBufferPointer, cname: String, level: Int, shuffle: Int, typesize: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: src.count + 16)
        let n = out.withUnsafeMutableBytes { o in
            blosc_compress_ctx(Int32(level), Int32(shuffle), typesize, src.count, src.baseAddress, o.baseAddress, o.count, cname, 0, 1)
        }
        guard n > 0 else { throw CodecError("blosc: compression with '\(cname)' failed (\(n))") }
        out.removeLast(out.count - Int(n))
        return out
    }
}
