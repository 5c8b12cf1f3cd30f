import Foundation
import Testing
@testable import Tessera

@Suite struct BlockCodecTests {
    /// Encodes and decodes through the type-erased entry points, as an executor does.
    static func roundTrip<T>(_ value: T) throws -> T {
        try BlockCodec.decode(BlockCodec.encode(value)) as! T
    }

    struct UserPoint: Codable, Equatable, Sendable {
        var x: Double
        var label: String
        var tags: [Int]?
    }

    @Test func scalarsKeepEveryBit() throws {
        var rng = SystemRandomNumberGenerator()
        let ints: [Int] = [0, 1, -1, .max, .min] + (0..<20).map { _ in Int.random(in: .min ... .max, using: &rng) }
        for v in ints { #expect(try Self.roundTrip(v) == v) }
        #expect(try Self.roundTrip(Int32.min) == Int32.min)
        #expect(try Self.roundTrip(UInt64.max) == UInt64.max)
        #expect(try Self.roundTrip(UInt8(200)) == 200)
        // Compared as bit patterns: NaN payloads, signed zeros, infinities survive.
        let doubles: [Double] = [0, -0.0, .infinity, -.infinity, .nan, Double(nan: 0x1234, signaling: false),
                                 .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1e308, -3.25]
        for d in doubles { #expect(try Self.roundTrip(d).bitPattern == d.bitPattern) }
        #expect(try Self.roundTrip(Float(-0.0)).bitPattern == Float(-0.0).bitPattern)
        #expect(try Self.roundTrip(true) == true && (try Self.roundTrip(false)) == false)
    }

    @Test func stringsStayByteForByte() throws {
        // Both Unicode forms of é: equal as Swift Strings, different bytes, and the bytes must survive.
        let composed = "caf\u{e9}", decomposed = "cafe\u{301}"
        for s in ["", composed, decomposed, "02134", "K1A 0B1", "日本語 🎉", String(repeating: "x", count: 10_000)] {
            let back = try Self.roundTrip(s)
            #expect(Array(back.utf8) == Array(s.utf8))
        }
        let list = try Self.roundTrip([composed, decomposed, ""])
        #expect(list.map { Array($0.utf8) } == [Array(composed.utf8), Array(decomposed.utf8), []])
    }

    @Test func arraysAndOptionals() throws {
        let doubles = (0..<1000).map { Double($0) * 0.5 } + [.nan, -.infinity]
        #expect(try Self.roundTrip(doubles).map(\.bitPattern) == doubles.map(\.bitPattern))
        #expect(try Self.roundTrip([Int]()) == [])
        #expect(try Self.roundTrip([[1, 2], [], [3]]) == [[1, 2], [], [3]])
        #expect(try Self.roundTrip([Int64?.none, 5, nil]) == [nil, 5, nil])
        #expect(try Self.roundTrip(Optional<String>.none) == nil)
        #expect(try Self.roundTrip([true, false, true]) == [true, false, true])
    }

    @Test func codableUserValuesCross() throws {
        let p = UserPoint(x: -.infinity, label: "cafe\u{301}", tags: [1, .min])
        #expect(try Self.roundTrip(p) == p)
        let nan = try Self.roundTrip(UserPoint(x: .nan, label: "", tags: nil))
        #expect(nan.x.isNaN && nan.tags == nil)
        #expect(try Self.roundTrip([p, p]) == [p, p])
    }

    @Test func aValueThatCannotCrossNamesItsType() {
        final class Handle: @unchecked Sendable {}
        #expect {
            _ = try BlockCodec.encode(Handle())
        } throws: { error in
            guard case BlockCodecError.notEncodable(let type) = error else { return false }
            return type.contains("Handle") && "\(error)".contains("BlockCodable or Codable")
        }
        let closure: @Sendable (Int) -> Int = { $0 }
        #expect(throws: BlockCodecError.self) { _ = try BlockCodec.encode(closure) }
    }

    @Test func truncatedOrCorruptBytesThrowNeverCrash() throws {
        let bytes = try BlockCodec.encode((0..<100).map(Double.init))
        for cut in [0, 1, 5, 17, bytes.count / 2, bytes.count - 1] {
            #expect(throws: BlockCodecError.self) { _ = try BlockCodec.decode(Array(bytes.prefix(cut))) }
        }
        var unknown = BlockWriter()
        unknown.write(UInt8(1))
        unknown.write("$sThisTypeDoesNotExist9999")
        #expect(throws: BlockCodecError.unknownType("$sThisTypeDoesNotExist9999")) { _ = try BlockCodec.decode(unknown.bytes) }
        var badTag = try BlockCodec.encode(7)
        badTag[0] = 9
        #expect(throws: BlockCodecError.self) { _ = try BlockCodec.decode(badTag) }
    }

    @Test func numericBuffersAreAlignedRawCopies() throws {
        var w = BlockWriter()
        w.write(UInt8(1))
        w.write(raw: [1.5, 2.5])
        // 1 tag byte, 7 padding, 8 count, then the 16 bytes of the doubles at offset 16.
        #expect(w.bytes.count == 32)
        let second = w.bytes[24..<32].withUnsafeBytes { $0.loadUnaligned(as: Double.self) }
        #expect(second == 2.5)
    }
}
