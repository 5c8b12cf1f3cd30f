import Testing
import Tessera
@testable import TesseraFrame

/// A groupby's split decision travels between MPI ranks (boundaries task → split tasks): it must
/// arrive whole, and a damaged one must be an error, not a wrong split.
@Suite struct BucketSplitterCodecTests {
    static func splitter() throws -> BucketSplitter {
        let union = DictionaryUnion([StringBuffer(["JFK", "caf\u{e9}"]), StringBuffer(["cafe\u{301}", "JFK", "02134"])], sorted: true)
        let bounds = [Column(values: .int64([3, 70])), Column(dictionaryEncoding: ["02134", "JFK"])]
        return BucketSplitter(splitter: RangeSplitter(bounds: bounds, ascending: [true, true]), ranges: 3, buckets: 16, unions: [1: union])
    }

    @Test func roundTripKeepsEveryPart() throws {
        let s = try Self.splitter()
        let back = try BlockCodec.decode(BlockCodec.encode(s)) as! BucketSplitter
        #expect(back.ranges == 3 && back.buckets == 16)
        #expect(back.splitter?.ascending == [true, true])
        #expect(back.splitter?.bounds.map(\.elements) == s.splitter?.bounds.map(\.elements))
        #expect(back.unions.keys.sorted() == [1])
        #expect(back.unions[1]?.maps == s.unions[1]?.maps)
        #expect(back.unions[1]?.dictionary == s.unions[1]?.dictionary)
        // Four distinct byte strings (the two forms of é stay distinct), in byte order.
        let expected = Set(["JFK", "caf\u{e9}", "cafe\u{301}", "02134"].map { Array($0.utf8) }).sorted { $0.lexicographicallyPrecedes($1) }
        #expect(back.unions[1].map { d in (0..<d.dictionary.count).map { d.dictionary.withBytes($0, Array.init) } } == expected)
    }

    @Test func noSplitRoundTrips() throws {
        let s = BucketSplitter(splitter: nil, ranges: 1, buckets: 16, unions: [:])
        let back = try BlockCodec.decode(BlockCodec.encode(s)) as! BucketSplitter
        #expect(back.splitter == nil && back.ranges == 1 && back.buckets == 16 && back.unions.isEmpty)
    }

    @Test func codeMapPastTheDictionaryIsAnError() throws {
        let good = try Self.splitter()
        let u = good.unions[1]!
        let bad = BucketSplitter(splitter: good.splitter, ranges: 3, buckets: 16,
                                 unions: [1: DictionaryUnion(dictionary: u.dictionary, maps: [[0, 99]])])
        let bytes = try BlockCodec.encode(bad)
        #expect(throws: BlockCodecError.self) { _ = try BlockCodec.decode(bytes) }
    }
}
