import Foundation
import Testing
@testable import TesseraStorage

/// The whole-buffer inflate (libdeflate) against zlib's streaming one, on the inputs where they
/// could part: gzip and zlib wrappers, several gzip members, wrong sizes, damage.
@Suite struct DeflateTests {
    static let plain: [UInt8] = (0..<50_000).map { i in UInt8(truncatingIfNeeded: i &* 2_654_435_761 >> 13) & (i % 7 == 0 ? 0xFF : 0x0F) }

    func inflate(_ stream: [UInt8], size: Int) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: size) { b, n in
            try stream.withUnsafeBytes { try Deflate.decompress($0, into: UnsafeMutableRawBufferPointer(b)) }
            n = size
        }
    }

    @Test(arguments: [true, false])
    func wholeBufferInflateMatchesZlib(_ gzip: Bool) throws {
        let stream = try Self.plain.withUnsafeBytes { try Deflate.compress($0, level: 6, gzip: gzip) }
        #expect(try inflate(stream, size: Self.plain.count) == Self.plain)
        #expect(try stream.withUnsafeBytes { try Deflate.decompress($0, limit: Self.plain.count) } == Self.plain)
    }

    /// A gzip file may hold several members, one after another; they decode as one stream.
    @Test func severalGzipMembersDecodeAsOne() throws {
        let half = Self.plain.count / 2
        let a = try Self.plain[..<half].withUnsafeBytes { try Deflate.compress($0, level: 1, gzip: true) }
        let b = try Self.plain[half...].withUnsafeBytes { try Deflate.compress($0, level: 1, gzip: true) }
        #expect(try inflate(a + b, size: Self.plain.count) == Self.plain)
    }

    @Test func wrongSizeOrDamageIsAnError() throws {
        let stream = try Self.plain.withUnsafeBytes { try Deflate.compress($0, level: 6, gzip: false) }
        #expect(throws: CodecError.self) { try inflate(stream, size: Self.plain.count - 1) }
        #expect(throws: CodecError.self) { try inflate(stream, size: Self.plain.count + 1) }
        var bad = stream
        bad[bad.count - 2] ^= 0x40  // the Adler-32 checksum
        #expect(throws: CodecError.self) { try inflate(bad, size: Self.plain.count) }
        #expect(throws: CodecError.self) { try inflate(Array(stream.prefix(stream.count / 2)), size: Self.plain.count) }
    }
}
