import Testing
@testable import TesseraFrame

@Test func columnBasics() throws {
    let c = Column(float64: [1.5, nil, -3])
    #expect(c.count == 3)
    #expect(c.nullCount == 1)
    #expect(c[1] == .missing)
    #expect(c[2] == .float64(-3))
}

/// `take(optional:)` against a lookup per row: -1 gives a missing value, other rows keep their
/// value or missingness, for every buffer kind (plain text of more and fewer than 16 bytes
/// included, which the gather copies as two words or in one piece).
@Test func takeOptionalMatchesLookupPerRow() throws {
    var rng = SplitMix64(state: 3)
    let n = 70
    let texts = ["", "a", "caf\u{E9}", "sixteen bytes!!!", "seventeen bytes!!", "a rather longer piece of text, 40 bytes."]
    func valid() -> Bool { rng.below(4) != 0 }
    let columns: [Column] = [
        Column(int64: (0..<n).map { i in valid() ? Int64(i) * 1_000_003 : nil }),
        Column(float64: (0..<n).map { i in valid() ? Double(i) / 7 : nil }),
        Column(bool: (0..<n).map { i in valid() ? i % 3 == 0 : nil }),
        Column(string: (0..<n).map { _ in valid() ? texts[rng.below(texts.count)] : nil }),
        Column(dictionaryEncoding: (0..<n).map { _ in valid() ? texts[rng.below(texts.count)] : nil }),
        Column(int64: (0..<n).map { Int64($0) }),  // no validity
    ]
    for c in columns {
        for _ in 0..<3 {
            let rows = (0..<rng.below(150)).map { _ in rng.below(5) == 0 ? -1 : rng.below(n) }
            let got = c.take(optional: rows)
            #expect(got.count == rows.count)
            #expect(got.type == c.type)
            for (k, r) in rows.enumerated() {
                #expect(got[k] == (r < 0 ? .missing : c[r]), "\(c.type) row \(k) ← \(r)")
            }
        }
        // Without a -1 it is `take`.
        let rows = (0..<40).map { _ in rng.below(n) }
        #expect((0..<40).map { c.take(optional: rows)[$0] } == (0..<40).map { c.take(rows)[$0] })
    }
}
