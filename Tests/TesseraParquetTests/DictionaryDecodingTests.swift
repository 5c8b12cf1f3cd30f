import Testing
@testable import TesseraFrame
@testable import TesseraParquet

/// The fast paths of dictionary pages against naive references: width-specialised unpacking,
/// indices gathered straight into values, and present values spread over rows in place.
@Suite struct DictionaryDecodingTests {
    /// The value at `i` of a bit stream, one bit at a time.
    private func naiveValue(_ bytes: [UInt8], _ i: Int, _ width: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<width {
            let bit = i * width + k
            v |= UInt32((bytes[bit / 8] >> UInt8(bit % 8)) & 1) << UInt32(k)
        }
        return v
    }

    @Test func unpackingAtEveryWidthMatchesANaiveBitReader() {
        var g = SplitMix64(state: 11)
        for width in 0...32 {
            for count in [0, 1, 8, 9, 64, 71, 1000, 1024] {
                // Exactly the bytes the values need (the last groups take the careful path), and
                // with slack after them (every group takes the fast one).
                for slack in [0, 16] {
                    let bytes = (0..<((count * width + 7) / 8 + slack)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
                    var out = [UInt32](repeating: 0xDEAD, count: count + 1)
                    bytes.withUnsafeBytes { b in out.withUnsafeMutableBufferPointer { unpackBits(b, bitWidth: width, count: count, into: $0.baseAddress!) } }
                    let naive = (0..<count).map { naiveValue(bytes, $0, width) }
                    #expect(Array(out.prefix(count)) == naive, "width \(width), count \(count), slack \(slack)")
                    #expect(out[count] == 0xDEAD, "nothing written past count")
                }
            }
        }
    }

    @Test(arguments: [1, 2, 5, 11, 16, 20])
    func dictionaryIndicesGatherStraightIntoValues(_ width: Int) throws {
        var g = SplitMix64(state: UInt64(width))
        let dictSize = 1 << width
        var dictionary = PhysicalValues(.int64)
        for _ in 0..<dictSize { dictionary.ints.append(Int64(bitPattern: g.next())) }
        for count in [1, 7, 8, 100, 3000] {
            var indices: [UInt32] = []
            while indices.count < count {
                let v = UInt32(g.next() % UInt64(dictSize))
                indices.append(contentsOf: repeatElement(v, count: g.next() % 4 == 0 ? Int(g.next() % 30) : 1))
            }
            indices = Array(indices.prefix(count))
            let encoded = encodeRLEHybrid(indices, bitWidth: width)
            let scratch = ReadScratch()
            var values = PhysicalValues(.int64)
            values.ints.append(-1)  // appended after what is there
            try encoded.withUnsafeBytes {
                try values.appendDictionaryIndices($0, bitWidth: width, count: count, from: dictionary, scratch: scratch.indices)
            }
            let d = dictionary.ints.withUnsafeBufferPointer { Array($0) }
            #expect(values.ints.takeArray() == [-1] + indices.map { d[Int($0)] }, "width \(width), count \(count)")
            var codes = DenseBuffer<Int32>()
            try encoded.withUnsafeBytes {
                try codes.appendDictionaryCodes($0, bitWidth: width, count: count, dictionarySize: dictSize, scratch: scratch.indices)
            }
            #expect(codes.takeArray() == indices.map { Int32($0) })
        }
    }

    @Test func anIndexPastTheDictionaryIsAnError() throws {
        var dictionary = PhysicalValues(.double)
        for v in [1.5, 2.5, 3.5] { dictionary.doubles.append(v) }
        let scratch = ReadScratch()
        // 3 is out of range, once in a repeated run and once bit-packed.
        for indices: [UInt32] in [Array(repeating: 3, count: 20), [0, 1, 2, 3, 0, 1]] {
            let encoded = encodeRLEHybrid(indices, bitWidth: 2)
            var values = PhysicalValues(.double)
            #expect(throws: CorruptData.self) {
                try encoded.withUnsafeBytes {
                    try values.appendDictionaryIndices($0, bitWidth: 2, count: indices.count, from: dictionary, scratch: scratch.indices)
                }
            }
            var codes = DenseBuffer<Int32>()
            #expect(throws: CorruptData.self) {
                try encoded.withUnsafeBytes {
                    try codes.appendDictionaryCodes($0, bitWidth: 2, count: indices.count, dictionarySize: 3, scratch: scratch.indices)
                }
            }
        }
    }

    @Test func presentValuesSpreadOverRowsInPlace() {
        var g = SplitMix64(state: 3)
        for rowCount in [0, 1, 63, 64, 65, 200, 1000] {
            // All present, none, random, and long runs of each.
            let patterns: [[Bool]] = [
                Array(repeating: true, count: rowCount), Array(repeating: false, count: rowCount),
                (0..<rowCount).map { _ in g.next() % 3 != 0 },
                (0..<rowCount).map { ($0 / 70) % 2 == 0 },
            ]
            for bits in patterns {
                let present = bits.filter { $0 }.count
                var buffer = DenseBuffer<Int64>()
                for k in 0..<present { buffer.append(Int64(k) * 7 + 1) }
                let validity = Bitmap(bits)
                var k = 0
                let naive = bits.map { b -> Int64 in
                    guard b else { return -5 }
                    k += 1
                    return Int64(k - 1) * 7 + 1
                }
                #expect(buffer.takeExpanded(over: validity, rowCount: rowCount, placeholder: -5) == naive, "\(rowCount) rows, \(present) present")
            }
        }
        var all = DenseBuffer<Int32>()
        all.append(4)
        all.append(5)
        #expect(all.takeExpanded(over: nil, rowCount: 2, placeholder: 0) == [4, 5])
    }

    /// The legacy LZ4 codec (no writer in the peers' venv makes it any more): Hadoop's framing of
    /// several blocks, and the raw block some old writers stored under the same codec number.
    @Test func legacyHadoopLZ4PagesDecompress() throws {
        var g = SplitMix64(state: 8)
        let page = (0..<5000).map { i in UInt8(truncatingIfNeeded: i % 97 == 0 ? g.next() : UInt64(i / 13)) }
        func be32(_ v: Int) -> [UInt8] { [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: v >> $0) } }
        var framed: [UInt8] = []
        for part in [page[0..<2000], page[2000..<5000]] {
            let block = try CompressionCodec.lz4Raw.compress(Array(part), level: 0)
            framed += be32(part.count) + be32(block.count) + block
        }
        let raw = try CompressionCodec.lz4Raw.compress(page, level: 0)
        let scratch = ReadScratch()
        for data in [framed, raw] {
            let back = try data.withUnsafeBytes { [UInt8](try CompressionCodec.lz4.decompress($0, size: page.count, scratch: scratch)) }
            #expect(back == page)
        }
        // A size that lies is an error, not a short or long page.
        #expect(throws: CorruptData.self) {
            try framed.withUnsafeBytes { _ = try CompressionCodec.lz4.decompress($0, size: page.count + 1, scratch: scratch) }
        }
    }
}
