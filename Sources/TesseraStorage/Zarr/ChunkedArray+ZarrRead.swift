import Foundation
import Tessera
import TesseraArray

extension ChunkedArray {
    /// A lazy array over a Zarr array (format 2 or 3), Dask's `from_zarr`: the metadata is read
    /// now; each block task reads only the chunks (or, in a sharded array, the inner chunks)
    /// its block overlaps, when the graph runs.
    ///
    /// ```swift
    /// let t = try ChunkedArray<Double>.fromZarr("climate.zarr", array: "surface/temperature")
    /// let mean = try t.mean().compute().scalar!
    /// ```
    ///
    /// A store of another element type is converted as NumPy's `astype(Scalar)` converts:
    /// integers to floating point rounded to nearest, floating point to integers truncated
    /// toward zero, any value to `Bool` as "non-zero", wider integers to narrower ones wrapping.
    /// Chunks that were never written read as the array's `fill_value`.
    ///
    /// - Parameters:
    ///   - path: the store's directory (or the array's directory itself).
    ///   - array: the path of the array inside the store (`"group/name"`); nil when `path` is
    ///     the array.
    ///   - chunks: the blocks; `.auto` is one block per stored chunk (per shard in a sharded
    ///     array). Whole multiples of the stored chunks read each chunk once; any other cut is
    ///     correct too, but a chunk shared by two blocks is decoded by both.
    /// - Returns: the array, shaped as the store says.
    /// - Throws: `StorageError.zarr` for missing or malformed metadata, an unsupported data
    ///   type or codec (named, with the array); block tasks throw `StorageError.zarr` naming the
    ///   chunk key of a corrupt, truncated or wrongly sized chunk.
    /// - Complexity: O(1) files read now; each block task reads the chunks it overlaps.
    public static func fromZarr(_ path: String, array: String? = nil, chunks: Chunks = .auto) throws -> ChunkedArray {
        let store = array.map { (path as NSString).appendingPathComponent($0) } ?? path
        let meta = try ZarrMetadata.read(store)
        if meta.sharding != nil, meta.codecs.count != 1 {
            throw StorageError.zarr(store: store, key: nil, reason: "sharding_indexed must be the only codec of a sharded array (found \(meta.codecs.count) codecs)")
        }
        let spec: Chunks = chunks == .auto ? .blockShape(meta.chunkShape) : chunks
        let resolved: [[Int]]
        do { resolved = try spec.resolve(shape: meta.shape, itemSize: Scalar.dtype.itemSize) } catch let e as ArrayError {
            throw StorageError.zarr(store: store, key: nil, reason: e.description)
        }
        let reader = ZarrReader(meta: meta)
        return try blockLayer(kind: "from-zarr", shape: meta.shape, chunks: resolved) { origin, shape in
            try reader.readBox(origin: origin, shape: shape, as: Scalar.self)
        }
    }
}
