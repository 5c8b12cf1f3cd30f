/// One codec of a Zarr array's pipeline. Version 3 names them in `codecs`; a v2 array's
/// `order`, byte order and `compressor` map onto the same cases (`transpose`, `bytes`, one
/// bytes-to-bytes compressor), so both versions decode through one path.
indirect enum ZarrCodec: Sendable, Equatable {
    /// Array to bytes: the elements in C order, in this byte order.
    case bytes(bigEndian: Bool)
    /// Array to array: the axes permuted by `order` (`encoded.shape[i] == shape[order[i]]`).
    case transpose([Int])
    /// Bytes to bytes: deflate in a gzip wrapper (v3 `gzip`, v2 `gzip`).
    case gzip(level: Int)
    /// Bytes to bytes: deflate in a zlib wrapper (v2 `zlib`).
    case zlib(level: Int)
    /// Bytes to bytes: one Zstandard frame.
    case zstd(level: Int)
    /// Bytes to bytes: a Blosc container (`shuffle`: 0 none, 1 byte, 2 bit).
    case blosc(cname: String, level: Int, shuffle: Int, typesize: Int)
    /// Bytes to bytes: the data followed by its CRC-32C.
    case crc32c
    /// Array to bytes: a shard of inner chunks and an index of their byte ranges.
    case sharding(ZarrSharding)

    var isArrayToArray: Bool { if case .transpose = self { return true } else { return false } }
    var isArrayToBytes: Bool {
        switch self {
        case .bytes, .sharding: return true
        default: return false
        }
    }
}

/// The layout of a sharded array (`sharding_indexed`): each stored object (a shard) holds a grid
/// of inner chunks, each encoded by `codecs`, and an index of `(offset, nbytes)` pairs as
/// little-endian uint64 (both all ones for an empty chunk), encoded by `indexCodecs`.
public struct ZarrSharding: Sendable, Equatable {
    /// The shape of one inner chunk; it divides the shard's shape.
    public var innerChunks: [Int]
    /// Whether the index follows the chunks (zarr-python's default) or precedes them.
    public var indexAtEnd: Bool
    var codecs: [ZarrCodec]
    var indexCodecs: [ZarrCodec]

    /// Shards cut into inner chunks of `innerChunks`, the index at the end or the start.
    /// Writing puts one shard per block and compresses each inner chunk with the `codec` given
    /// to `toZarr`; the index is checksummed with CRC-32C, as zarr-python does.
    public init(innerChunks: [Int], indexAtEnd: Bool = true) {
        self.innerChunks = innerChunks
        self.indexAtEnd = indexAtEnd
        self.codecs = [.bytes(bigEndian: false)]
        self.indexCodecs = [.bytes(bigEndian: false), .crc32c]
    }

    init(innerChunks: [Int], indexAtEnd: Bool, codecs: [ZarrCodec], indexCodecs: [ZarrCodec]) {
        self.innerChunks = innerChunks
        self.indexAtEnd = indexAtEnd
        self.codecs = codecs
        self.indexCodecs = indexCodecs
    }
}
