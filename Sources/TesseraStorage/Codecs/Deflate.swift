import CLibDeflate
import CZlib

/// Deflate streams in a gzip or zlib wrapper (Zarr's `gzip` codec, its v2 `zlib` and `gzip`
/// compressors, HDF5's deflate filter), through Debian's zlib, and through libdeflate when the
/// decoded size is known: a whole-buffer inflate with no streaming state runs about twice as
/// fast as zlib's, and its Adler-32 is vectorised (zlib's took a fifth of `hdf5-sum`'s time).
enum Deflate {
    /// Inflates a gzip or zlib stream of exactly `dst.count` decoded bytes straight into `dst`.
    /// A gzip stream may hold several members one after another (gzip's own format allows it;
    /// zarr-python and h5py write one): they decode one after another, as `gzip -d` does.
    /// - Throws: `CodecError` for a corrupt stream or one that decodes to another size.
    static func decompress(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer) throws {
        guard let base = src.baseAddress, src.count > 2 else { throw CodecError("deflate: empty or truncated input") }
        guard let d = libdeflate_alloc_decompressor() else { throw CodecError("deflate: out of memory") }
        defer { libdeflate_free_decompressor(d) }
        let gzip = src[0] == 0x1F && src[1] == 0x8B
        var inAt = 0, outAt = 0
        while true {
            var consumed = 0, produced = 0
            let out = dst.baseAddress.map { $0 + outAt }
            let r = gzip
                ? libdeflate_gzip_decompress_ex(d, base + inAt, src.count - inAt, out, dst.count - outAt, &consumed, &produced)
                : libdeflate_zlib_decompress_ex(d, base + inAt, src.count - inAt, out, dst.count - outAt, &consumed, &produced)
            switch r {
            case LIBDEFLATE_SUCCESS: break
            case LIBDEFLATE_INSUFFICIENT_SPACE: throw CodecError("decodes to more than the \(dst.count) bytes expected")
            default: throw CodecError("deflate: corrupt stream (or a bad \(gzip ? "CRC-32" : "Adler-32") checksum)")
            }
            inAt += consumed
            outAt += produced
            if !gzip || inAt == src.count { break }
            guard consumed > 0, src.count - inAt > 2, src[inAt] == 0x1F, src[inAt + 1] == 0x8B else {
                throw CodecError("deflate: \(src.count - inAt) bytes after the end of the gzip stream")
            }
        }
        guard outAt == dst.count else { throw CodecError("decoded to \(outAt) bytes, expected \(dst.count) bytes") }
    }

    /// Inflates a gzip or zlib stream (zlib detects which from the header).
    /// - Throws: `CodecError` for corrupt or truncated input, or output larger than `limit`.
    static func decompress(_ src: UnsafeRawBufferPointer, limit: Int, sizeHint: Int? = nil) throws -> [UInt8] {
        guard src.baseAddress != nil, src.count > 0 else { throw CodecError("deflate: empty input") }
        guard src.count < Int(UInt32.max) else { throw CodecError("deflate: input over 4 GiB") }
        var s = z_stream()
        // windowBits 15 + 32: accept both the zlib and the gzip header.
        guard inflateInit2_(&s, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CodecError("zlib: cannot initialise inflate")
        }
        defer { inflateEnd(&s) }
        var out = [UInt8](repeating: 0, count: Swift.max(1, Swift.min(limit, sizeHint ?? 1 << 16)) + 1)
        var produced = 0
        var status: Int32 = Z_OK
        var consumed = 0
        while true {
            status = out.withUnsafeMutableBytes { o -> Int32 in
                s.next_in = UnsafeMutablePointer(mutating: src.baseAddress!.assumingMemoryBound(to: UInt8.self) + consumed)
                s.avail_in = UInt32(src.count - consumed)
                s.next_out = o.baseAddress!.assumingMemoryBound(to: UInt8.self) + produced
                s.avail_out = UInt32(o.count - produced)
                let r = inflate(&s, Z_NO_FLUSH)
                produced = o.count - Int(s.avail_out)
                consumed = src.count - Int(s.avail_in)
                return r
            }
            if produced > limit { throw CodecError("deflate: output exceeds the \(limit) bytes expected") }
            if status == Z_STREAM_END { break }
            guard status == Z_OK || status == Z_BUF_ERROR else {
                throw CodecError("deflate: corrupt stream (\(s.msg.map { String(cString: $0) } ?? "zlib error \(status)"))")
            }
            if produced == out.count {
                out.append(contentsOf: repeatElement(0, count: Swift.min(out.count, limit + 1)))
            } else if consumed == src.count {
                throw CodecError("deflate: truncated stream")
            }
        }
        out.removeLast(out.count - produced)
        return out
    }

    /// Deflates `src` with a gzip header (`gzip: true`) or a zlib header.
    static func compress(_ src: UnsafeRawBufferPointer, level: Int, gzip: Bool) throws -> [UInt8] {
        guard src.count < Int(UInt32.max) else { throw CodecError("deflate: input over 4 GiB") }
        var s = z_stream()
        guard deflateInit2_(&s, Int32(level), Z_DEFLATED, gzip ? 15 + 16 : 15, 8, Z_DEFAULT_STRATEGY,
                            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CodecError("zlib: cannot initialise deflate at level \(level)")
        }
        defer { deflateEnd(&s) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&s, UInt(src.count))) + 32)
        let status = out.withUnsafeMutableBytes { o -> Int32 in
            s.next_in = UnsafeMutablePointer(mutating: src.baseAddress?.assumingMemoryBound(to: UInt8.self))
            s.avail_in = UInt32(src.count)
            s.next_out = o.baseAddress!.assumingMemoryBound(to: UInt8.self)
            s.avail_out = UInt32(o.count)
            return deflate(&s, Z_FINISH)
        }
        guard status == Z_STREAM_END else { throw CodecError("zlib: deflate failed (\(status))") }
        out.removeLast(Int(s.avail_out))
        return out
    }
}
