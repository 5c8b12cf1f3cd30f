import Foundation
import Testing
import Tessera
import TesseraArray
@testable import TesseraStorage

/// A private copy of a fixture store, changed by `damage`, removed after `body`.
func withDamagedCopy(of name: String, _ damage: (String) throws -> Void, _ body: (String) throws -> Void) throws {
    let dir = temporaryStore("bad")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.copyItem(atPath: fixture(name + ".zarr"), toPath: dir)
    try damage(dir)
    try body(dir)
}

func rewrite(_ path: String, _ change: (inout [UInt8]) -> Void) throws {
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    change(&bytes)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

func editJSON(_ path: String, _ change: (inout String) -> Void) throws {
    var text = try String(contentsOfFile: path, encoding: .utf8)
    change(&text)
    try text.write(toFile: path, atomically: true, encoding: .utf8)
}

@Suite struct ZarrBadInputTests {
    /// Every chunk damage, in every codec: a typed error naming the store and the chunk key,
    /// never a crash or a wrong value.
    static let chunkCases: [(store: String, key: String, damage: String)] = [
        ("v3_f8_zstd_missing", "c/0/0", "truncate"), ("v3_f8_zstd_missing", "c/0/1", "flip"),
        ("v3_f8_fill_inf", "c/2/0", "truncate"), ("v3_f8_fill_inf", "c/2/0", "flip"),
        ("v3_f8_blosc_blosclz", "c/1/0", "truncate"), ("v3_f8_blosc_blosclz", "c/1/0", "flip"),
        ("v3_u1_zstd_crc", "c/1", "flip"), ("v3_f4_transpose_crc", "c/0/0/0", "flip"),
        ("v3_f8_fill_neginf_v2keys", "0.1", "truncate"), ("v3_f8_fill_neginf_v2keys", "0.1", "append"),
        ("v2_i8_big_zlib", "1.1", "truncate"), ("v2_f8_blosc_lz4_nan", "0.0", "flip"), ("v2_i2_none", "0.2", "append"),
        ("v3_f8_sharded_end", "c/0/0", "truncate"), ("v3_f8_sharded_end", "c/0/1", "flipLast"),
        ("v3_i4_sharded_start", "c/0/0", "flip"),
    ]

    @Test(arguments: 0..<chunkCases.count)
    func damagedChunkIsATypedErrorNamingTheKey(_ i: Int) throws {
        let (store, key, damage) = Self.chunkCases[i]
        try withDamagedCopy(of: store, { dir in
            try rewrite(dir + "/" + key) { b in
                switch damage {
                case "truncate": b.removeLast(b.count / 2 + 1)
                case "append": b += [1, 2, 3, 4, 5, 6, 7, 8]
                case "flipLast": for j in (b.count - 6)..<b.count { b[j] ^= 0x5A }
                default: for j in stride(from: 0, to: b.count, by: 3) { b[j] ^= 0xA5 }
                }
            }
        }) { dir in
            let e = storageError { _ = try ChunkedArray<Double>.fromZarr(dir).compute() }
            #expect(e?.key?.hasPrefix(key) == true, "\(store) \(key) \(damage): \(String(describing: e))")
            #expect(e.map { "\($0)" }?.contains(dir) == true)
        }
    }

    @Test func wrongDecodedSizeSaysWhatWasExpected() throws {
        try withDamagedCopy(of: "v2_i2_none", { try rewrite($0 + "/0.0") { $0.removeLast(2) } }) { dir in
            let e = storageError { _ = try ChunkedArray<Int64>.fromZarr(dir).compute() }
            #expect(e?.key == "0.0")
            #expect(e?.reason.contains("expected 32 bytes") == true, "\(String(describing: e))")
        }
    }

    static let metadataCases: [(store: String, file: String, from: String, to: String, says: String)] = [
        ("v3_f8_zstd_missing", "zarr.json", "\"shape\"", "\"shape\" [", "malformed"),
        ("v3_f8_zstd_missing", "zarr.json", "\"zstd\"", "\"lzma\"", "unsupported codec 'lzma'"),
        ("v3_f8_zstd_missing", "zarr.json", "\"float64\"", "\"complex128\"", "unsupported data_type 'complex128'"),
        ("v3_f8_zstd_missing", "zarr.json", "\"NaN\"", "\"banana\"", "fill_value"),
        ("v3_f8_zstd_missing", "zarr.json", "\"regular\"", "\"rectilinear\"", "regular"),
        ("v2_i2_none", ".zarray", "\"<i2\"", "\"<c16\"", "unsupported dtype '<c16'"),
        ("v2_i2_none", ".zarray", "\"chunks\": [\n    4,\n    4\n  ]", "\"chunks\": [4]", "axes"),
        ("v2_i2_none", ".zarray", "\"chunks\": [\n    4,\n    4\n  ]", "\"chunks\": [0, 4]", "positive"),
        ("v2_i8_big_zlib", ".zarray", "\"zlib\"", "\"lzma\"", "unsupported compressor 'lzma'"),
        ("v2_i8_big_zlib", ".zarray", "\"filters\": null", "\"filters\": [{\"id\": \"delta\"}]", "filters"),
    ]

    @Test(arguments: 0..<metadataCases.count)
    func badMetadataIsATypedErrorNamingTheFile(_ i: Int) throws {
        let c = Self.metadataCases[i]
        try withDamagedCopy(of: c.store, { dir in
            try editJSON(dir + "/" + c.file) { t in
                #expect(t.contains(c.from), "fixture \(c.store) no longer holds \(c.from)")
                t = t.replacingOccurrences(of: c.from, with: c.to)
            }
        }) { dir in
            let e = storageError { _ = try ChunkedArray<Double>.fromZarr(dir) }
            #expect(e?.key == c.file && e?.reason.contains(c.says) == true, "\(String(describing: e))")
        }
    }

    @Test func missingStoreIsATypedError() {
        let e = storageError { _ = try ChunkedArray<Double>.fromZarr("/nonexistent/tessera.zarr") }
        #expect(e?.reason.contains("not a Zarr array") == true)
    }
}
