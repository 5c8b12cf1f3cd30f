import Testing
@testable import TesseraFrame

/// The kernels a high-cardinality text key goes through after interning, each against a naive
/// reference on byte strings made to hit their fast paths' edges (lengths 0–20, NUL and 0xFF
/// bytes, shared prefixes, both Unicode forms of a letter, ids `id%010d`): interning past the
/// size where its table is sized from a sample, placing dictionary entries among range
/// boundaries by words, and ranking dictionary text (or bools) by counting in a sort.
@Suite struct TextKeyKernelsTests {
    typealias Rng = SplitMix64

    /// Codes in order of first appearance, by a dictionary of byte arrays.
    static func naiveCodes(_ s: [[UInt8]]) -> [Int32] {
        var seen: [[UInt8]: Int32] = [:]
        return s.map { x in
            if let c = seen[x] { return c }
            seen[x] = Int32(seen.count)
            return Int32(seen.count - 1)
        }
    }

    /// Mostly distinct ids (the table is sized from the first 4,096 strings) with other lengths
    /// between them, and a low-cardinality buffer of the same size (the table grows as before).
    @Test(arguments: [true, false])
    func internsManyStringsInOrderOfFirstAppearance(mostlyDistinct: Bool) {
        var r = Rng(state: mostlyDistinct ? 41 : 42)
        let nasty = StringKeyTests.strings(500, seed: 43)
        let s: [[UInt8]] = (0..<80_000).map { _ in
            if r.below(8) == 0 { return nasty[r.below(nasty.count)] }
            return Array(String(format: "id%010d", mostlyDistinct ? r.below(70_000) : r.below(300)).utf8)
        }
        let buffer = StringKeyTests.buffer(s)
        #expect((buffer.expectedDistinct() > 1 << 14) == mostlyDistinct)
        let (codes, dictionary) = buffer.interned(nil)
        let expected = Self.naiveCodes(s)
        #expect(codes == expected)
        #expect(dictionary.count == Int(expected.max() ?? -1) + 1)
        for (i, c) in codes.enumerated() where i % 97 == 0 {
            #expect(Array(StringKeyTests.byteString(dictionary, Int(c))) == s[i])
        }
    }

    /// Rows keyed by dictionary text are bucketed (entries placed among the boundaries by their
    /// first sixteen bytes as words, or as one number when fifteen bytes or fewer) exactly as
    /// the same rows as plain text, compared by bytes.
    @Test(arguments: [true, false])
    func dictionaryTextBucketsLikePlainText(ascending: Bool) {
        var r = Rng(state: ascending ? 51 : 52)
        let all = StringKeyTests.strings(2500, seed: ascending ? 53 : 54)
        for trial in 0..<8 {
            // Odd trials: strings of at most fifteen bytes (boundaries then placed by counting).
            let words = trial % 2 == 1 ? all.filter { $0.count <= 15 } : all
            let s = (0..<1500).map { _ in words[r.below(words.count)] }
            let missing = (0..<s.count).map { _ in r.below(9) == 0 }
            let validity = missing.contains(true) ? Bitmap(missing.map { !$0 }) : nil
            let plain = Column(values: .string(.plain(StringKeyTests.buffer(s))), validity: validity)
            let (codes, dictionary) = StringKeyTests.buffer(s).interned(validity)
            let encoded = Column(values: .string(.dictionary(codes: codes, dictionary: dictionary)), validity: validity)
            // Boundaries from a sample that holds missing keys in some trials.
            let sample = plain.take(Array(stride(from: trial, to: s.count, by: 37 + trial)))
            let splitter = RangeSplitter(sample: [sample], ascending: [ascending], buckets: 2 + trial)
            let expected = splitter.buckets([plain])
            #expect(splitter.buckets([encoded]) == expected, "trial \(trial)")
            #expect(Set(expected).count > 1, "trial \(trial): one bucket only")
        }
    }

    /// Ranks of strings of at most fifteen bytes come from a radix sort of their words: byte
    /// order, equal strings one rank, a prefix before its extensions by NUL bytes.
    @Test func sortRanksOfShortStringsFollowByteOrder() {
        var r = Rng(state: 71)
        let short = StringKeyTests.strings(1500, seed: 72).filter { $0.count <= 15 }
        let s = (0..<3000).map { _ in short[r.below(short.count)] }
        let distinct = Array(Set(s)).sorted { $0.lexicographicallyPrecedes($1) }
        var rank: [[UInt8]: Int32] = [:]
        for (i, x) in distinct.enumerated() { rank[x] = Int32(i) }
        #expect(StringKeyTests.buffer(s).sortRanks() == s.map { rank[$0]! })
    }

    /// Sorting by dictionary text ranks the codes by counting: the stable order by bytes (missing
    /// last), also when the dictionary holds a string twice (both copies sort as one value, rows
    /// in their order); bools likewise.
    @Test(arguments: [true, false])
    func sortingByDictionaryTextIsStableByBytes(ascending: Bool) {
        var r = Rng(state: ascending ? 61 : 62)
        var entries = Array(Set(StringKeyTests.strings(300, seed: 63)))
        entries.append(entries[5])  // one string twice in the dictionary
        let dictionary = StringKeyTests.buffer(entries)
        let codes = (0..<2000).map { _ in r.below(15) == 0 ? Int32(-1) : Int32(r.below(entries.count)) }
        let validity = Bitmap(codes.map { $0 >= 0 })
        let column = Column(values: .string(.dictionary(codes: codes, dictionary: dictionary)), validity: validity)
        let expected = codes.indices.sorted { i, j in
            let a = codes[i], b = codes[j]
            if a < 0 || b < 0 { return a >= 0 && b < 0 || (a < 0 && b < 0 && i < j) }
            let x = entries[Int(a)], y = entries[Int(b)]
            if x == y { return i < j }
            return ascending ? x.lexicographicallyPrecedes(y) : y.lexicographicallyPrecedes(x)
        }
        #expect(sortPermutation([column], ascending: [ascending]) == expected)

        let bools = codes.map { $0 < 0 ? nil : $0 % 2 == 0 } as [Bool?]
        let expectedBools = bools.indices.sorted { i, j in
            guard let a = bools[i] else { return false }
            guard let b = bools[j] else { return true }
            return a == b ? i < j : (ascending ? !a && b : a && !b)
        }
        #expect(sortPermutation([Column(bool: bools)], ascending: [ascending]) == expectedBools)
    }
}
