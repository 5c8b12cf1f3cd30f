import Testing
@testable import TesseraFrame

/// The two string-key kernels behind grouping by text: interning (codes in order of first
/// appearance) and ranking (byte order), each against a naive reference on strings made to hit
/// every boundary of their word-keyed fast paths: lengths 0–20, shared prefixes, NUL bytes, both
/// Unicode forms of a letter.
@Suite struct StringKeyTests {
    /// Random byte strings over a small alphabet (so prefixes and duplicates are common).
    static func strings(_ count: Int, seed: UInt64) -> [[UInt8]] {
        var g = SplitMix64(state: seed)  // the flights generator's, from TesseraFrame
        let alphabet: [[UInt8]] = [[0], [0x30], [0x31], [0x69], [0x64], [0xFF], Array("é".utf8), [0x65, 0xCC, 0x81]]
        return (0..<count).map { _ in
            if g.next() % 5 == 0 {
                let digits = String(g.next() % 50)
                return Array(("id" + String(repeating: "0", count: 10 - digits.count) + digits).utf8)
            }
            let length = Int(g.next() % 21)
            var s: [UInt8] = []
            while s.count < length { s += alphabet[Int(g.next() % UInt64(alphabet.count))] }
            return Array(s.prefix(length))
        }
    }

    static func buffer(_ strings: [[UInt8]]) -> StringBuffer {
        var offsets = [0], bytes: [UInt8] = []
        for s in strings { bytes += s; offsets.append(bytes.count) }
        return StringBuffer(offsets: offsets, bytes: bytes)
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func internedCodesAreFirstAppearanceOrder(seed: UInt64) {
        let s = StringKeyTests.strings(3000, seed: seed)
        let (codes, dictionary) = StringKeyTests.buffer(s).interned(nil)
        var seen: [[UInt8]: Int32] = [:]
        var expected: [Int32] = []
        for x in s {
            if seen[x] == nil { seen[x] = Int32(seen.count) }
            expected.append(seen[x]!)
        }
        #expect(codes == expected)
        #expect(dictionary.count == seen.count)
        for (x, c) in seen { #expect(Array(StringKeyTests.byteString(dictionary, Int(c))) == x) }
    }

    /// Up to 15 bytes every string is ranked by the triple radix sort (`shortSortRanks`), up to
    /// 20 by the comparison sort.
    @Test(arguments: [5, 6, 7] as [UInt64], [15, 20])
    func sortRanksFollowByteOrder(seed: UInt64, longest: Int) {
        let s = StringKeyTests.strings(2000, seed: seed).map { Array($0.prefix(longest)) }
        #expect((StringKeyTests.buffer(s).shortSortRanks() != nil) == (longest <= 15))
        let ranks = StringKeyTests.buffer(s).sortRanks()
        let distinct = Array(Set(s)).sorted { $0.lexicographicallyPrecedes($1) }
        var rank: [[UInt8]: Int32] = [:]
        for (r, x) in distinct.enumerated() { rank[x] = Int32(r) }
        #expect(ranks == s.map { rank[$0]! })
    }

    /// Sorted input takes the one-pass path: distinct strings rank as their positions, and a
    /// repeated string (not strictly increasing) still gets one rank for both copies.
    @Test func sortRanksOfSortedInput() {
        let distinct = Array(Set(StringKeyTests.strings(1500, seed: 8))).sorted { $0.lexicographicallyPrecedes($1) }
        #expect(StringKeyTests.buffer(distinct).sortRanks() == (0..<Int32(distinct.count)).map { $0 })
        var repeated = distinct
        repeated.insert(distinct[700], at: 700)
        var expected = (0..<Int32(distinct.count)).map { $0 }
        expected.insert(700, at: 700)
        #expect(StringKeyTests.buffer(repeated).sortRanks() == expected)
    }

    @Test func unionOfDictionariesMapsEveryCode() {
        let parts = (0..<3).map { StringKeyTests.buffer(StringKeyTests.strings(500, seed: 10 + UInt64($0))) }
        let union = DictionaryUnion(parts)
        let merged = (0..<union.dictionary.count).map { Array(StringKeyTests.byteString(union.dictionary, $0)) }
        #expect(Set(merged).count == merged.count)
        #expect(Set(merged) == Set(parts.flatMap { p in (0..<p.count).map { Array(StringKeyTests.byteString(p, $0)) } }))
        for (p, part) in parts.enumerated() {
            for k in 0..<part.count {
                #expect(merged[Int(union.maps[p][k])] == Array(StringKeyTests.byteString(part, k)))
            }
        }
    }

    /// Past `DictionaryUnion.sortingEntries` short strings the union sorts instead of hashing:
    /// every code still maps to its string, the union holds each string once, in byte order, and
    /// a dictionary given twice (shared storage) maps alike. With a 16-byte string among them the
    /// union hashes, with the same strings and maps.
    @Test(arguments: [15, 16])
    func unionOfManyShortStringsMapsEveryCode(longest: Int) {
        var parts = (0..<3).map { p -> StringBuffer in
            var seen = Set<[UInt8]>()
            let unique = StringKeyTests.strings(50_000, seed: 40 + UInt64(p)).map { Array($0.prefix(15)) }.filter { seen.insert($0).inserted }
            return StringKeyTests.buffer(unique + (p == 1 ? [Array(repeating: 0x7A, count: longest)] : []))
        }
        parts.append(parts[0])
        #expect(parts.reduce(0) { $0 + $1.count } - parts[0].count >= DictionaryUnion.sortingEntries)
        let union = DictionaryUnion(parts)
        let merged = (0..<union.dictionary.count).map { Array(StringKeyTests.byteString(union.dictionary, $0)) }
        #expect(Set(merged).count == merged.count)
        #expect(Set(merged) == Set(parts.flatMap { p in (0..<p.count).map { Array(StringKeyTests.byteString(p, $0)) } }))
        if longest == 15 { #expect(zip(merged, merged.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) }) }
        for (p, part) in parts.enumerated() {
            #expect((0..<part.count).allSatisfy { merged[Int(union.maps[p][$0])] == Array(StringKeyTests.byteString(part, $0)) })
        }
    }

    /// The distinct-count estimate that picks sorting or hashing for a union, against the exact
    /// count of a set: ids repeated across dictionaries (mostly repeats: hashing) and disjoint
    /// ones (sorting), within 5%.
    @Test(arguments: [(20_000, 8, 0), (150_000, 4, 150_000)])
    func distinctEstimateIsClose(perDictionary: Int, dictionaries: Int, shift: Int) {
        let parts = (0..<dictionaries).map { p in
            StringKeyTests.buffer((0..<perDictionary).map { i in
                let digits = String(i * 7 % perDictionary + p * shift)
                return Array(("id" + String(repeating: "0", count: 10 - digits.count) + digits).utf8)
            })
        }
        var exact = Set<[UInt8]>()
        for part in parts { for k in 0..<part.count { exact.insert(Array(StringKeyTests.byteString(part, k))) } }
        let estimate = DictionaryUnion.estimatedDistinct(parts)
        #expect(abs(Double(estimate - exact.count)) <= 0.05 * Double(exact.count), "estimate \(estimate), exact \(exact.count)")
    }

    static func byteString(_ b: StringBuffer, _ i: Int) -> ArraySlice<UInt8> { b.bytes[b.offsets[i]..<b.offsets[i + 1]] }
}
