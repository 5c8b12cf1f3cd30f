import Foundation
import Testing
import Tessera
import TesseraArray
@testable import TesseraStorage

func temporaryStore(_ tag: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("tessera-\(tag)-\(UUID().uuidString).zarr").path
}

/// Random doubles with NaN, ±inf, -0.0 and huge values mixed in, from a fixed seed.
func nastyDoubles(_ n: Int, seed: UInt64) -> [Double] {
    var g = seed
    return (0..<n).map { i in
        g = g &* 6364136223846793005 &+ 1442695040888963407
        switch (g >> 33) % 23 {
        case 0: return .nan
        case 1: return .infinity
        case 2: return -.infinity
        case 3: return -0.0
        case 4: return 1.7e308
        default: return Double(Int64(bitPattern: g) >> 20) / 1024 + Double(i)
        }
    }
}

@Suite struct ZarrWriteTests {
    static let codecs: [ZarrCompression] = [.none, .zstd(level: 3), .gzip(level: 1), .blosc(cname: "lz4", level: 5, shuffle: .byte),
                                            .blosc(cname: "zstd", level: 3, shuffle: .bit)]

    @Test(arguments: codecs)
    func roundTripsDoublesInBothFormats(_ codec: ZarrCompression) throws {
        let values = try NDArray<Double>(shape: [13, 7], scalars: nastyDoubles(91, seed: 5))
        let x = try ChunkedArray<Double>(values, chunks: [5, 3])
        for format in [ZarrFormat.v2, .v3] {
            let path = temporaryStore("rt")
            defer { try? FileManager.default.removeItem(atPath: path) }
            try x.toZarr(path, format: format, codec: codec)
            for cut in cuts([13, 7]) {
                #expect(sameBits(try ChunkedArray<Double>.fromZarr(path, chunks: cut).compute(), values), "\(format) \(codec) \(cut)")
            }
        }
    }

    @Test func roundTripsShardsWithIndexAtEitherEndAndChecksums() throws {
        let values = try NDArray<Double>(shape: [12, 10], scalars: nastyDoubles(120, seed: 9))
        let x = try ChunkedArray<Double>(values, chunks: [8, 6])
        for atEnd in [true, false] {
            let path = temporaryStore("shard")
            defer { try? FileManager.default.removeItem(atPath: path) }
            try x.toZarr(path, codec: .zstd(level: 1), shards: ZarrSharding(innerChunks: [4, 3], indexAtEnd: atEnd), checksum: true)
            let back = try ChunkedArray<Double>.fromZarr(path)
            #expect(back.chunks == [[8, 4], [6, 4]])
            #expect(sameBits(try back.compute(), values))
            #expect(sameBits(try ChunkedArray<Double>.fromZarr(path, chunks: [5, 7]).compute(), values))
        }
    }

    @Test func roundTripsIntegersFloatsAndBools() throws {
        let ints: [Int64] = [.min, .max, 0, -1, 1 << 40, 7, 9, -12345678901234]
        let path = temporaryStore("ints")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ChunkedArray<Int64>(NDArray(ints), chunks: [3]).toZarr(path, codec: .blosc(cname: "zlib", level: 4, shuffle: .byte))
        #expect(try ChunkedArray<Int64>.fromZarr(path).compute().scalars == ints)
        // Reading another type converts as astype: int64 → float64.
        #expect(try ChunkedArray<Double>.fromZarr(path).compute().scalars == ints.map { Double($0) })

        let bools = (0..<17).map { $0 % 3 == 0 }
        try ChunkedArray<Bool>(NDArray(bools), chunks: [4]).toZarr(path, format: .v2, overwrite: true)
        #expect(try ChunkedArray<Bool>.fromZarr(path).compute().scalars == bools)

        let floats: [Float] = [1.5, .nan, -.infinity, 3e38, -0.0]
        try ChunkedArray<Float>(NDArray(floats), chunks: [2]).toZarr(path, overwrite: true)
        let back = try ChunkedArray<Float>.fromZarr(path).compute().scalars
        #expect(zip(back, floats).allSatisfy { $0.bitPattern == $1.bitPattern })
    }

    /// Every element type, written with a fill value in both formats: after one chunk file is
    /// deleted, its elements read back as the fill value (NaN and ±infinity go through their
    /// JSON string forms), the others as written.
    @Test func writesEveryScalarTypeWithItsFillValue() throws {
        let d = nastyDoubles(11, seed: 21)
        try checkFill(d, fills: [.nan, .infinity, -.infinity, -2.5]) { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
        try checkFill(d.map { Float($0) }, fills: [.nan, -.infinity, 3e38]) { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
        try checkFill([Int64.min, .max, 0, -1, 1 << 40, 7, 9, 3, 4, 5, 6], fills: [.min, .max, -3]) { $0 == $1 }
        try checkFill([Int32.min, .max, 0, -1, 1 << 20, 7, 9, 3, 4, 5, 6], fills: [-7, .max]) { $0 == $1 }
        try checkFill((0..<11).map { $0 % 3 == 0 }, fills: [true, false]) { $0 == $1 }
    }

    /// Writes `values` in chunks of 4 with each of `fills`, deletes chunk 1, and reads back.
    func checkFill<T: ArrayScalar>(_ values: [T], fills: [T], same: (T, T) -> Bool) throws {
        for fill in fills {
            for format in [ZarrFormat.v3, .v2] {
                let path = temporaryStore("fill")
                defer { try? FileManager.default.removeItem(atPath: path) }
                try ChunkedArray<T>(NDArray(values), chunks: [4]).toZarr(path, format: format, fillValue: fill)
                try FileManager.default.removeItem(atPath: path + (format == .v3 ? "/c/1" : "/1"))
                let expected = values.indices.map { (4..<8).contains($0) ? fill : values[$0] }
                for cut in cuts([values.count]) {
                    let back = try ChunkedArray<T>.fromZarr(path, chunks: cut).compute().scalars
                    #expect(back.count == expected.count && zip(back, expected).allSatisfy(same), "\(T.self) fill \(fill) \(format) \(cut): \(back)")
                }
            }
        }
    }

    @Test func roundTripsZeroAndThreeAxes() throws {
        let path = temporaryStore("axes")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for format in [ZarrFormat.v3, .v2] {
            try ChunkedArray<Double>(NDArray(scalar: -2.5)).toZarr(path, format: format, overwrite: true)
            #expect(try ChunkedArray<Double>.fromZarr(path).compute() == NDArray(scalar: -2.5))
            let cube = try NDArray<Double>(shape: [5, 4, 3], scalars: nastyDoubles(60, seed: 11))
            try ChunkedArray<Double>(cube, chunks: [2, 3, 2]).toZarr(path, format: format, codec: .gzip(level: 2), overwrite: true)
            #expect(FileManager.default.fileExists(atPath: path + (format == .v3 ? "/c/2/1/1" : "/2.1.1")))
            #expect(sameBits(try ChunkedArray<Double>.fromZarr(path, chunks: [3, 3, 3]).compute(), cube))
        }
    }

    @Test func irregularBlocksAreRechunkedOrRefused() throws {
        let values = try NDArray<Double>(shape: [10], scalars: (0..<10).map(Double.init))
        let x = try ChunkedArray<Double>(values, chunks: .sizes([[2, 5, 3]]))
        let path = temporaryStore("irregular")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: StorageError.self) { try x.toZarr(path, rechunk: false) }
        try x.toZarr(path)
        let back = try ChunkedArray<Double>.fromZarr(path)
        #expect(back.chunks == [[5, 5]])
        #expect(try back.compute() == values)
    }

    @Test func overwritingNeedsTheFlagAndNeverDeletesOtherThings() throws {
        let x = try ChunkedArray<Double>(NDArray([1, 2, 3]), chunks: [2])
        let path = temporaryStore("overwrite")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try x.toZarr(path)
        #expect(throws: StorageError.self) { try x.toZarr(path) }
        try (x * 2).toZarr(path, format: .v2, overwrite: true)
        #expect(try ChunkedArray<Double>.fromZarr(path).compute().scalars == [2, 4, 6])
        #expect(!FileManager.default.fileExists(atPath: path + "/zarr.json"), "the v3 metadata of the old array must be gone")

        let plain = temporaryStore("plain")
        defer { try? FileManager.default.removeItem(atPath: plain) }
        try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: plain + "/notes.txt"))
        #expect(throws: StorageError.self) { try x.toZarr(plain, overwrite: true) }
        #expect(FileManager.default.fileExists(atPath: plain + "/notes.txt"))
    }

    /// A failing block leaves no metadata behind: the store is never readable half-written.
    @Test func aFailedWriteLeavesNoMetadata() throws {
        let path = temporaryStore("failed")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let src = temporaryStore("failsrc")
        defer { try? FileManager.default.removeItem(atPath: src) }
        try FileManager.default.copyItem(atPath: fixture("v3_f8_zstd_missing.zarr"), toPath: src)
        try Data([9, 9, 9]).write(to: URL(fileURLWithPath: src + "/c/0/1"))
        let broken = try ChunkedArray<Double>.fromZarr(src)
        #expect(throws: (any Error).self) { try broken.toZarr(path) }
        #expect(!FileManager.default.fileExists(atPath: path + "/zarr.json"))
        #expect(throws: StorageError.self) { try ChunkedArray<Double>.fromZarr(path) }
    }
}
