/// The Zarr format version `toZarr` writes.
public enum ZarrFormat: Sendable, Equatable {
    /// Version 2: `.zarray`, chunk keys `0.0`, one compressor.
    case v2
    /// Version 3: `zarr.json`, chunk keys `c/0/0`, a codec pipeline (and sharding).
    case v3
}

/// How Blosc rearranges bytes before compressing: not at all, byte-wise, or bit-wise.
public enum BloscShuffle: Int, Sendable, Equatable {
    /// No shuffle.
    case none = 0
    /// Byte shuffle: the i-th bytes of every element together.
    case byte = 1
    /// Bit shuffle: the i-th bits of every element together.
    case bit = 2
}

/// The compression `toZarr` applies to each chunk.
public enum ZarrCompression: Sendable, Equatable {
    /// Raw little-endian bytes.
    case none
    /// Zstandard at `level` (1–22; 3 is zstd's default).
    case zstd(level: Int)
    /// Deflate in a gzip wrapper at `level` (0–9).
    case gzip(level: Int)
    /// Blosc with inner compressor `cname` (`lz4`, `lz4hc`, `zstd`, `zlib`, `blosclz`).
    case blosc(cname: String, level: Int, shuffle: BloscShuffle)

    var codec: ZarrCodec? {
        switch self {
        case .none: return nil
        case .zstd(let l): return .zstd(level: l)
        case .gzip(let l): return .gzip(level: l)
        case let .blosc(c, l, s): return .blosc(cname: c, level: l, shuffle: s.rawValue, typesize: 0)
        }
    }
}
