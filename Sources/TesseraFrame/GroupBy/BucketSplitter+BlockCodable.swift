import Tessera

/// A groupby's split decision (key ranges and the shared text dictionaries) crosses ranks under
/// MPI: the boundaries task runs on one rank, the split tasks on others.
extension BucketSplitter: BlockCodable {
    /// Writes the range splitter, the range and bucket counts, and each shared dictionary with its
    /// per-part code maps.
    /// - Parameter writer: where the bytes go.
    func encode(to writer: inout BlockWriter) throws {
        try splitter.encode(to: &writer)
        writer.write(Int64(ranges))
        writer.write(Int64(buckets))
        writer.write(Int64(unions.count))
        for j in unions.keys.sorted() {
            let u = unions[j]!
            writer.write(Int64(j))
            Column.encode(u.dictionary, to: &writer)
            try u.maps.encode(to: &writer)
        }
    }

    /// Reads a splitter written by `encode(to:)`.
    /// - Parameter reader: the bytes.
    /// - Returns: the splitter.
    /// - Throws: `BlockCodecError` when truncated or malformed.
    static func decode(from reader: inout BlockReader) throws -> BucketSplitter {
        let splitter = try RangeSplitter?.decode(from: &reader)
        let ranges = Int(try reader.read(Int64.self))
        let buckets = Int(try reader.read(Int64.self))
        let count = try reader.read(Int64.self)
        guard ranges >= 1, buckets >= 1, count >= 0 else {
            throw BlockCodecError.malformed("splitter with \(ranges) ranges, \(buckets) buckets, \(count) dictionaries")
        }
        var unions: [Int: DictionaryUnion] = [:]
        for _ in 0..<count {
            let j = Int(try reader.read(Int64.self))
            let dictionary = try Column.decodeStrings(from: &reader)
            let maps = try [[Int32]].decode(from: &reader)
            guard maps.allSatisfy({ $0.allSatisfy { $0 >= 0 && Int($0) < dictionary.count } }) else {
                throw BlockCodecError.malformed("a dictionary code map points past its \(dictionary.count) entries")
            }
            unions[j] = DictionaryUnion(dictionary: dictionary, maps: maps)
        }
        return BucketSplitter(splitter: splitter, ranges: ranges, buckets: buckets, unions: unions)
    }
}
