import Foundation
import Testing
@testable import Tessera

/// The deferred tail: a large buffer ending an encoding stays in its owner's storage on the way
/// out and is fetched straight into the decoded value's storage on the way in, and the bytes are
/// exactly those of the ordinary encoding.
@Suite struct BlockCodecTailTests {
    /// Over the 1 MiB threshold, with NaN payloads, signed zeros and infinities.
    static func nastyDoubles(_ n: Int) -> [Double] {
        var rng = SystemRandomNumberGenerator()
        let specials: [Double] = [.nan, Double(nan: 0x55, signaling: false), -0.0, .infinity, -.infinity, .greatestFiniteMagnitude]
        return (0..<n).map { i in i % 97 < specials.count ? specials[i % 97] : Double(bitPattern: rng.next()) }
    }

    static func encodeDeferring(_ value: Any) throws -> BlockWriter {
        var w = BlockWriter(deferringTailsFrom: 1 << 20)
        try BlockCodec.encode(value, into: &w)
        return w
    }

    static func joined(_ w: BlockWriter) -> [UInt8] { w.bytes + (w.tail.map { [UInt8]($0.bytes) } ?? []) }

    @Test func largeArrayStaysInPlaceAndBytesMatch() throws {
        let values = Self.nastyDoubles(200_000)
        let w = try Self.encodeDeferring(values)
        let tail = try #require(w.tail)
        #expect(tail.bytes.count == values.count * 8)
        values.withUnsafeBytes { #expect(tail.bytes.baseAddress == $0.baseAddress) }
        #expect(Self.joined(w) == (try BlockCodec.encode(values)))
        #expect(w.bytes.count % 8 == 0)
    }

    @Test func tailIsFetchedIntoTheDecodedArray() throws {
        let values = Self.nastyDoubles(150_000)
        let w = try Self.encodeDeferring(values)
        let tail = try #require(w.tail)
        var fetched = 0
        let source = BlockTailSource(count: tail.bytes.count) { buffer in
            fetched += 1
            buffer.copyMemory(from: tail.bytes)
        }
        let back = try w.bytes.withUnsafeBytes { raw in
            var r = BlockReader(raw, tail: source)
            return try BlockCodec.decode(from: &r) as! [Double]
        }
        #expect(fetched == 1 && source.taken)
        #expect(back.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func smallOrFollowedBuffersAreCopiedAsBefore() throws {
        let small = Self.nastyDoubles(1000)
        let ws = try Self.encodeDeferring(small)
        let plain = try BlockCodec.encode(small)
        #expect(ws.tail == nil && ws.bytes == plain)
        // The first big array is followed by the second: it is settled into the bytes, the
        // second stays the tail.
        let nested = [Self.nastyDoubles(140_000), Self.nastyDoubles(140_000)]
        let wn = try Self.encodeDeferring(nested)
        #expect(wn.tail?.bytes.count == 140_000 * 8)
        #expect(Self.joined(wn) == (try BlockCodec.encode(nested)))
        // Something written after the tail settles it too.
        var w = BlockWriter(deferringTailsFrom: 1 << 20)
        try Self.nastyDoubles(140_000).encode(to: &w)
        #expect(w.tail != nil)
        w.write(Int64(7))
        #expect(w.tail == nil)
    }

    /// A source that lends memory: `readRawBuffer` fetches the tail into it and hands it over;
    /// a Swift array cannot adopt foreign storage, so its decoder never asks.
    @Test func aLendingSourceFillsItsOwnBuffer() throws {
        let values = Self.nastyDoubles(140_000)
        let w = try Self.encodeDeferring(values)
        let tail = try #require(w.tail)
        let pool = BlockBufferPool(limit: 1 << 30)
        var lent = 0
        func source() -> BlockTailSource {
            BlockTailSource(count: tail.bytes.count, lend: { lent += 1; return pool.buffer(count: $0) }) { $0.copyMemory(from: tail.bytes) }
        }
        let s = source()
        let (counts, wrongLength, takenEarly, buffer) = try w.bytes.withUnsafeBytes { raw in
            var r = BlockReader(raw, tail: s)
            _ = try r.read(UInt8.self)
            _ = try r.read(String.self)
            let counts = [try r.readCount(), try r.readCount()]
            try r.align(to: 8)
            // Not the tail's length: no buffer, nothing taken.
            let wrong = try r.readRawBuffer(values.count * 8 - 8)
            let taken = s.taken
            return (counts, wrong, taken, try r.readRawBuffer(values.count * 8))
        }
        #expect(counts == [values.count, values.count * 8] && wrongLength == nil && !takenEarly)
        #expect(lent == 1 && s.taken)
        #expect(try #require(buffer).bytes.elementsEqual(tail.bytes))
        // Without a lender: nil, and the tail is left for readRaw(into:).
        let plain = BlockTailSource(count: tail.bytes.count) { $0.copyMemory(from: tail.bytes) }
        let none = try w.bytes.withUnsafeBytes { raw in
            var r = BlockReader(UnsafeRawBufferPointer(rebasing: raw[raw.count...]), tail: plain)
            return try r.readRawBuffer(tail.bytes.count)
        }
        #expect(none == nil && !plain.taken)
        let array = try w.bytes.withUnsafeBytes { raw in
            var r = BlockReader(raw, tail: source())
            return try BlockCodec.decode(from: &r) as! [Double]
        }
        #expect(lent == 1)
        #expect(array.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func aTailOfTheWrongLengthIsTruncationNotAFetch() throws {
        let values = Self.nastyDoubles(140_000)
        let w = try Self.encodeDeferring(values)
        let source = BlockTailSource(count: values.count * 8 - 8) { _ in Issue.record("fetched a tail of the wrong length") }
        #expect(throws: BlockCodecError.self) {
            try w.bytes.withUnsafeBytes { raw in
                var r = BlockReader(raw, tail: source)
                _ = try BlockCodec.decode(from: &r)
            }
        }
        #expect(!source.taken)
    }
}
