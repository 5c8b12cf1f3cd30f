import Testing
@testable import TesseraFrame
@testable import TesseraParquet

/// The byte-level codecs against naive references on random inputs.
@Suite struct EncodingTests {
    @Test(arguments: [0, 1, 2, 3, 7, 8, 9, 13, 17, 24, 31, 32])
    func rleHybridRoundTripsAtEveryWidth(_ width: Int) throws {
        var g = SplitMix64(state: UInt64(width) + 1)
        for count in [0, 1, 7, 8, 9, 63, 64, 65, 1000] {
            // Runs and noise mixed, so both run kinds appear at odd alignments.
            var values: [UInt32] = []
            while values.count < count {
                let v = width == 0 ? 0 : UInt32(truncatingIfNeeded: g.next()) & UInt32((UInt64(1) << UInt64(width)) - 1)
                values.append(contentsOf: repeatElement(v, count: g.next() % 3 == 0 ? Int(g.next() % 20) : 1))
            }
            values = Array(values.prefix(count))
            let bytes = encodeRLEHybrid(values, bitWidth: width)
            var out = [UInt64](repeating: 99, count: count)
            try bytes.withUnsafeBytes { b in
                try out.withUnsafeMutableBufferPointer { try decodeRLEHybrid(b, bitWidth: width, count: count, into: $0, what: "test") }
            }
            #expect(out == values.map { UInt64($0) }, "width \(width), count \(count)")
            if width == 1 {
                // The validity fast path reads the same levels into bits at any starting offset.
                for start in [0, 5, 63] {
                    var words = [UInt64](repeating: 0, count: (start + count + 63) / 64 + 1)
                    let present = try bytes.withUnsafeBytes { b in
                        try words.withUnsafeMutableBufferPointer { try decodeDefinitionBits(b, count: count, into: $0, start: start) }
                    }
                    #expect(present == values.filter { $0 == 1 }.count)
                    let bits = (0..<count).map { (words[($0 + start) >> 6] >> UInt64(($0 + start) & 63)) & 1 }
                    #expect(bits == values.map { UInt64($0) })
                    #expect(words.enumerated().allSatisfy { w, word in (0..<64).allSatisfy { b in
                        let i = w * 64 + b
                        return (word >> UInt64(b)) & 1 == 0 || (i >= start && i < start + count)
                    } }, "no bit outside the levels' range")
                }
            }
        }
    }

    @Test func unpackBitsMatchesANaiveBitReader() {
        var g = SplitMix64(state: 5)
        for width in 1...64 {
            let count = 37
            let bytes = (0..<((count * width + 7) / 8)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            var out = [UInt64](repeating: 0, count: count)
            bytes.withUnsafeBytes { b in out.withUnsafeMutableBufferPointer { unpackBits(b, bitWidth: width, count: count, into: $0.baseAddress!) } }
            let naive = (0..<count).map { i -> UInt64 in
                var v: UInt64 = 0
                for k in 0..<width {
                    let bit = i * width + k
                    v |= UInt64((bytes[bit / 8] >> UInt8(bit % 8)) & 1) << UInt64(k)
                }
                return v
            }
            #expect(out == naive, "width \(width)")
        }
    }

    @Test func thriftRoundTripsAndRejectsTruncation() throws {
        let s = ThriftStruct([(1, .i32(-5)), (2, .bool(true)), (4, .binary(Array("héllo".utf8))), (20, .i64(Int64.min)),
                              (21, .list(5, (0..<20).map { .i32(Int32($0)) })), (22, .struct(ThriftStruct([(1, .double(-0.5)), (3, .bool(false))]))),
                              (300, .list(1, [.bool(true), .bool(false)])), (301, .i16(-300)), (302, .i8(-7))])
        let bytes = s.encoded
        let (back, used) = try bytes.withUnsafeBytes { try ThriftStruct.decode($0) }
        #expect(back == s && used == bytes.count)
        for cut in 0..<bytes.count {
            #expect(throws: CorruptData.self) { try Array(bytes.prefix(cut)).withUnsafeBytes { try ThriftStruct.decode($0) } }
        }
    }
}
