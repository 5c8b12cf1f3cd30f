/// The compression of the pages Tessera writes.
public enum ParquetCompression: Sendable, Hashable {
    /// No compression.
    case none
    /// Snappy (pyarrow's and DuckDB's default).
    case snappy
    /// Zstandard at `level` (1–22; Polars' default is 3).
    case zstd(level: Int)
    /// Gzip at `level` (1–9).
    case gzip(level: Int)
    /// LZ4 blocks (the `LZ4_RAW` codec).
    case lz4
    /// Brotli at `level` (0–11).
    case brotli(level: Int)

    var codec: CompressionCodec {
        switch self {
        case .none: return .uncompressed
        case .snappy: return .snappy
        case .zstd: return .zstd
        case .gzip: return .gzip
        case .lz4: return .lz4Raw
        case .brotli: return .brotli
        }
    }

    var level: Int32 {
        switch self {
        case .zstd(let l), .gzip(let l), .brotli(let l): return Int32(clamping: l)
        default: return 0
        }
    }

    /// Parses `none`, `snappy`, `zstd`, `zstd:5`, `gzip`, `lz4`, `brotli` (as `tessera convert --compression` takes them).
    public init?(name: String) {
        let parts = name.lowercased().split(separator: ":", maxSplits: 1)
        let level = parts.count > 1 ? Int(parts[1]) : nil
        switch parts.first ?? "" {
        case "none", "uncompressed": self = .none
        case "snappy": self = .snappy
        case "zstd": self = .zstd(level: level ?? 3)
        case "gzip": self = .gzip(level: level ?? 6)
        case "lz4", "lz4_raw": self = .lz4
        case "brotli": self = .brotli(level: level ?? 1)
        default: return nil
        }
    }
}
