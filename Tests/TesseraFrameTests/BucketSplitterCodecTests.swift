import Testing
import Tessera
@testable import TesseraFrame

/// A groupby's split decision travels between MPI ranks (boundaries task → split tasks): it must
/// arrive whole, and a damaged one must be an error, not a wrong split.
@Suite struct BucketSplitterCodecTests {
    static func splitter() throws -> BucketSplitter {
        let bounds = [Column(values: .int64([3, 70])), Column(dictionaryEncoding: ["02134", "caf\u{e9}"])]
        return BucketSplitter(splitter: RangeSplitter(bounds: bounds, ascending: [true, true]), ranges: 3, buckets: 16)
    }

    @Test func roundTripKeepsEveryPart() throws {
        let s = try Self.splitter()
        let back = try BlockCodec.decode(BlockCodec.encode(s)) as! BucketSplitter
        #expect(back.ranges == 3 && back.buckets == 16)
        #expect(back.splitter?.ascending == [true, true])
        #expect(back.splitter?.bounds.map(\.elements) == s.splitter?.bounds.map(\.elements))
        // The boundary text arrives as its bytes (not the other Unicode form of é).
        #expect(back.splitter.map { b in (0..<2).map { i in b.bounds[1].withTextBytes(i) } } == [Array("02134".utf8), Array("caf\u{e9}".utf8)])
    }

    @Test func noSplitRoundTrips() throws {
        let s = BucketSplitter(splitter: nil, ranges: 1, buckets: 16)
        let back = try BlockCodec.decode(BlockCodec.encode(s)) as! BucketSplitter
        #expect(back.splitter == nil && back.ranges == 1 && back.buckets == 16)
    }

    @Test func zeroRangesIsAnError() throws {
        let bad = BucketSplitter(splitter: nil, ranges: 0, buckets: 16)
        let bytes = try BlockCodec.encode(bad)
        #expect(throws: BlockCodecError.self) { _ = try BlockCodec.decode(bytes) }
    }
}

extension Column {
    /// The UTF-8 bytes of text row `i` (empty for other types), for comparing byte for byte.
    func withTextBytes(_ i: Int) -> [UInt8] {
        guard case .string(let s) = values else { return [] }
        return s.withBytes(i, Array.init)
    }
}
