import Foundation
import Tessera
@_spi(TesseraStorage) import TesseraArray

extension ChunkedArray {
    /// Computes the array and writes it as a Zarr array (Dask's `to_zarr`): one chunk (or, with
    /// `shards`, one shard) per block, written by the block's own task in parallel, each through
    /// a temporary name and a rename; the metadata is written last, so a reader never sees a
    /// half-written array under `path`.
    ///
    /// ```swift
    /// try x.toZarr("out.zarr", codec: .zstd(level: 3))
    /// try x.toZarr("sharded.zarr", shards: ZarrSharding(innerChunks: [100, 100]))
    /// ```
    ///
    /// Blocks become chunks, so the block grid must be regular (every block along an axis the
    /// size of the first, the last one smaller or equal). An irregular grid is rechunked to
    /// blocks of its largest size first, as Dask does, unless `rechunk` is false.
    ///
    /// - Parameters:
    ///   - path: the array's directory.
    ///   - format: `.v3` (default) or `.v2`.
    ///   - codec: the compression of every chunk (of every inner chunk when sharded).
    ///   - shards: when given (v3 only), each block is written as one shard cut into inner
    ///     chunks of `shards.innerChunks`, which must divide the block shape.
    ///   - checksum: append a CRC-32C to every chunk (v3 only).
    ///   - fillValue: the array's `fill_value`, what readers return for a chunk that is missing
    ///     (and what pads edge chunks); nil is 0 (false). NaN and ±infinity are written as the
    ///     JSON strings `"NaN"`, `"Infinity"`, `"-Infinity"`, as both formats specify.
    ///   - overwrite: replace an existing Zarr array or group at `path`; without it an existing
    ///     path is an error. Something at `path` that isn't Zarr is never deleted.
    ///   - rechunk: whether an irregular block grid may be rechunked.
    ///   - scheduler: where the blocks are computed and written.
    /// - Throws: `StorageError.zarr` for an existing path, an irregular grid with `rechunk`
    ///   false, options the format can't express, or a failed write; `TaskFailure` from the
    ///   compute.
    /// - Complexity: one task per block on top of the array's own graph.
    public func toZarr(_ path: String, format: ZarrFormat = .v3, codec: ZarrCompression = .zstd(level: 3),
                       shards: ZarrSharding? = nil, checksum: Bool = false, fillValue: Scalar? = nil, overwrite: Bool = false,
                       rechunk: Bool = true, scheduler: Scheduler? = nil) throws {
        func fail(_ why: String) -> StorageError { .zarr(store: path, key: nil, reason: why) }
        if format == .v2 && (shards != nil || checksum) { throw fail("sharding and checksums need format v3") }
        // Blocks must be regular to be chunks: all the size of the first along each axis but the last.
        let regular = chunks.allSatisfy { c in c.count <= 1 || (c.dropLast().allSatisfy { $0 == c[0] } && c.last! <= c[0]) }
        var arr = self
        if !regular {
            guard rechunk else { throw fail("the block grid \(chunks) is irregular and cannot be chunks; rechunk first or pass rechunk: true") }
            arr = try self.rechunk(.blockShape(chunks.map { Swift.max($0.max() ?? 1, 1) }))
        }
        let chunkShape = arr.chunks.map { Swift.max($0[0], 1) }
        var codecs: [ZarrCodec] = [.bytes(bigEndian: false)] + (codec.codec.map { [$0] } ?? []) + (checksum ? [.crc32c] : [])
        if var s = shards {
            guard s.innerChunks.count == ndim, zip(chunkShape, s.innerChunks).allSatisfy({ $1 > 0 && $0 % $1 == 0 }) else {
                throw fail("inner chunks \(s.innerChunks) must divide the block (shard) shape \(chunkShape)")
            }
            s.codecs = codecs
            codecs = [.sharding(s)]
        }
        let dtype = ZarrDataType(of: Scalar.self)
        let fill = ZarrFillValue(fillValue ?? .zero)
        let meta = ZarrMetadata(store: path, format: format == .v3 ? 3 : 2, shape: shape, chunkShape: chunkShape, dtype: dtype,
                                fill: fill, keyPrefix: format == .v3, separator: format == .v3 ? "/" : ".", codecs: codecs)
        try ZarrStoreDirectory.prepare(path, overwrite: overwrite)
        try ZarrStoreDirectory.makeChunkFolders(meta, grid: arr.numBlocks)
        let writer = ZarrWriter(meta: meta)
        let src = arr.layer
        let grid = arr.numBlocks
        let writes = Layer(kind: "to-zarr", count: arr.blockCount, grid: grid) { i in
            var rest = i
            var index = [Int](repeating: 0, count: grid.count)
            for k in stride(from: grid.count - 1, through: 0, by: -1) {
                index[k] = rest % grid[k]
                rest /= grid[k]
            }
            return TaskSpec(inputs: [src[i]]) { [index] v in
                try writer.write(v[0] as! NDArray<Scalar>, at: index)
                return i
            }
        }
        _ = try TaskGraph(writes.refs).compute(scheduler: scheduler)
        let doc = try meta.document()
        do { try StoreFiles.atomicWrite((path as NSString).appendingPathComponent(doc.name), Array(doc.data)) } catch let e as CodecError {
            throw fail(e.reason)
        }
    }
}

/// Getting a store's directory ready for writing.
enum ZarrStoreDirectory {
    /// Creates `path`; an existing Zarr array or group there is deleted only with `overwrite`,
    /// anything else that exists is left alone and refused.
    static func prepare(_ path: String, overwrite: Bool) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: path, isDirectory: &isDir) {
            let entries = (try? fm.contentsOfDirectory(atPath: path)) ?? []
            if isDir.boolValue && entries.isEmpty {
                return
            }
            guard overwrite else {
                throw StorageError.zarr(store: path, key: nil, reason: "already exists; pass overwrite: true to replace it")
            }
            let isZarr = isDir.boolValue && [".zarray", ".zgroup", "zarr.json"].contains { entries.contains($0) }
            guard isZarr else {
                throw StorageError.zarr(store: path, key: nil, reason: "exists and is not a Zarr array or group; refusing to delete it")
            }
            do { try fm.removeItem(atPath: path) } catch {
                throw StorageError.zarr(store: path, key: nil, reason: "cannot remove the old array: \(error.localizedDescription)")
            }
        }
        do { try fm.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw StorageError.zarr(store: path, key: nil, reason: "cannot create the directory: \(error.localizedDescription)")
        }
    }
}

extension ZarrStoreDirectory {
    /// Makes the folders `/`-separated chunk keys live in (`c/0/…`), once and before the
    /// parallel chunk writes, which would otherwise race to create the same folders.
    static func makeChunkFolders(_ meta: ZarrMetadata, grid: [Int]) throws {
        guard meta.separator == "/", let last = grid.indices.last else { return }
        let outer = Array(grid[..<last])
        try forEachIndex(from: outer.map { _ in 0 }, to: outer.map { $0 - 1 }) { idx in
            let folder = ((meta.store as NSString).appendingPathComponent(meta.key(idx + [0])) as NSString).deletingLastPathComponent
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw StorageError.zarr(store: meta.store, key: nil, reason: "cannot create \(folder): \(error.localizedDescription)")
            }
        }
    }
}

/// Encodes and writes one block as one chunk or shard.
struct ZarrWriter: Sendable {
    let meta: ZarrMetadata
    /// Compressed chunks and zstd contexts, reused from chunk to chunk by the write tasks.
    let buffers = ScratchBuffers()
    let zstd = ZstdContexts()

    func write<T: ArrayScalar>(_ block: NDArray<T>, at index: [Int]) throws {
        let key = meta.key(index)
        let path = (meta.store as NSString).appendingPathComponent(key)
        do {
            let chunk = padded(block, origin: index.indices.map { index[$0] * meta.chunkShape[$0] })
            if let s = meta.sharding {
                try StoreFiles.atomicWrite(path, try encodeShard(chunk, s))
            } else {
                try ZarrPipeline.withEncoded(chunk, codecs: meta.codecs, buffers: buffers, zstd: zstd) { try StoreFiles.atomicWrite(path, $0) }
            }
        } catch let e as CodecError {
            throw StorageError.zarr(store: meta.store, key: key, reason: e.reason)
        } catch let e as StorageError {
            throw e
        } catch {
            throw StorageError.zarr(store: meta.store, key: key, reason: "\(error.localizedDescription)")
        }
    }

    /// The block at full chunk shape: an edge block padded with the fill value, as Zarr stores
    /// edge chunks.
    func padded<T: ArrayScalar>(_ block: NDArray<T>, origin: [Int]) -> NDArray<T> {
        if block.shape == meta.chunkShape { return block }
        var out = NDArray<T>(shape: meta.chunkShape, repeating: meta.fill.value(as: T.self))
        let strides = rowMajorStrides(meta.chunkShape)
        out.withUnsafeMutableBufferPointer { dst in
            copyRegion(from: block, origin: origin, into: dst.baseAddress!, shape: meta.chunkShape, strides: strides, origin: origin)
        }
        return out
    }

    /// A shard: its inner chunks encoded one after another, and the index at the start or end.
    func encodeShard<T: ArrayScalar>(_ shard: NDArray<T>, _ s: ZarrSharding) throws -> [UInt8] {
        let inner = s.innerChunks, nd = inner.count
        let per = (0..<nd).map { meta.chunkShape[$0] / inner[$0] }
        let n = per.reduce(1, *)
        let indexSize = ShardIndex.byteCount(chunks: n, sharding: s)
        var body: [UInt8] = []
        var index: [UInt64] = []
        index.reserveCapacity(2 * n)
        let zero = [Int](repeating: 0, count: nd)
        let innerStrides = rowMajorStrides(inner)
        try forEachIndex(from: zero, to: per.map { $0 - 1 }) { local in
            let lo = (0..<nd).map { local[$0] * inner[$0] }
            let piece = NDArray<T>(shape: inner) { out in
                if let dp = out.baseAddress { copyRegion(from: shard, origin: zero, into: dp, shape: inner, strides: innerStrides, origin: lo) }
            }
            let bytes = try ZarrPipeline.encode(piece, codecs: s.codecs, zstd: zstd)
            index.append(UInt64((s.indexAtEnd ? 0 : indexSize) + body.count).littleEndian)
            index.append(UInt64(bytes.count).littleEndian)
            body += bytes
        }
        var indexBytes = index.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) }
        if s.indexCodecs.contains(.crc32c) { indexBytes = CRC32C.append(indexBytes) }
        return s.indexAtEnd ? body + indexBytes : indexBytes + body
    }
}
