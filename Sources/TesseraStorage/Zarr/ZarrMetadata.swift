import Foundation

/// What a Zarr array's metadata says, for either format version: v2's `.zarray` or v3's
/// `zarr.json`, reduced to one description (shape, chunk grid, element type, fill value, chunk
/// key encoding and codec pipeline) that the reader and writer share.
struct ZarrMetadata: Sendable {
    /// The array's directory (named in every error).
    var store: String
    var format: Int
    var shape: [Int]
    /// The shape of one stored object: a chunk, or a shard when the pipeline is sharded.
    var chunkShape: [Int]
    var dtype: ZarrDataType
    var fill: ZarrFillValue
    /// v3's default encoding prefixes keys with `c`; v2 and v3's `v2` encoding don't.
    var keyPrefix: Bool
    var separator: String
    var codecs: [ZarrCodec]

    /// The key of the stored object at grid index `index` (`c/0/1`, `0.1`).
    func key(_ index: [Int]) -> String {
        if index.isEmpty { return keyPrefix ? "c" : "0" }
        let joined = index.map(String.init).joined(separator: separator)
        return keyPrefix ? "c" + separator + joined : joined
    }

    func error(_ key: String?, _ why: String) -> StorageError { .zarr(store: store, key: key, reason: why) }
}

extension ZarrMetadata {
    /// Reads the metadata of the array at `store`: `zarr.json` when present, else `.zarray`.
    /// - Throws: `StorageError.zarr` for a missing or malformed document, a group where an array
    ///   was expected, an unsupported data type, codec or chunk grid, or chunks that don't fit
    ///   the shape.
    static func read(_ store: String) throws -> ZarrMetadata {
        let fm = FileManager.default
        let v3 = (store as NSString).appendingPathComponent("zarr.json")
        let v2 = (store as NSString).appendingPathComponent(".zarray")
        if let data = fm.contents(atPath: v3) { return try parseV3(data, store: store) }
        if let data = fm.contents(atPath: v2) { return try parseV2(data, store: store) }
        if fm.fileExists(atPath: (store as NSString).appendingPathComponent(".zgroup")) {
            throw StorageError.zarr(store: store, key: nil, reason: "is a Zarr group, not an array; name an array inside it")
        }
        throw StorageError.zarr(store: store, key: nil, reason: "no zarr.json or .zarray: not a Zarr array (or the path does not exist)")
    }

    static func object(_ data: Data, store: String, key: String) throws -> [String: Any] {
        guard let any = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]), let obj = any as? [String: Any] else {
            throw StorageError.zarr(store: store, key: key, reason: "malformed metadata: not a JSON object")
        }
        return obj
    }

    static func intList(_ any: Any?, _ what: String, store: String, key: String, positive: Bool) throws -> [Int] {
        guard let list = any as? [Any] else { throw StorageError.zarr(store: store, key: key, reason: "'\(what)' must be a list of integers") }
        return try list.map { v in
            guard let n = v as? NSNumber, let i = Int(exactly: n.doubleValue), i >= (positive ? 1 : 0), i < 1 << 53 else {
                throw StorageError.zarr(store: store, key: key, reason: "'\(what)' must hold \(positive ? "positive" : "non-negative") integers, found \(v)")
            }
            return i
        }
    }

    static func parseV3(_ data: Data, store: String) throws -> ZarrMetadata {
        let key = "zarr.json"
        func fail(_ why: String) -> StorageError { .zarr(store: store, key: key, reason: why) }
        let o = try object(data, store: store, key: key)
        guard (o["zarr_format"] as? NSNumber)?.intValue == 3 else { throw fail("'zarr_format' must be 3") }
        guard let nodeType = o["node_type"] as? String else { throw fail("missing 'node_type'") }
        guard nodeType == "array" else { throw fail("is a Zarr \(nodeType), not an array; name an array inside it") }
        let shape = try intList(o["shape"], "shape", store: store, key: key, positive: false)
        guard let typeName = o["data_type"] as? String else { throw fail("'data_type' must be a string") }
        guard let dtype = ZarrDataType(v3: typeName) else {
            throw fail("unsupported data_type '\(typeName)' (bool, int8–64, uint8–64, float32 and float64 are supported)")
        }
        guard let grid = o["chunk_grid"] as? [String: Any], grid["name"] as? String == "regular",
              let gridConf = grid["configuration"] as? [String: Any] else { throw fail("'chunk_grid' must be a regular grid") }
        let chunkShape = try intList(gridConf["chunk_shape"], "chunk_shape", store: store, key: key, positive: true)
        var prefix = true, sep = "/"
        if let enc = o["chunk_key_encoding"] as? [String: Any] {
            let name = enc["name"] as? String ?? "default"
            guard name == "default" || name == "v2" else { throw fail("unsupported chunk_key_encoding '\(name)'") }
            prefix = name == "default"
            sep = (enc["configuration"] as? [String: Any])?["separator"] as? String ?? (prefix ? "/" : ".")
            guard sep == "/" || sep == "." else { throw fail("chunk key separator must be '/' or '.', not '\(sep)'") }
        }
        guard let fill = ZarrFillValue(json: o["fill_value"], dtype: dtype) else {
            throw fail("fill_value \(o["fill_value"].map { "\($0)" } ?? "(missing)") does not fit data_type \(typeName)")
        }
        if let st = o["storage_transformers"] as? [Any], !st.isEmpty { throw fail("storage transformers are not supported") }
        guard let codecList = o["codecs"] as? [Any] else { throw fail("'codecs' must be a list") }
        let codecs = try parseV3Codecs(codecList, dtype: dtype, chunkShape: chunkShape, fail: fail)
        var m = ZarrMetadata(store: store, format: 3, shape: shape, chunkShape: chunkShape, dtype: dtype, fill: fill,
                             keyPrefix: prefix, separator: sep, codecs: codecs)
        if case .bytes(let big) = codecs.first(where: \.isArrayToBytes) { m.dtype.bigEndian = big }
        try m.checkGrid(key: key)
        return m
    }

    /// Parses and checks a v3 codec list: array-to-array codecs, then exactly one array-to-bytes
    /// codec, then bytes-to-bytes codecs.
    static func parseV3Codecs(_ list: [Any], dtype: ZarrDataType, chunkShape: [Int], fail: (String) -> StorageError) throws -> [ZarrCodec] {
        var codecs: [ZarrCodec] = []
        for item in list {
            guard let c = item as? [String: Any], let name = c["name"] as? String else { throw fail("each codec must be an object with a 'name'") }
            let conf = c["configuration"] as? [String: Any] ?? [:]
            func int(_ k: String, _ d: Int) -> Int { (conf[k] as? NSNumber)?.intValue ?? d }
            switch name {
            case "bytes":
                let endian = conf["endian"] as? String ?? "little"
                guard endian == "little" || endian == "big" else { throw fail("bytes codec: endian must be 'little' or 'big', not '\(endian)'") }
                codecs.append(.bytes(bigEndian: endian == "big"))
            case "transpose":
                guard let order = (conf["order"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                      order.sorted() == Array(0..<chunkShape.count) else {
                    throw fail("transpose codec: 'order' must be a permutation of 0..<\(chunkShape.count)")
                }
                codecs.append(.transpose(order))
            case "gzip": codecs.append(.gzip(level: int("level", 5)))
            case "zstd": codecs.append(.zstd(level: int("level", 0)))
            case "crc32c": codecs.append(.crc32c)
            case "blosc":
                let shuffles = ["noshuffle": 0, "shuffle": 1, "bitshuffle": 2]
                guard let shuffle = shuffles[conf["shuffle"] as? String ?? "noshuffle"] else { throw fail("blosc codec: unknown shuffle '\(conf["shuffle"]!)'") }
                codecs.append(.blosc(cname: conf["cname"] as? String ?? "zstd", level: int("clevel", 5), shuffle: shuffle, typesize: int("typesize", dtype.size)))
            case "sharding_indexed":
                let inner = ((conf["chunk_shape"] as? [Any]) ?? []).compactMap { ($0 as? NSNumber).flatMap { Int(exactly: $0.doubleValue) } }
                guard inner.allSatisfy({ $0 > 0 && $0 < 1 << 53 }), inner.count == chunkShape.count, zip(chunkShape, inner).allSatisfy({ $0 % $1 == 0 }) else {
                    throw fail("sharding_indexed: inner chunk_shape \(inner) must divide the shard shape \(chunkShape)")
                }
                let innerCodecs = try parseV3Codecs(conf["codecs"] as? [Any] ?? [], dtype: dtype, chunkShape: inner, fail: fail)
                let indexCodecs = try parseV3Codecs(conf["index_codecs"] as? [Any] ?? [["name": "bytes"], ["name": "crc32c"]],
                                                    dtype: ZarrDataType(kind: .uint, size: 8, bigEndian: false), chunkShape: inner + [2], fail: fail)
                guard indexCodecs.allSatisfy({ if case .bytes = $0 { return true }; return $0 == .crc32c }) else {
                    throw fail("sharding_indexed: only 'bytes' and 'crc32c' index codecs are supported")
                }
                let location = conf["index_location"] as? String ?? "end"
                guard location == "end" || location == "start" else { throw fail("sharding_indexed: index_location must be 'start' or 'end'") }
                codecs.append(.sharding(ZarrSharding(innerChunks: inner, indexAtEnd: location == "end", codecs: innerCodecs, indexCodecs: indexCodecs)))
            default:
                throw fail("unsupported codec '\(name)' (supported: bytes, transpose, gzip, zstd, blosc, crc32c, sharding_indexed)")
            }
        }
        let a2a = codecs.prefix { $0.isArrayToArray }
        let rest = codecs.dropFirst(a2a.count)
        guard let first = rest.first, first.isArrayToBytes, !rest.dropFirst().contains(where: { $0.isArrayToBytes || $0.isArrayToArray }) else {
            throw fail("codecs must be array-to-array codecs, then one array-to-bytes codec (bytes or sharding_indexed), then bytes-to-bytes codecs")
        }
        return codecs
    }

    static func parseV2(_ data: Data, store: String) throws -> ZarrMetadata {
        let key = ".zarray"
        func fail(_ why: String) -> StorageError { .zarr(store: store, key: key, reason: why) }
        let o = try object(data, store: store, key: key)
        guard (o["zarr_format"] as? NSNumber)?.intValue == 2 else { throw fail("'zarr_format' must be 2") }
        let shape = try intList(o["shape"], "shape", store: store, key: key, positive: false)
        let chunkShape = try intList(o["chunks"], "chunks", store: store, key: key, positive: true)
        guard let typeName = o["dtype"] as? String else { throw fail("'dtype' must be a string (structured dtypes are not supported)") }
        guard let dtype = ZarrDataType(v2: typeName) else {
            throw fail("unsupported dtype '\(typeName)' (bool, signed and unsigned integers, float32 and float64 are supported)")
        }
        guard let fill = ZarrFillValue(json: o["fill_value"], dtype: dtype) else { throw fail("fill_value \(o["fill_value"]!) does not fit dtype \(typeName)") }
        let order = o["order"] as? String ?? "C"
        guard order == "C" || order == "F" else { throw fail("order must be 'C' or 'F', not '\(order)'") }
        if let filters = o["filters"], !(filters is NSNull), !((filters as? [Any])?.isEmpty ?? false) {
            throw fail("filters are not supported (found \(filters))")
        }
        var codecs: [ZarrCodec] = []
        // Fortran order stores each chunk transposed: the transpose codec with reversed axes.
        if order == "F" && chunkShape.count > 1 { codecs.append(.transpose(Array((0..<chunkShape.count).reversed()))) }
        codecs.append(.bytes(bigEndian: dtype.bigEndian))
        if let comp = o["compressor"], !(comp is NSNull) {
            guard let c = comp as? [String: Any], let id = c["id"] as? String else { throw fail("'compressor' must be null or an object with an 'id'") }
            func int(_ k: String, _ d: Int) -> Int { (c[k] as? NSNumber)?.intValue ?? d }
            switch id {
            case "zstd": codecs.append(.zstd(level: int("level", 1)))
            case "zlib": codecs.append(.zlib(level: int("level", 1)))
            case "gzip": codecs.append(.gzip(level: int("level", 1)))
            case "blosc":
                codecs.append(.blosc(cname: c["cname"] as? String ?? "lz4", level: int("clevel", 5), shuffle: int("shuffle", 1), typesize: dtype.size))
            default: throw fail("unsupported compressor '\(id)' (supported: blosc, zstd, zlib, gzip)")
            }
        }
        let sep = o["dimension_separator"] as? String ?? "."
        guard sep == "/" || sep == "." else { throw fail("dimension_separator must be '/' or '.', not '\(sep)'") }
        let m = ZarrMetadata(store: store, format: 2, shape: shape, chunkShape: chunkShape, dtype: dtype, fill: fill,
                             keyPrefix: false, separator: sep, codecs: codecs)
        try m.checkGrid(key: key)
        return m
    }

    func checkGrid(key: String) throws {
        guard chunkShape.count == shape.count else {
            throw error(key, "chunk shape \(chunkShape) has \(chunkShape.count) axes, the array's shape \(shape) has \(shape.count)")
        }
        for codec in codecs {
            if case .transpose(let order) = codec, order.count != shape.count {
                throw error(key, "transpose order \(order) does not match \(shape.count) axes")
            }
        }
        // A decoded chunk (and a shard's index) is one allocation: at most 2 GiB, Blosc's own
        // limit, so a crafted chunk shape can neither wrap the arithmetic nor ask for terabytes.
        func bytes(_ shape: [Int], _ item: Int) -> Int? {
            var n = item
            for c in shape {
                let (p, o) = n.multipliedReportingOverflow(by: c)
                if o { return nil }
                n = p
            }
            return n
        }
        let cap = ZarrMetadata.maximumChunkBytes
        guard let chunk = bytes(readChunkShape, dtype.size), chunk <= cap else {
            throw error(key, "chunk shape \(readChunkShape) is too large: chunks over \(cap >> 30) GiB decoded are not supported")
        }
        if let s = sharding {
            let perShard = zip(chunkShape, s.innerChunks).map { $0 / $1 }
            guard let index = bytes(perShard, 16), index <= cap else {
                throw error(key, "a shard of \(perShard) inner chunks has an index over \(cap >> 30) GiB; not supported")
            }
        }
    }

    /// The largest decoded chunk (inner chunk, when sharded) a reader allocates.
    static let maximumChunkBytes = 1 << 31

    /// The sharding layout, when the array is sharded.
    var sharding: ZarrSharding? {
        if case .sharding(let s)? = codecs.first(where: \.isArrayToBytes) { return s }
        return nil
    }

    /// The shape of the unit a read decodes: the inner chunk of a sharded array, else the chunk.
    var readChunkShape: [Int] { sharding?.innerChunks ?? chunkShape }
}
