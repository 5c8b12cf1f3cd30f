import Tessera

/// A groupby's split decision (key ranges) crosses ranks under MPI: the boundaries task runs on
/// one rank, the split tasks on others.
extension BucketSplitter: BlockCodable {
    /// Writes the range splitter and the range and bucket counts.
    /// - Parameter writer: where the bytes go.
    func encode(to writer: inout BlockWriter) throws {
        try splitter.encode(to: &writer)
        writer.write(Int64(ranges))
        writer.write(Int64(buckets))
    }

    /// Reads a splitter written by `encode(to:)`.
    /// - Parameter reader: the bytes.
    /// - Returns: the splitter.
    /// - Throws: `BlockCodecError` when truncated or malformed.
    static func decode(from reader: inout BlockReader) throws -> BucketSplitter {
        let splitter = try RangeSplitter?.decode(from: &reader)
        let ranges = Int(try reader.read(Int64.self))
        let buckets = Int(try reader.read(Int64.self))
        guard ranges >= 1, buckets >= 1 else {
            throw BlockCodecError.malformed("splitter with \(ranges) ranges and \(buckets) buckets")
        }
        return BucketSplitter(splitter: splitter, ranges: ranges, buckets: buckets)
    }
}
