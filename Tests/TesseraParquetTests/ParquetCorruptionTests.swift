import Foundation
import Testing
import Tessera
import TesseraFrame
@testable import TesseraParquet

/// Corrupt files give errors naming the file and, inside the data, the row group, column and
/// page — never a crash, an over-read or a wrong value.
@Suite struct ParquetCorruptionTests {
    /// A small uncompressed file of Tessera's: column "s" (a two-value dictionary), then "x".
    static func cleanFile(compression: ParquetCompression = .none) throws -> [UInt8] {
        let t = try Table(["s": Column(string: ["a", "b", "a", nil, "b", "a"]), "x": Column(int64: [1, 2, 3, 4, 5, 6])],
                          order: ["s", "x"])
        return try t.parquetBytes(compression: compression)
    }

    /// Writes `bytes` to a temporary file, reads it whole, and returns the error's text.
    static func readError(_ bytes: [UInt8]) throws -> (path: String, message: String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pq-bad-\(UUID()).parquet").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            let t = try readParquet(path).compute()
            return (path, "no error; read \(t.rowCount) rows")
        } catch let f as TaskFailure {
            return (path, "\(f.underlying)")
        } catch {
            return (path, "\(error)")
        }
    }

    /// Re-encodes the page header at `offset` after `change`, which must keep its length.
    static func patchHeader(_ bytes: inout [UInt8], at offset: Int, _ change: (inout ThriftStruct) -> Void) throws {
        let (h, length) = try bytes.withUnsafeBytes { try ThriftStruct.decode(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
        var s = h
        change(&s)
        let again = s.encoded
        guard again.count == length else { throw CorruptData("the patch changed the header's length") }
        bytes.replaceSubrange(offset..<(offset + length), with: again)
    }

    static func setField(_ s: inout ThriftStruct, _ id: Int16, _ v: ThriftValue) {
        if let i = s.fields.firstIndex(where: { $0.id == id }) { s.fields[i].value = v }
    }

    static func setInner(_ s: inout ThriftStruct, _ outer: Int16, _ id: Int16, _ v: ThriftValue) {
        guard let i = s.fields.firstIndex(where: { $0.id == outer }), case .struct(var inner) = s.fields[i].value else { return }
        setField(&inner, id, v)
        s.fields[i].value = .struct(inner)
    }

    @Test func theCleanFileReads() throws {
        #expect(try Self.readError(Self.cleanFile()).message == "no error; read 6 rows")
    }

    @Test func truncatedFileWrongMagicAndFooterPastTheFile() throws {
        let clean = try Self.cleanFile()
        var (path, m) = try Self.readError(Array(clean.dropLast(30)))
        #expect(m.contains(path) && m.contains("PAR1"))
        (path, m) = try Self.readError(Array(clean.prefix(5)))
        #expect(m.contains(path) && m.contains("too short"))
        var wrong = clean
        wrong[0] = 0x51
        (path, m) = try Self.readError(wrong)
        #expect(m.contains(path) && m.contains("does not start with PAR1"))
        var long = clean
        long.replaceSubrange((clean.count - 8)..<(clean.count - 4), with: [0xFF, 0xFF, 0xFF, 0x00])
        (path, m) = try Self.readError(long)
        #expect(m.contains(path) && m.contains("footer length"))
    }

    @Test func corruptFooterThrift() throws {
        var bytes = try Self.cleanFile()
        let footerLength = Int(bytes[bytes.count - 8]) | Int(bytes[bytes.count - 7]) << 8
        let start = bytes.count - 8 - footerLength
        for k in start..<(start + footerLength) { bytes[k] = UInt8(truncatingIfNeeded: k &* 37) }
        let (path, m) = try Self.readError(bytes)
        #expect(m.hasPrefix(path + ": "), "\(m)")
    }

    @Test func aPageWhoseSizeLies() throws {
        for compression in [ParquetCompression.none, .snappy, .zstd(level: 1), .gzip(level: 1), .lz4, .brotli(level: 1)] {
            var bytes = try Self.cleanFile(compression: compression)
            // The dictionary page of "s" is the first page, at offset 4.
            do {
                try Self.patchHeader(&bytes, at: 4) { s in if case .i32(let n)? = s[2] { Self.setField(&s, 2, .i32(n + 1)) } }
            } catch {
                try Self.patchHeader(&bytes, at: 4) { s in if case .i32(let n)? = s[2] { Self.setField(&s, 2, .i32(n - 1)) } }
            }
            let (path, m) = try Self.readError(bytes)
            #expect(m.contains(path) && m.contains("row group 0, column 's', page 0"), "\(compression): \(m)")
            #expect(m.contains("header says") || m.contains("malformed") || m.contains("larger than"), "\(compression): \(m)")
        }
    }

    @Test func aBadCRC() throws {
        var bytes = try Self.cleanFile()
        let (_, length) = try bytes.withUnsafeBytes { try ThriftStruct.decode(UnsafeRawBufferPointer(rebasing: $0[4...])) }
        bytes[4 + length] ^= 0x01  // the first byte of the dictionary page's body
        let (path, m) = try Self.readError(bytes)
        #expect(m.contains(path) && m.contains("column 's', page 0") && m.contains("CRC"))
    }

    @Test func dictionaryIndicesOutOfRange() throws {
        var bytes = try Self.cleanFile()
        // Say the dictionary holds one value; the data page still uses index 1.
        try Self.patchHeader(&bytes, at: 4) { s in
            Self.setInner(&s, 7, 1, .i32(1))
        }
        let (path, m) = try Self.readError(bytes)
        #expect(m.contains(path) && m.contains("row group 0, column 's', page 1") && m.contains("dictionary index 1 out of range"), "\(m)")
    }

    @Test func levelsPastTheRowCount() throws {
        var bytes = try Self.cleanFile()
        let (_, dictHeader) = try bytes.withUnsafeBytes { try ThriftStruct.decode(UnsafeRawBufferPointer(rebasing: $0[4...])) }
        let dictBody: Int
        if case .i32(let n)? = try bytes.withUnsafeBytes({ try ThriftStruct.decode(UnsafeRawBufferPointer(rebasing: $0[4...])).0 })[3] {
            dictBody = Int(n)
        } else { dictBody = 0 }
        try Self.patchHeader(&bytes, at: 4 + dictHeader + dictBody) { s in Self.setInner(&s, 5, 1, .i32(9)) }
        let (path, m) = try Self.readError(bytes)
        #expect(m.contains(path) && m.contains("row group 0, column 's', page 1") && m.contains("rows left"), "\(m)")
    }

    /// Every single-byte corruption of a small file is an error or a clean read, never a crash.
    @Test func everyByteFlipIsHandled() throws {
        let clean = try Self.cleanFile(compression: .snappy)
        for k in stride(from: 0, to: clean.count, by: 3) {
            var bytes = clean
            bytes[k] ^= 0x5A
            _ = try Self.readError(bytes)
        }
    }
}
