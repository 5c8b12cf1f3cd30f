@_spi(TesseraStorage) import TesseraArray

/// Decoding and encoding one chunk through a codec pipeline: bytes-to-bytes codecs undone in
/// reverse order, the `bytes` codec's elements converted to the caller's type, then the
/// array-to-array codecs (`transpose`) undone. Encoding runs the same steps forwards.
enum ZarrPipeline {
    /// Decodes a stored chunk of `shape` into an array of `T`.
    /// - Throws: `CodecError` for a corrupt chunk or one of the wrong decoded size.
    static func decode<T: ArrayScalar>(_ stored: UnsafeRawBufferPointer, codecs: [ZarrCodec], shape: [Int], dtype: ZarrDataType,
                                       zstd: ZstdContexts) throws -> NDArray<T> {
        try NDArray<T>(shape: shape) { try decode(stored, codecs: codecs, shape: shape, dtype: dtype, zstd: zstd, into: $0) }
    }

    /// Decodes a stored chunk of `shape` into `out` (`shape`'s element count, row-major).
    /// - Throws: `CodecError` for a corrupt chunk or one of the wrong decoded size.
    static func decode<T: ArrayScalar>(_ stored: UnsafeRawBufferPointer, codecs: [ZarrCodec], shape: [Int], dtype: ZarrDataType,
                                       zstd: ZstdContexts, into out: UnsafeMutableBufferPointer<T>) throws {
        let a2a = codecs.prefix { $0.isArrayToArray }
        let a2b = codecs[a2a.count]
        let b2b = codecs.dropFirst(a2a.count + 1)
        var encodedShape = shape
        for case .transpose(let order) in a2a { encodedShape = order.map { encodedShape[$0] } }
        let expected = encodedShape.reduce(dtype.size, *)
        // The common case, one compressor over native elements, decompresses straight into the
        // block's memory: no intermediate buffer, no copy. (Bool is excluded: a stored byte
        // other than 0 or 1 must still read as true.)
        var native = dtype, plainBytes = false
        if case .bytes(let big) = a2b {
            native.bigEndian = big && dtype.size > 1
            plainBytes = true
        }
        if a2a.isEmpty, b2b.count == 1, plainBytes, T.dtype != .bool, native.isNative(T.self) {
            let codec = b2b.first!
            let dst = UnsafeMutableRawBufferPointer(out)
            switch codec {
            case .zstd, .blosc:
                // Check the size the header declares before decoding into the block.
                let declared = Self.declaredSize(codec, stored)
                if let declared, declared != expected {
                    throw CodecError("decoded to \(declared) bytes, expected \(expected) bytes (\(shape.reduce(1, *)) elements of \(dtype.v3Name))")
                }
                guard declared != nil else { break }
                if case .zstd = codec { try Zstd.decompress(stored, into: dst, contexts: zstd) } else { try Blosc.decompress(stored, into: dst) }
                return
            case .gzip, .zlib:
                // No size in the header, but the chunk's is known: a whole-buffer inflate.
                try Deflate.decompress(stored, into: dst)
                return
            default: break
            }
        }
        var buf = Array(stored)
        for codec in b2b.reversed() { buf = try decodeBytes(codec, buf, limit: expected + 4 * b2b.count + 64) }
        guard case .bytes(let big) = a2b else { throw CodecError("sharding_indexed inside a shard is not supported") }
        guard buf.count == expected else {
            throw CodecError("decoded to \(buf.count) bytes, expected \(expected) bytes (\(encodedShape.reduce(1, *)) elements of \(dtype.v3Name))")
        }
        var dt = dtype
        dt.bigEndian = big && dtype.size > 1
        if a2a.isEmpty {
            buf.withUnsafeBytes { raw in if let base = raw.baseAddress, let dst = out.baseAddress { dt.convert(base, count: out.count, into: dst) } }
            return
        }
        var arr = NDArray<T>(shape: encodedShape) { out in
            buf.withUnsafeBytes { raw in if let base = raw.baseAddress, !out.isEmpty { dt.convert(base, count: out.count, into: out.baseAddress!) } }
        }
        for case .transpose(let order) in a2a.reversed() {
            var inverse = order
            for (i, o) in order.enumerated() { inverse[o] = i }
            arr = permuted(arr, inverse)
        }
        arr.withUnsafeBufferPointer { src in if let s = src.baseAddress, let d = out.baseAddress { d.initialize(from: s, count: out.count) } }
    }

    /// Encodes a chunk (already of the full chunk shape) and hands its bytes to `body`. The one
    /// common case, native elements and one zstd compressor, compresses straight from the
    /// block's memory into a buffer from `buffers` with a context from `zstd`: no copy of the
    /// chunk and no per-chunk allocation; `body` writes them out before the buffer is reused.
    /// - Throws: `CodecError` when a codec fails, or what `body` throws.
    static func withEncoded<T: ArrayScalar, R>(_ chunk: NDArray<T>, codecs: [ZarrCodec], buffers: ScratchBuffers, zstd: ZstdContexts,
                                               _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        if codecs.count == 2, case .bytes(let big) = codecs[0], !big || T.dtype.itemSize == 1, case .zstd(let level) = codecs[1] {
            return try chunk.withUnsafeBufferPointer { elements in
                let src = UnsafeRawBufferPointer(elements)
                return try buffers.withBuffer(Zstd.compressBound(src.count)) { out in
                    let n = try Zstd.compress(src, level: level, into: out, contexts: zstd)
                    return try body(UnsafeRawBufferPointer(rebasing: out[..<n]))
                }
            }
        }
        return try encode(chunk, codecs: codecs, zstd: zstd).withUnsafeBytes(body)
    }

    /// Encodes a chunk (already of the full chunk shape) of `T`, stored as `T`'s own type.
    static func encode<T: ArrayScalar>(_ chunk: NDArray<T>, codecs: [ZarrCodec], zstd: ZstdContexts) throws -> [UInt8] {
        // Native bytes and one compressor: compress straight from the block's memory.
        if codecs.count == 2, case .bytes(let big) = codecs[0], !big || T.dtype.itemSize == 1, !codecs[1].isArrayToBytes, !codecs[1].isArrayToArray {
            return try chunk.withUnsafeBufferPointer { try encodeBytes(codecs[1], UnsafeRawBufferPointer($0), typesize: T.dtype.itemSize, zstd: zstd) }
        }
        var a = chunk
        var buf: [UInt8] = []
        for codec in codecs {
            switch codec {
            case .transpose(let order): a = permuted(a, order)
            case .bytes(let big):
                let size = T.dtype.itemSize
                buf = a.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
                if big && size > 1 {
                    for i in stride(from: 0, to: buf.count, by: size) { buf[i..<(i + size)].reverse() }
                }
            case .sharding: throw CodecError("sharding_indexed must be the array's only array-to-bytes codec")
            default: buf = try buf.withUnsafeBytes { try encodeBytes(codec, $0, typesize: T.dtype.itemSize, zstd: zstd) }
            }
        }
        return buf
    }

    /// The decoded size a zstd frame header or Blosc container header declares, if it does.
    static func declaredSize(_ codec: ZarrCodec, _ src: UnsafeRawBufferPointer) -> Int? {
        switch codec {
        case .zstd: return Zstd.declaredSize(src)
        case .blosc: return Blosc.declaredSize(src)
        default: return nil
        }
    }

    static func decodeBytes(_ codec: ZarrCodec, _ buf: [UInt8], limit: Int) throws -> [UInt8] {
        try buf.withUnsafeBytes { raw in
            switch codec {
            case .gzip, .zlib: return try Deflate.decompress(raw, limit: limit, sizeHint: limit)
            case .zstd: return try Zstd.decompress(raw, limit: limit)
            case .blosc: return try Blosc.decompress(raw, limit: limit)
            case .crc32c: return try CRC32C.strip(raw)
            default: throw CodecError("codec \(codec) is not a bytes-to-bytes codec")
            }
        }
    }

    static func encodeBytes(_ codec: ZarrCodec, _ buf: UnsafeRawBufferPointer, typesize: Int, zstd: ZstdContexts) throws -> [UInt8] {
        switch codec {
        case .gzip(let level): return try Deflate.compress(buf, level: level, gzip: true)
        case .zlib(let level): return try Deflate.compress(buf, level: level, gzip: false)
        case .zstd(let level): return try Zstd.compress(buf, level: level, contexts: zstd)
        case let .blosc(cname, level, shuffle, size):
            return try Blosc.compress(buf, cname: cname, level: level, shuffle: shuffle, typesize: size > 0 ? size : typesize)
        case .crc32c: return CRC32C.append(Array(buf))
        default: throw CodecError("codec \(codec) is not a bytes-to-bytes codec")
        }
    }
}

/// NumPy's `transpose(a, axes)` made contiguous: `out.shape[i] == a.shape[axes[i]]`.
func permuted<T: ArrayScalar>(_ a: NDArray<T>, _ axes: [Int]) -> NDArray<T> {
    if axes == Array(0..<axes.count) { return a }
    let inStrides = rowMajorStrides(a.shape)
    let outShape = axes.map { a.shape[$0] }
    let strides = axes.map { inStrides[$0] }
    return a.withUnsafeBufferPointer { src in
        NDArray<T>(shape: outShape) { out in
            guard !out.isEmpty else { return }
            var idx = [Int](repeating: 0, count: outShape.count)
            var off = 0
            for i in 0..<out.count {
                out[i] = src[off]
                var k = outShape.count - 1
                while k >= 0 {
                    idx[k] += 1
                    off += strides[k]
                    if idx[k] < outShape[k] { break }
                    off -= strides[k] * outShape[k]
                    idx[k] = 0
                    k -= 1
                }
            }
        }
    }
}
