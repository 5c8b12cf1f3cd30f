import Foundation

extension ZarrMetadata {
    /// The metadata document (`zarr.json` or `.zarray`) and its file name.
    func document() throws -> (name: String, data: Data) {
        let fillJSON: Any
        switch fill {
        case .float(let d): fillJSON = d.isNaN ? "NaN" : d == .infinity ? "Infinity" : d == -.infinity ? "-Infinity" : d as Any
        case .int(let i): fillJSON = i
        case .uint(let u): fillJSON = u
        case .bool(let b): fillJSON = b
        }
        let obj: [String: Any]
        if format == 3 {
            obj = [
                "zarr_format": 3, "node_type": "array", "shape": shape, "data_type": dtype.v3Name,
                "chunk_grid": ["name": "regular", "configuration": ["chunk_shape": chunkShape]],
                "chunk_key_encoding": keyPrefix
                    ? ["name": "default", "configuration": ["separator": separator]]
                    : ["name": "v2", "configuration": ["separator": separator]],
                "fill_value": fillJSON, "codecs": codecs.map { $0.v3JSON(typesize: dtype.size) }, "attributes": [String: Any](),
            ]
        } else {
            let compressors = codecs.filter { !$0.isArrayToBytes && !$0.isArrayToArray }
            obj = [
                "zarr_format": 2, "shape": shape, "chunks": chunkShape, "dtype": dtype.v2Name, "fill_value": fillJSON,
                "order": "C", "filters": NSNull(), "dimension_separator": separator,
                "compressor": compressors.first.map { $0.v2JSON(typesize: dtype.size) } ?? NSNull(),
            ]
        }
        let data = try JSONSerialization.data(withJSONObject: obj, options: [.prettyPrinted, .sortedKeys])
        return (format == 3 ? "zarr.json" : ".zarray", data)
    }
}

extension ZarrCodec {
    func v3JSON(typesize: Int) -> [String: Any] {
        switch self {
        case .bytes(let big): return ["name": "bytes", "configuration": ["endian": big ? "big" : "little"]]
        case .transpose(let order): return ["name": "transpose", "configuration": ["order": order]]
        case .gzip(let l), .zlib(let l): return ["name": "gzip", "configuration": ["level": l]]
        case .zstd(let l): return ["name": "zstd", "configuration": ["level": l, "checksum": false]]
        case let .blosc(cname, level, shuffle, size):
            return ["name": "blosc", "configuration": [
                "cname": cname, "clevel": level, "shuffle": ["noshuffle", "shuffle", "bitshuffle"][shuffle],
                "typesize": size > 0 ? size : typesize, "blocksize": 0,
            ] as [String: Any]]
        case .crc32c: return ["name": "crc32c"]
        case .sharding(let s):
            return ["name": "sharding_indexed", "configuration": [
                "chunk_shape": s.innerChunks, "codecs": s.codecs.map { $0.v3JSON(typesize: typesize) },
                "index_codecs": s.indexCodecs.map { $0.v3JSON(typesize: 8) }, "index_location": s.indexAtEnd ? "end" : "start",
            ] as [String: Any]]
        }
    }

    func v2JSON(typesize: Int) -> [String: Any] {
        switch self {
        case .gzip(let l): return ["id": "gzip", "level": l]
        case .zlib(let l): return ["id": "zlib", "level": l]
        case .zstd(let l): return ["id": "zstd", "level": l]
        case let .blosc(cname, level, shuffle, _): return ["id": "blosc", "cname": cname, "clevel": level, "shuffle": shuffle, "blocksize": 0]
        default: return [:]
        }
    }
}
