import Testing
@testable import TesseraFrame

/// What a shuffle cuts partitions into: pieces of dictionary-encoded text carry only the strings
/// their rows use, and rows of such keys fall in the same key ranges as the same text compared
/// string by string.
@Suite struct ShufflePiecesTests {
    typealias Rng = SplitMix64

    /// Zip-code-like text, both Unicode forms of é, a prefix of another string, empty text.
    static let words = ["02134", "2134", "caf\u{e9}", "cafe\u{301}", "caf", "", "id0000012345", "id000001234", "zz", "\u{10FFFF}"]

    static func column(_ n: Int, _ r: inout Rng) -> (Column, [String?]) {
        let values: [String?] = (0..<n).map { _ in r.below(7) == 0 ? nil : words[r.below(words.count)] }
        return (Column(dictionaryEncoding: values), values)
    }

    static func bytes(_ c: Column, _ i: Int) -> [UInt8]? {
        guard c.isValid(i), case .string(let s) = c.values else { return nil }
        return s.withBytes(i, Array.init)
    }

    @Test func piecesHoldTheirRowsAndOnlyTheirStrings() throws {
        var r = Rng(state: 41)
        for _ in 0..<20 {
            let n = r.below(60)
            let (c, _) = Self.column(n, &r)
            let rows = (0..<(1 + r.below(5))).map { _ in (0..<r.below(n + 3)).map { _ in r.below(Swift.max(n, 1)) } }.map { n == 0 ? [] : $0 }
            let pieces = c.pieces(rows)
            #expect(pieces.count == rows.count)
            for (piece, rr) in zip(pieces, rows) {
                #expect(piece.count == rr.count)
                for (k, i) in rr.enumerated() { #expect(Self.bytes(piece, k) == Self.bytes(c, i)) }
                guard case .string(.dictionary(let codes, let d)) = piece.values else { Issue.record("not dictionary-encoded"); continue }
                let entries = (0..<d.count).map { d.withBytes($0, Array.init) }
                #expect(Set(entries).count == entries.count, "a string twice in a piece's dictionary")
                #expect(Set(codes.filter { $0 >= 0 }).count == d.count, "an entry no row of the piece uses")
            }
        }
    }

    @Test(arguments: [true, false])
    func textRangesMatchStringComparison(ascending: Bool) throws {
        var r = Rng(state: ascending ? 5 : 6)
        for _ in 0..<20 {
            let (text, values) = Self.column(40 + r.below(40), &r)
            let ints = Column(int64: values.map { _ in r.below(5) == 0 ? nil : Int64(r.below(3)) })
            let plain = Column(string: values)
            let (sample, _) = Self.column(30, &r)
            let sampleInts = Column(int64: (0..<30).map { _ in Int64(r.below(3)) })
            for order in [[0], [0, 1], [1, 0]] {
                let keys = order.map { [text, ints][$0] }, reference = order.map { [plain, ints][$0] }
                let s = RangeSplitter(sample: order.map { [sample, sampleInts][$0] }, ascending: Array([ascending, true].prefix(order.count)), buckets: 2 + r.below(5))
                // The bounds as plain text: the comparison of strings that the mapping stands for.
                let plainBounds = RangeSplitter(bounds: s.bounds.map { b in
                    guard case .string = b.values else { return b }
                    return Column(string: (0..<b.count).map { i in Self.bytes(b, i).map { String(decoding: $0, as: UTF8.self) } })
                }, ascending: s.ascending)
                #expect(s.buckets(keys) == plainBounds.buckets(reference))
            }
        }
    }
}
