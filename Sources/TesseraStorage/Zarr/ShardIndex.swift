/// The index of one shard: per inner chunk (row-major over the shard's chunk grid), the byte
/// offset and length of its encoded bytes, both all ones for a chunk that was never written.
struct ShardIndex {
    var entries: [UInt64]
    var perShard: [Int]

    static func byteCount(chunks: Int, sharding: ZarrSharding) -> Int {
        16 * chunks + (sharding.indexCodecs.contains(.crc32c) ? 4 : 0)
    }

    /// Reads and checks the index of the shard open as `fd`.
    /// - Throws: `CodecError` for a shard too short for its index, a bad checksum, or ranges
    ///   outside the file.
    static func read(fd: Int32, fileSize: Int, sharding: ZarrSharding, shardShape: [Int], path: String) throws -> ShardIndex {
        let perShard = zip(shardShape, sharding.innerChunks).map { $0 / $1 }
        let n = perShard.reduce(1, *)
        let size = byteCount(chunks: n, sharding: sharding)
        guard fileSize >= size else { throw CodecError("shard of \(fileSize) bytes is too short for its \(size)-byte index") }
        var raw = try StoreFiles.read(fd: fd, offset: sharding.indexAtEnd ? fileSize - size : 0, count: size, path: path)
        var big = false
        for codec in sharding.indexCodecs.reversed() {
            switch codec {
            case .crc32c: raw = try raw.withUnsafeBytes { try CRC32C.strip($0) }
            case .bytes(let b): big = b
            default: break
            }
        }
        var entries = [UInt64](repeating: 0, count: 2 * n)
        raw.withUnsafeBytes { r in
            for i in 0..<(2 * n) {
                let v = r.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)
                entries[i] = big ? UInt64(bigEndian: v) : UInt64(littleEndian: v)
            }
        }
        for i in 0..<n where entries[2 * i] != .max || entries[2 * i + 1] != .max {
            let (end, o) = entries[2 * i].addingReportingOverflow(entries[2 * i + 1])
            guard !o, end <= UInt64(fileSize) else {
                throw CodecError("shard index entry \(i) points past the end of the \(fileSize)-byte shard (offset \(entries[2 * i]), length \(entries[2 * i + 1]))")
            }
        }
        return ShardIndex(entries: entries, perShard: perShard)
    }

    /// The byte range of the inner chunk at `local` (its index inside the shard), or nil when
    /// the chunk is empty.
    func range(_ local: [Int]) -> (Int, Int)? {
        var f = 0
        for k in 0..<local.count { f = f * perShard[k] + local[k] }
        let o = entries[2 * f], n = entries[2 * f + 1]
        if o == .max && n == .max { return nil }
        return (Int(o), Int(n))
    }
}
