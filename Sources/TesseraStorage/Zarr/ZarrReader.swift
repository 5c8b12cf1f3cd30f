import Foundation
@_spi(TesseraStorage) import TesseraArray
#if canImport(Glibc)
import Glibc
#endif

/// Reads any box of a Zarr array: the chunks (or, in a sharded array, the inner chunks) that
/// overlap it and nothing else. A block task of `fromZarr` is one call of `readBox`.
struct ZarrReader: Sendable {
    let meta: ZarrMetadata
    /// Stored chunk bytes and zstd contexts, reused from chunk to chunk by the block tasks.
    let buffers = ScratchBuffers()
    let zstd = ZstdContexts()

    func path(_ key: String) -> String { (meta.store as NSString).appendingPathComponent(key) }

    /// The elements of the box `[origin, origin + shape)` as `T`.
    /// - Throws: `StorageError.zarr` naming the chunk key of a corrupt, truncated or wrongly
    ///   sized chunk.
    func readBox<T: ArrayScalar>(origin: [Int], shape: [Int], as _: T.Type) throws -> NDArray<T> {
        let fill = meta.fill.value(as: T.self)
        guard let sharding = meta.sharding else {
            return try assembleBox(origin: origin, shape: shape, chunkShape: meta.chunkShape, fill: fill) { c, out in
                let key = meta.key(c)
                return try wrap(key) {
                    try StoreFiles.withContents(path(key), buffers: buffers) { bytes in
                        try ZarrPipeline.decode(bytes, codecs: meta.codecs, shape: meta.chunkShape, dtype: meta.dtype, zstd: zstd, into: out)
                    } != nil
                }
            }
        }
        // Sharded: inner chunks grouped by the shard holding them, each shard's index read once.
        let rc = sharding.innerChunks
        let nd = shape.count
        if shape.contains(0) { return NDArray(shape: shape, repeating: fill) }
        let first = (0..<nd).map { origin[$0] / rc[$0] }
        let last = (0..<nd).map { (origin[$0] + shape[$0] - 1) / rc[$0] }
        let perShard = (0..<nd).map { meta.chunkShape[$0] / rc[$0] }
        var groups: [[Int]: [[Int]]] = [:]
        var order: [[Int]] = []
        forEachIndex(from: first, to: last) { c in
            let s = (0..<nd).map { c[$0] / perShard[$0] }
            if groups[s] == nil { order.append(s) }
            groups[s, default: []].append(c)
        }
        return try NDArray<T>(shape: shape) { out in
            for s in order {
                let key = meta.key(s)
                try wrap(key) {
                    try readShard(key: key, shardIndex: s, sharding: sharding, chunks: groups[s]!, into: out.baseAddress!, origin: origin, shape: shape, fill: fill)
                }
            }
        }
    }

    /// Reads the inner chunks `chunks` (global inner-chunk indices) of one shard: the index
    /// first, then each chunk's byte range.
    private func readShard<T: ArrayScalar>(key: String, shardIndex: [Int], sharding: ZarrSharding, chunks: [[Int]],
                                           into dst: UnsafeMutablePointer<T>, origin: [Int], shape: [Int], fill: T) throws {
        let rc = sharding.innerChunks
        let nd = rc.count
        let file = path(key)
        let fd = open(file, O_RDONLY)
        if fd < 0 {
            guard errno == ENOENT || errno == ENOTDIR else { throw CodecError("cannot open \(file) (errno \(errno))") }
            for c in chunks { fillOverlap(fill, c, rc, into: dst, shape: shape, origin: origin) }
            return
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw CodecError("cannot stat \(file)") }
        let fileSize = Int(st.st_size)
        let index = try ShardIndex.read(fd: fd, fileSize: fileSize, sharding: sharding, shardShape: meta.chunkShape, path: file)
        let perShard = (0..<nd).map { meta.chunkShape[$0] / rc[$0] }
        for c in chunks {
            let local = (0..<nd).map { c[$0] - shardIndex[$0] * perShard[$0] }
            guard let (offset, count) = index.range(local) else {
                fillOverlap(fill, c, rc, into: dst, shape: shape, origin: origin)
                continue
            }
            do {
                let chunk: NDArray<T> = try buffers.withBuffer(count) { bytes in
                    try StoreFiles.read(fd: fd, offset: offset, into: bytes, path: file)
                    return try ZarrPipeline.decode(UnsafeRawBufferPointer(bytes), codecs: sharding.codecs, shape: rc, dtype: meta.dtype, zstd: zstd)
                }
                copyRegion(from: chunk, origin: (0..<nd).map { c[$0] * rc[$0] }, into: dst, shape: shape, strides: rowMajorStrides(shape), origin: origin)
            } catch let e as CodecError {
                throw CodecError("inner chunk \(local): \(e.reason)")
            }
        }
    }

    private func wrap<R>(_ key: String, _ body: () throws -> R) throws -> R {
        do { return try body() } catch let e as CodecError {
            throw StorageError.zarr(store: meta.store, key: key, reason: e.reason)
        }
    }
}
