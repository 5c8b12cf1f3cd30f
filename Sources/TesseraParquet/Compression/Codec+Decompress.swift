// Page decompression through Debian's C libraries. Every codec is told the exact size the page
// header promises, and a page that decompresses to any other size is corrupt: a lying size can
// neither over-run the output buffer nor pass unnoticed.

import CBrotli
import CLZ4
import CSnappy
import CZlib
import CZstd

extension CompressionCodec {
    /// Decompresses `src` into exactly `size` bytes of `scratch`'s page buffer (or returns `src`
    /// itself when uncompressed); the bytes stay valid until the scratch's next page.
    /// - Throws: `CorruptData` when the data is malformed or its size differs from `size`.
    func decompress(_ src: UnsafeRawBufferPointer, size: Int, scratch: ReadScratch) throws -> UnsafeRawBufferPointer {
        guard size >= 0 else { throw CorruptData("negative uncompressed page size \(size)") }
        if self == .uncompressed {
            guard src.count == size else { throw CorruptData("uncompressed page of \(src.count) bytes, header says \(size)") }
            return src
        }
        let out = scratch.pageBuffer(size)
        let produced = try decompress(src, into: out)
        guard produced == size else {
            throw CorruptData("page decompresses (\(self)) to \(produced) bytes, header says \(size)")
        }
        return UnsafeRawBufferPointer(out)
    }

    private func decompress(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer) throws -> Int {
        let srcBase = src.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        // A zero-size output still needs a valid pointer for the C APIs.
        var dummy: UInt8 = 0
        return try withUnsafeMutablePointer(to: &dummy) { dummyPtr -> Int in
            let dstBase = dst.baseAddress ?? UnsafeMutableRawPointer(dummyPtr)
            switch self {
            case .uncompressed:
                return 0
            case .snappy:
                var length = 0
                guard snappy_uncompressed_length(srcBase.assumingMemoryBound(to: CChar.self), src.count, &length) == SNAPPY_OK else {
                    throw CorruptData("malformed SNAPPY data")
                }
                guard length == dst.count else { return length }
                var outLength = dst.count
                guard snappy_uncompress(srcBase.assumingMemoryBound(to: CChar.self), src.count,
                                        dstBase.assumingMemoryBound(to: CChar.self), &outLength) == SNAPPY_OK else {
                    throw CorruptData("malformed SNAPPY data")
                }
                return outLength
            case .zstd:
                // Frames may follow one another; ZSTD_decompress handles all of them.
                let r = ZSTD_decompress(dstBase, dst.count, srcBase, src.count)
                if ZSTD_isError(r) != 0 {
                    throw CorruptData("malformed ZSTD data: \(String(cString: ZSTD_getErrorName(r)))")
                }
                return r
            case .gzip:
                return try inflateGzip(src, dstBase, dst.count)
            case .lz4Raw:
                let r = LZ4_decompress_safe(srcBase.assumingMemoryBound(to: CChar.self), dstBase.assumingMemoryBound(to: CChar.self),
                                            Int32(clamping: src.count), Int32(clamping: dst.count))
                guard r >= 0 else { throw CorruptData("malformed LZ4_RAW data") }
                return Int(r)
            case .lz4:
                return try decompressHadoopLZ4(src, dstBase, dst.count)
            case .brotli:
                var outLength = dst.count
                let r = BrotliDecoderDecompress(src.count, srcBase.assumingMemoryBound(to: UInt8.self), &outLength,
                                                dstBase.assumingMemoryBound(to: UInt8.self))
                guard r == BROTLI_DECODER_RESULT_SUCCESS else { throw CorruptData("malformed BROTLI data (or larger than the header says)") }
                return outLength
            case .lzo:
                throw CorruptData("the LZO codec is not supported")
            }
        }
    }
}

/// Inflates gzip (or zlib) data, following concatenated members.
private func inflateGzip(_ src: UnsafeRawBufferPointer, _ dst: UnsafeMutableRawPointer, _ capacity: Int) throws -> Int {
    var stream = z_stream()
    // 32 + MAX_WBITS: detect a gzip or zlib header.
    guard inflateInit2_(&stream, 32 + 15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
        throw CorruptData("zlib could not start")
    }
    defer { inflateEnd(&stream) }
    stream.next_in = UnsafeMutablePointer(mutating: (src.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!).assumingMemoryBound(to: Bytef.self))
    stream.avail_in = uInt(src.count)
    stream.next_out = dst.assumingMemoryBound(to: Bytef.self)
    stream.avail_out = uInt(capacity)
    while true {
        let r = inflate(&stream, Z_NO_FLUSH)
        if r == Z_STREAM_END {
            if stream.avail_in > 0 && stream.avail_out > 0 {
                guard inflateReset(&stream) == Z_OK else { throw CorruptData("malformed GZIP data") }
                continue
            }
            if stream.avail_in > 0 { throw CorruptData("GZIP data larger than the header says") }
            return capacity - Int(stream.avail_out)
        }
        if r == Z_OK {
            if stream.avail_out == 0 { throw CorruptData("GZIP data larger than the header says") }
            continue
        }
        if r == Z_BUF_ERROR && stream.avail_in == 0 { throw CorruptData("GZIP data ends early") }
        throw CorruptData("malformed GZIP data (zlib error \(r))")
    }
}

/// The legacy LZ4 codec: Hadoop's framing (big-endian uncompressed and compressed sizes before
/// each block); some old writers wrote raw LZ4 blocks instead, which is tried when the framing
/// does not fit, as Arrow does.
private func decompressHadoopLZ4(_ src: UnsafeRawBufferPointer, _ dst: UnsafeMutableRawPointer, _ capacity: Int) throws -> Int {
    func be32(_ at: Int) -> Int {
        Int(src[at]) << 24 | Int(src[at + 1]) << 16 | Int(src[at + 2]) << 8 | Int(src[at + 3])
    }
    var inPos = 0, outPos = 0
    var framed = true
    while inPos < src.count {
        guard src.count - inPos >= 8 else { framed = false; break }
        let rawSize = be32(inPos), compSize = be32(inPos + 4)
        guard compSize <= src.count - inPos - 8, rawSize <= capacity - outPos else { framed = false; break }
        let r = LZ4_decompress_safe((src.baseAddress! + inPos + 8).assumingMemoryBound(to: CChar.self),
                                    (dst + outPos).assumingMemoryBound(to: CChar.self), Int32(compSize), Int32(rawSize))
        guard r == Int32(rawSize) else { framed = false; break }
        inPos += 8 + compSize
        outPos += rawSize
    }
    if framed { return outPos }
    let r = LZ4_decompress_safe((src.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!).assumingMemoryBound(to: CChar.self),
                                dst.assumingMemoryBound(to: CChar.self), Int32(clamping: src.count), Int32(clamping: capacity))
    guard r >= 0 else { throw CorruptData("malformed LZ4 data (neither Hadoop-framed nor raw)") }
    return Int(r)
}

/// The CRC-32 of page data (the checksum the page header's `crc` field holds).
func crc32Checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    guard let base = bytes.baseAddress else { return 0 }
    return UInt32(crc32(0, base.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
}
