// Page compression for the writer.

import CBrotli
import CLZ4
import CSnappy
import CZlib
import CZstd

extension CompressionCodec {
    /// Compresses one page.
    /// - Throws: `CorruptData` (carrying the library's complaint) if the library fails.
    func compress(_ src: [UInt8], level: Int32) throws -> [UInt8] {
        switch self {
        case .uncompressed:
            return src
        case .snappy:
            var n = snappy_max_compressed_length(src.count)
            var out = [UInt8](repeating: 0, count: n)
            let ok = src.withUnsafeBytes { s in
                out.withUnsafeMutableBytes { d in
                    snappy_compress((s.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self), src.count,
                                    d.baseAddress!.assumingMemoryBound(to: CChar.self), &n)
                }
            }
            guard ok == SNAPPY_OK else { throw CorruptData("snappy could not compress a page") }
            out.removeLast(out.count - n)
            return out
        case .zstd:
            let bound = ZSTD_compressBound(src.count)
            var out = [UInt8](repeating: 0, count: bound)
            let r = src.withUnsafeBytes { s in
                out.withUnsafeMutableBytes { d in ZSTD_compress(d.baseAddress!, bound, s.baseAddress, src.count, level) }
            }
            guard ZSTD_isError(r) == 0 else { throw CorruptData("zstd could not compress a page") }
            out.removeLast(out.count - r)
            return out
        case .gzip:
            var stream = z_stream()
            guard deflateInit2_(&stream, level, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
                                Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw CorruptData("zlib could not start") }
            defer { deflateEnd(&stream) }
            let bound = Int(deflateBound(&stream, uLong(src.count)))
            var out = [UInt8](repeating: 0, count: bound)
            let r: Int32 = src.withUnsafeBytes { s in
                out.withUnsafeMutableBytes { d in
                    stream.next_in = UnsafeMutablePointer(mutating: (s.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!).assumingMemoryBound(to: Bytef.self))
                    stream.avail_in = uInt(src.count)
                    stream.next_out = d.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(bound)
                    return deflate(&stream, Z_FINISH)
                }
            }
            guard r == Z_STREAM_END else { throw CorruptData("zlib could not compress a page") }
            out.removeLast(Int(stream.avail_out))
            return out
        case .lz4Raw:
            let bound = Int(LZ4_compressBound(Int32(src.count)))
            var out = [UInt8](repeating: 0, count: bound)
            let r = src.withUnsafeBytes { s in
                out.withUnsafeMutableBytes { d in
                    LZ4_compress_default((s.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self),
                                         d.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(src.count), Int32(bound))
                }
            }
            guard r > 0 || src.isEmpty else { throw CorruptData("lz4 could not compress a page") }
            out.removeLast(out.count - Int(r))
            return out
        case .brotli:
            var n = BrotliEncoderMaxCompressedSize(src.count)
            if n == 0 { n = src.count + 1024 }
            var out = [UInt8](repeating: 0, count: n)
            let ok = src.withUnsafeBytes { s in
                out.withUnsafeMutableBytes { d in
                    BrotliEncoderCompress(level, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_GENERIC, src.count,
                                          s.baseAddress?.assumingMemoryBound(to: UInt8.self), &n,
                                          d.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
            }
            guard ok != 0 else { throw CorruptData("brotli could not compress a page") }
            out.removeLast(out.count - n)
            return out
        case .lz4, .lzo:
            throw CorruptData("Tessera does not write the deprecated \(self) codec")
        }
    }
}
